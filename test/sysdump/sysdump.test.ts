/**
 * `readSysdump` over sysdump-shaped archives built from dumps captured on the real kernel: every
 * node × map checked entry by entry against the inserted bytes, for every archive form, with
 * the version each node ran detected from the source the issue ranks first.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveMap, type DecodedRecord } from '../../src/index';
import { readSysdump, type MapReport, type NodeReport, type SysdumpOptions } from '../../src/sysdump/index';
import { toHex } from '../helpers/bytes';
import { bugtoolFiles, bugtoolTarGz, capturedMaps, dumpText, sysdumpZip, truth, TS, type NodeSpec } from './archive';

const tmp = mkdtempSync(join(tmpdir(), 'sysdump-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), data);
  }
}

interface Result {
  nodes: Map<string, NodeReport>;
  records: Map<string, DecodedRecord[]>; // `${node} ${map}`
  reports: MapReport[];
  form: string;
}

export async function collect(path: string, opts: SysdumpOptions = {}): Promise<Result> {
  const res: Result = { nodes: new Map(), records: new Map(), reports: [], form: '' };
  for await (const ev of readSysdump(path, opts)) {
    if (ev.kind === 'sysdump') res.form = ev.form;
    else if (ev.kind === 'node') res.nodes.set(ev.node.node, ev.node);
    else if (ev.kind === 'records') {
      const k = `${ev.node} ${ev.map}`;
      if (!res.records.has(k)) res.records.set(k, []);
      res.records.get(k)!.push(...ev.records);
    } else res.reports.push(ev.report);
  }
  return res;
}

/** Every entry inserted, exactly once, re-encoding to the inserted bytes with `version`'s layout. */
function expectTruth(records: DecodedRecord[] | undefined, version: string, map: string, where: string): void {
  const spec = resolveMap(map, version);
  const want = new Map(truth(version, map).map((t) => [t.key, t.value]));
  expect(records, `${where}: no records`).toBeDefined();
  const seen = new Set<string>();
  for (const r of records!) {
    const k = toHex(spec.key.encode(r.key as never));
    expect(want.has(k), `${where}: key ${k} was never inserted`).toBe(true);
    // Per-CPU maps: bpftool's update wrote the value to every CPU.
    const values = r.values ? r.values.map((cv) => cv.value) : [r.value];
    expect(values.length, `${where}: values of ${k}`).toBeGreaterThan(0);
    for (const v of values) expect(toHex(spec.value.encode(v as never)), `${where}: value of ${k}`).toBe(want.get(k));
    seen.add(k);
  }
  expect(seen.size, `${where}: entries`).toBe(want.size);
  expect(records!.length).toBe(want.size);
}

function expectNode(res: Result, node: string, version: string, source: string): void {
  const n = res.nodes.get(node);
  expect(n, `node ${node}`).toBeDefined();
  expect(n!.version.source, `${node}: ${n!.version.reason}`).toBe(source);
  for (const map of capturedMaps(version)) {
    expectTruth(res.records.get(`${node} ${map}`), version, map, `${node} ${map}`);
    const rep = res.reports.find((r) => r.node === node && r.map === map)!;
    expect(rep.status, `${node} ${map}: ${rep.problems.join('; ')}`).toBe('ok');
    expect(rep.entries).toBe(truth(version, map).length);
  }
}

const node = (spec: NodeSpec) => ({ files: bugtoolFiles(spec) });

describe('a sysdump zip with the DaemonSet (v1.16.3)', () => {
  let res: Result;
  it('reads three nodes: markdown off, markdown on, and a bugtool .tar.gz left unextracted', async () => {
    const zip = await sysdumpZip(
      {
        'cilium-aaaaa': node({ version: '1.16.3', status: '1.16.3 (v1.16.3-1a2b3c4d)' }),
        'cilium-bbbbb': node({ version: '1.16.3', markdown: true }),
        'cilium-ccccc': { ...node({ version: '1.16.3', mapShow: true }), tarGz: true },
      },
      { daemonset: 'v1.16.3' },
    );
    const path = join(tmp, `cilium-sysdump-${TS}.zip`);
    writeFileSync(path, zip);
    res = await collect(path);
    expect(res.form).toBe('sysdump-zip');
    expect([...res.nodes.keys()]).toEqual(['cilium-aaaaa', 'cilium-bbbbb', 'cilium-ccccc']);
    for (const n of res.nodes.keys()) expectNode(res, n, '1.16.3', 'daemonset');
    expect(res.nodes.get('cilium-aaaaa')!.version.version).toBe('1.16.3');
  });
  it('lists maps it does not know, maps not pinned on the node, and known maps without a dump', () => {
    for (const n of res.nodes.keys()) {
      const mine = res.reports.filter((r) => r.node === n);
      expect(mine.find((r) => r.map === 'cilium_call_policy')?.status).toBe('unknown-map');
      expect(mine.find((r) => r.map === 'cilium_lb6_reverse_nat')?.status).toBe('absent');
      // v1.16 has cilium_lb6_services_v2, never dumped in these archives.
      expect(mine.find((r) => r.map === 'cilium_lb6_services_v2')?.status).toBe('missing');
      // A map of another version is not expected.
      expect(mine.find((r) => r.map === 'cilium_ipcache_v2')).toBeUndefined();
    }
  });
});

describe('nodes of different versions, no DaemonSet (an upgrade in progress)', () => {
  let res: Result;
  const specs: Record<string, NodeSpec> = {
    'cilium-old11': { version: '1.11.20', binary: 'cilium', status: '1.11.20 (v1.11.20-abc)' },
    'cilium-mid14': { version: '1.14.10', binary: 'cilium', status: '1.14.10 (v1.14.10-def)', markdown: true },
    'cilium-new18': { version: '1.18.2', binary: 'cilium-dbg', mapShow: true },
  };
  it('extracted sysdump directory: each node decoded with its own version', async () => {
    const root = join(tmp, 'extracted', `cilium-sysdump-${TS}`);
    for (const [pod, s] of Object.entries(specs)) writeTree(join(root, `cilium-bugtool-${pod}-${TS}`), bugtoolFiles(s));
    // The directory the zip was extracted into works too.
    for (const p of [root, join(tmp, 'extracted')]) {
      res = await collect(p);
      expect(res.form).toBe('sysdump-directory');
      expectNode(res, 'cilium-old11', '1.11.20', 'status');
      expectNode(res, 'cilium-mid14', '1.14.10', 'status');
      // No status: cilium-dbg (≥ v1.15), ipcache_v2 (≥ v1.18) and 8-byte policy values (v1.18).
      expectNode(res, 'cilium-new18', '1.18.2', 'map-sizes');
      expect(res.nodes.get('cilium-new18')!.version.version).toBe('1.18');
      expect(res.nodes.get('cilium-new18')!.version.reason).toMatch(/guessed v1\.18 from binary cilium-dbg .*cilium_ipcache_v2 24\/24 B, cilium_policy_0 12\/8 B/);
    }
  });
  it('--cilium-version overrides detection', async () => {
    const r = await collect(join(tmp, 'extracted'), { version: '1.14.10', nodes: ['cilium-mid14'] });
    expect([...r.nodes.keys()]).toEqual(['cilium-mid14']);
    expectNode(r, 'cilium-mid14', '1.14.10', 'override');
  });
  it('--map and --node filter', async () => {
    const r = await collect(join(tmp, 'extracted'), { maps: ['lxc', 'cilium_lb4_reverse_nat'], nodes: ['cilium-old11', 'cilium-new18'] });
    expect([...new Set(r.reports.map((x) => x.map))].sort()).toEqual(['cilium_lb4_reverse_nat', 'cilium_lxc']);
    expect([...new Set(r.reports.map((x) => x.node))].sort()).toEqual(['cilium-new18', 'cilium-old11']);
    expectTruth(r.records.get('cilium-old11 cilium_lxc'), '1.11.20', 'cilium_lxc', 'old11 lxc');
  });
});

describe('one bugtool directory or archive', () => {
  it('a cilium-bugtool-<pod>-<ts>/ directory', async () => {
    const dir = join(tmp, `cilium-bugtool-cilium-solo1-${TS}`);
    writeTree(dir, bugtoolFiles({ version: '1.14.10', binary: 'cilium', status: '1.14.10' }));
    const res = await collect(dir);
    expect(res.form).toBe('bugtool-directory');
    expectNode(res, 'cilium-solo1', '1.14.10', 'status');
  });
  it('a bugtool .tar.gz (bugtool names its own top directory)', async () => {
    const p = join(tmp, `cilium-bugtool-cilium-solo2-${TS}.tar.gz`);
    writeFileSync(p, await bugtoolTarGz(bugtoolFiles({ version: '1.11.20', binary: 'cilium', status: '1.11.20', markdown: true })));
    const res = await collect(p);
    expect(res.form).toBe('bugtool-archive');
    expectNode(res, 'cilium-solo2', '1.11.20', 'status');
  });
});

describe('a dump cut short (bpftool killed mid-write)', () => {
  it('decodes the complete entries before the cut and reports the cut', async () => {
    const version = '1.16.3';
    const map = 'cilium_ipcache';
    const zip = await sysdumpZip({ 'cilium-cut01': node({ version, status: version, cut: [map] }) });
    const path = join(tmp, 'cut.zip');
    writeFileSync(path, zip);
    const res = await collect(path);
    const rep = res.reports.find((r) => r.map === map)!;
    expect(rep.status).toBe('cut');
    expect(rep.problems[0]).toMatch(/dump cut short \(bugtool: signal: killed\)/);
    // The cut falls inside an entry: every entry that starts before it but the last is complete.
    const cut = dumpText(version, map).slice(0, 4096);
    const started = cut.split('key:').length - 1;
    const recs = res.records.get(`cilium-cut01 ${map}`)!;
    expect(recs).toHaveLength(started - 1);
    // They are the first entries of the whole dump, exactly.
    const full = await collect(join(tmp, `cilium-sysdump-${TS}.zip`), { maps: [map], nodes: ['cilium-aaaaa'] });
    expect(recs).toEqual(full.records.get(`cilium-aaaaa ${map}`)!.slice(0, started - 1));
    // The other maps of the node are whole.
    for (const m of capturedMaps(version).filter((x) => x !== map)) expectTruth(res.records.get(`cilium-cut01 ${m}`), version, m, m);
  });
});

describe("no raw dump of a map: Cilium's list text instead (v1.10 dumps no lxc or ipcache)", () => {
  it('reads `cilium bpf endpoint list` and `bpf ipcache list` into the same records', async () => {
    const { ciliumKeyString, ciliumListTitles, ciliumTable, ciliumValueString } = await import('../../src/index');
    const { bugtoolFileName } = await import('../../src/sysdump/names');
    const { h } = await import('../helpers/bytes');
    const version = '1.11.20';
    const extra: Record<string, string> = {};
    const expected = new Map<string, DecodedRecord[]>();
    for (const [map, cmd] of [['cilium_lxc', 'cilium bpf endpoint list'], ['cilium_ipcache', 'cilium bpf ipcache list']] as const) {
      const spec = resolveMap(map, version);
      const recs = truth(version, map).map((t) => ({ key: spec.key.decode(h(t.key)) as Record<string, unknown>, value: spec.value.decode(h(t.value)) as Record<string, unknown>, line: 0 }));
      expected.set(map, recs);
      const [t1, t2] = ciliumListTitles(spec);
      extra[`cmd/${bugtoolFileName(cmd)}`] = ciliumTable(t1, t2, recs.map((r) => [ciliumKeyString(spec, r.key), ciliumValueString(spec, r.value)] as const));
    }
    const dir = join(tmp, `cilium-bugtool-cilium-text1-${TS}`);
    const files = bugtoolFiles({ version, binary: 'cilium', status: version, omit: ['cilium_lxc', 'cilium_ipcache'], extra });
    // The empty ipcache list the helper adds would be the one read otherwise.
    delete files[`cmd/${bugtoolFileName('cilium bpf ipcache list')}`];
    Object.assign(files, extra);
    writeTree(dir, files);
    const res = await collect(dir);
    for (const map of ['cilium_lxc', 'cilium_ipcache']) {
      const rep = res.reports.find((r) => r.map === map)!;
      expect(rep.from).toBe('cilium-text');
      expect(rep.status).toBe('ok');
      const got = res.records.get(`cilium-text1 ${map}`)!;
      const want = expected.get(map)!;
      expect(got).toHaveLength(want.length);
      got.forEach((r, i) => {
        for (const part of ['key', 'value'] as const) {
          const w = want[i]![part]!;
          for (const [f, v] of Object.entries(r[part]!)) {
            // `(localhost)` prints only the HOST flag of the endpoint's flags.
            if (v && typeof v === 'object' && 'raw' in v) expect((v as { raw: number }).raw & ~(w[f] as { raw: number }).raw, `${map} ${i} ${part}.${f}`).toBe(0);
            else expect(v, `${map} ${i} ${part}.${f}`).toEqual(w[f]);
          }
        }
      });
      // Only `unused` (lxc) is not printed, but for `(localhost)` rows.
      const full = got.filter((r) => Object.keys(r.value!).length >= Object.keys(want[0]!.value!).length - 1);
      expect(full.length).toBeGreaterThan(got.length / 2);
    }
    // The raw dumps of the other maps are still read from bpftool's output.
    expectTruth(res.records.get('cilium-text1 cilium_lb4_reverse_nat'), version, 'cilium_lb4_reverse_nat', 'revnat');
  });
});

describe('a damaged bugtool archive', () => {
  it('a .tar.gz cut short: its node is reported, the other nodes are read', async () => {
    const { zipSync } = await import('fflate');
    const good = bugtoolFiles({ version: '1.16.3', status: '1.16.3' });
    const whole = await bugtoolTarGz(bugtoolFiles({ version: '1.16.3', status: '1.16.3' }));
    const root = `cilium-sysdump-${TS}`;
    const z: Record<string, Uint8Array> = { [`${root}/cilium-bugtool-cilium-broken-${TS}.tar.gz`]: whole.subarray(0, Math.floor(whole.length / 2)) };
    for (const [name, text] of Object.entries(good)) z[`${root}/cilium-bugtool-cilium-fine-${TS}/${name}`] = new TextEncoder().encode(text);
    const path = join(tmp, 'damaged.zip');
    writeFileSync(path, zipSync(z));
    const res = await collect(path);
    const broken = res.reports.find((r) => r.node === 'cilium-broken' && r.map === '(archive)');
    expect(broken?.status).toBe('problems');
    expect(broken?.problems[0]).toMatch(/^cannot read .*cilium-broken.*tar\.gz: /);
    expectNode(res, 'cilium-fine', '1.16.3', 'status');
  });
});
