/**
 * Issue 8 ("Zero wrong records"), parser and decoder classes: every example of the issue as a
 * regression test, through the fast path and the general parser alike (and the CLI for exit
 * codes). Inputs are generated here; nothing is read from outside the repository.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodecError, DumpError, DumpPipeline, decodeDump, decodeDumpText, parseDumpText, type DecodedRecord, type DumpSummary } from '../../src/index';
import { jsonEntry, plainEntry } from '../../scripts/bpftool-print.mjs';
import { cliPath, ensureCliBuilt } from '../integration/cli';
import { repoRoot } from '../helpers/shared';

type Result = { records: DecodedRecord[]; summary?: DumpSummary; error?: string };

function run(text: string, map: string | undefined, fast: boolean, chunk = 0): Result {
  const p = new DumpPipeline({ map, fast });
  const records: DecodedRecord[] = [];
  try {
    const b = Buffer.from(text);
    const step = chunk || b.length || 1;
    for (let i = 0; i < b.length; i += step) records.push(...p.push(b.subarray(i, i + step)));
    records.push(...p.end());
    return { records, summary: p.finish() };
  } catch (e) {
    if (e instanceof DumpError) return { records, error: e.message };
    throw e;
  }
}

/** Fast path and general parser, whole and byte by byte: one result. */
function both(text: string, map?: string): Result {
  const general = run(text, map, false);
  expect(run(text, map, true)).toEqual(general);
  expect(run(text, map, true, 1)).toEqual(general);
  expect(run(text, map, false, 7)).toEqual(general);
  return general;
}

const failed = (s: DumpSummary | undefined) => s === undefined || s.skipped > 0 || s.issues.some((i) => i.kind !== 'noise');
const messages = (r: Result) => r.summary!.issues.map((i) => i.message);

function cli(args: string[], input: string | Buffer) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: repoRoot, encoding: 'utf8', input, timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const bytes = (...b: number[]) => Uint8Array.from(b);
const revnat = (id: number, extra: number[] = []) => plainEntry(bytes(0, id), bytes(10, 0, 0, id, 0, 53, ...extra));

beforeAll(() => ensureCliBuilt(), 180_000);

describe('class 1: a value or key longer than the layout is refused, never cut', () => {
  const ipcache = [
    'key:',
    '40 00 00 00 00 00 00 01  0a 00 00 04 00 00 00 00',
    '00 00 00 00 00 00 00 00',
    'value:',
    'e8 f1 00 00 00 00 00 00  00 00 00 00',
    'aa bb cc dd',
    '',
  ].join('\n');

  it('the issue example: 0 records, a size mismatch naming 16 bytes, exit 1', () => {
    const r = both(ipcache, 'cilium_ipcache');
    expect(r.records).toEqual([]);
    expect(r.summary!.skipped).toBe(1);
    expect(messages(r).join('\n')).toMatch(/24-byte key and a 16-byte value/);
    const c = cli(['cilium_ipcache', '-o', 'ndjson'], ipcache);
    expect([c.code, c.out]).toEqual([1, '']);
  });

  it('lxc values of 56 and 64 bytes (an older or newer endpoint_info) are refused', () => {
    const key = new Uint8Array(20);
    key[16] = 1;
    for (const n of [56, 64]) {
      const text = plainEntry(key, new Uint8Array(n).fill(1));
      const r = both(text, 'cilium_lxc');
      expect(r.records).toEqual([]);
      expect(messages(r).join('\n')).toContain(`a ${n}-byte value`);
    }
  });

  it('a key with one hex line too many is refused', () => {
    const text = ipcache.replace('00 00 00 00 00 00 00 00\n', '00 00 00 00 00 00 00 00\n01 02\n').replace('aa bb cc dd\n', '');
    const r = both(text, 'cilium_ipcache');
    expect(r.records).toEqual([]);
    expect(messages(r).join('\n')).toMatch(/26-byte key/);
  });

  it('a hex line after a one-line entry (form A) continues its value', () => {
    const r = both(revnat(1) + '01 02\n' + revnat(2), 'cilium_lb4_reverse_nat');
    expect(r.records.map((x) => x.key.rev_nat_index)).toEqual([2]);
    expect(messages(r).join('\n')).toMatch(/8-byte value/);
  });
});

describe('class 2: a good entry after a wrong-size one is kept', () => {
  const text = revnat(1, [0]) + revnat(2) + revnat(3);

  it('the issue example: IDs 2 and 3 come out, entry 1 is reported', () => {
    expect(text).toBe('key: 00 01  value: 0a 00 00 01 00 35 00\nkey: 00 02  value: 0a 00 00 02 00 35\nkey: 00 03  value: 0a 00 00 03 00 35\n');
    const r = both(text, 'cilium_lb4_reverse_nat');
    expect(r.records.map((x) => [x.key.rev_nat_index, x.value!.address, x.line])).toEqual([
      [2, '10.0.0.2', 2],
      [3, '10.0.0.3', 3],
    ]);
    expect(r.summary!.skipped).toBe(1);
    expect(messages(r)).toHaveLength(1);
    expect(messages(r)[0]).toMatch(/^line 1: .*7-byte value/);
    expect(messages(r).join('\n')).not.toContain('input ended');
  });

  it('per-CPU: every CPU value must have the size, not only the first', () => {
    const t = 'key: 00 01\nvalue (CPU 00): 0a 00 00 01 00 35\nvalue (CPU 01): 0a 00 00 01 00\n';
    const r = both(t, 'cilium_lb4_reverse_nat');
    expect(r.records).toEqual([]);
    expect(messages(r).join('\n')).toMatch(/5-byte value/);
  });
});

describe('class 3: broken -j/-p documents are recovered where possible and always reported', () => {
  const e = (i: number) => jsonEntry(bytes(0, i), bytes(10, 0, 0, i, 0, 53));
  const ids = (r: Result) => r.records.map((x) => x.key.rev_nat_index);

  it('a stray `]`: the elements after it are read, the stray text reported, no entry counted as skipped', () => {
    const r = both(`[${e(1)}]},${e(2)},${e(3)}]\n`, 'cilium_lb4_reverse_nat');
    expect(ids(r)).toEqual([1, 2, 3]);
    expect(failed(r.summary)).toBe(true);
    expect(r.summary!.skipped).toBe(0);
    expect(messages(r).join('\n')).toMatch(/unexpected text after the end of a JSON document/);
  });

  it('a stray `]` in -p output, on the line of the last `}`', () => {
    const p = (i: number) => `{\n        "key": ["0x00","0x0${i}"\n        ],\n        "value": ["0x0a","0x00","0x00","0x0${i}","0x00","0x35"\n        ]\n    }`;
    const r = both(`[${p(1)}]},${p(2)},${p(3)}\n]\n`, 'cilium_lb4_reverse_nat');
    expect(ids(r)).toEqual([1, 2, 3]);
    expect(failed(r.summary)).toBe(true);
  });

  it('a document cut at an element boundary, or `[{` alone, is reported', () => {
    for (const text of [`[${e(1)},`, `[${e(1)},\n`, `[${e(1)}`, '[{', '[']) {
      const r = both(text, 'cilium_lb4_reverse_nat');
      expect(ids(r)).toEqual(text.length > 2 ? [1] : []);
      expect(failed(r.summary), text).toBe(true);
      expect(messages(r).join('\n')).toMatch(/input ended inside/);
    }
    const c = cli(['cilium_lb4_reverse_nat', '-o', 'ndjson'], `[${e(1)},`);
    expect(c.code).toBe(1);
  });

  it('an element whose "key" name is mangled is reported as a lost entry', () => {
    const r = both(`[${e(1)},${e(2).replace('"key"', '"]key"')},${e(3)}]\n`, 'cilium_lb4_reverse_nat');
    expect(ids(r)).toEqual([1, 3]);
    expect(r.summary!.skipped).toBe(1);
    expect(messages(r).join('\n')).toMatch(/a value but no "key" member/);
  });

  it('`[]` is a complete, empty dump: clean', () => {
    const r = both('[]\n', 'cilium_lb4_reverse_nat');
    expect([r.records, failed(r.summary)]).toEqual([[], false]);
  });
});

describe('class 6: `map show` headers identify the map; records decoded before a fatal error are delivered', () => {
  // ipcache and lb6 services both have 24-byte keys and 12-byte values.
  const ipcacheEntry = plainEntry(bytes(64, 0, 0, 0, 0, 0, 0, 1, 10, 0, 0, 4, ...new Array(12).fill(0)), bytes(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

  it('the header name (cut to 15 characters) picks among maps of one size', () => {
    const r = both(`5: lpm_trie  name cilium_ipcache  flags 0x1\n${ipcacheEntry}`);
    expect(r.error).toBeUndefined();
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.key.cidr).toBe('10.0.0.4/32');
    expect(r.summary!.maps.map((m) => m.name)).toEqual(['cilium_ipcache']);
  });

  it('the header type alone picks too (lpm_trie: ipcache)', () => {
    const r = both(`5: lpm_trie  name x  flags 0x1\n${ipcacheEntry}`);
    expect(r.summary?.maps.map((m) => m.name)).toEqual(['cilium_ipcache']);
  });

  it('a second, ambiguous section: the first section is delivered in full, then the error', async () => {
    const text = `1: hash  name cilium_lb4_reve  flags 0x1\n${revnat(1)}${revnat(2)}Found 2 elements\n2: array  name other  flags 0x0\n${ipcacheEntry}`;
    for (const fast of [true, false]) {
      const got: number[] = [];
      let error: unknown;
      try {
        for await (const batch of decodeDump([text], { fast })) for (const r of batch) got.push(r.key.rev_nat_index as number);
      } catch (e) {
        error = e;
      }
      expect(got).toEqual([1, 2]);
      expect(error).toBeInstanceOf(DumpError);
      expect((error as DumpError).kind).toBe('ambiguous-map');
    }
    const c = cli(['-o', 'ndjson'], text);
    expect(c.out.trim().split('\n')).toHaveLength(2);
    expect(c.code).toBe(2);
  });
});

describe('class 8: long lines and binary input end, and quickly', () => {
  it('a line far over the cap without a newline is reported once, on both paths', () => {
    const text = 'key: ' + '0'.repeat((1 << 20) + 4096);
    const r = both(text, 'cilium_ipcache');
    expect(messages(r).join('\n')).toMatch(/longer than 1 MiB/);
  });

  it('NUL bytes stop the run with one clear error (decode-map ipcache </dev/zero ends)', () => {
    for (const fast of [true, false]) {
      const p = new DumpPipeline({ map: 'cilium_lb4_reverse_nat', fast });
      expect(p.push(revnat(1) + revnat(2)).map((x) => x.key.rev_nat_index)).toEqual([1]);
      expect(p.push(new Uint8Array(65536)).map((x) => x.key.rev_nat_index)).toEqual([2]);
      expect(() => p.push(new Uint8Array(65536))).toThrow(/binary, not bpftool's text output \(a NUL byte at offset 74\)/);
    }
    const c = spawnSync('sh', ['-c', `head -c 50000000 /dev/zero | "${process.execPath}" "${cliPath}" ipcache`], { encoding: 'utf8', timeout: 60_000 });
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/binary/);
    expect(c.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('class 9: control characters from the input are escaped in diagnostics', () => {
  it('ESC and BEL in an error entry, a bpftool error and a broken line', () => {
    const text = `key: 00 01  value: \x1b[31mboom\x07\nError: \x1b]0;title\x07\nkey: 00 02 \x1b[2J  value: 01\n`;
    const r = both(text, 'cilium_lb4_reverse_nat');
    const all = messages(r).join('\n');
    expect(all).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(all).toContain('\\x1b[31mboom\\x07');
    expect(all).toContain('\\x1b]0;title\\x07');
  });
});

describe('class 12: wrong arguments throw the package’s own error', () => {
  it('decodeDumpText(null), a number, bad options; decodeDump of a non-iterable; a bad chunk', async () => {
    for (const bad of [null, undefined, 42, {}, new Uint8Array(1)]) {
      expect(() => decodeDumpText(bad as never)).toThrow(CodecError);
    }
    expect(() => decodeDumpText('', null as never)).toThrow(CodecError);
    await expect(decodeDump(null as never).next()).rejects.toBeInstanceOf(CodecError);
    await expect(decodeDump([42] as never).next()).rejects.toBeInstanceOf(CodecError);
    expect(() => new DumpPipeline().push(42 as never)).toThrow(CodecError);
    expect(() => parseDumpText('', { format: 'xml' as never })).toThrow(CodecError);
  });
});

describe('class 13: input with no bpftool output fails; other tools’ lines around a dump stay noise', () => {
  it('random text, another tool’s listing, empty input: "no bpftool entries found", exit 1', () => {
    for (const text of ['hello\nworld\n', '[fd8b::1]:80  [::]:0 (1) (0)\n', '']) {
      const r = both(text, 'cilium_lb4_reverse_nat');
      expect(messages(r).join('\n')).toMatch(/no bpftool entries found/);
      expect(failed(r.summary)).toBe(true);
    }
    expect(cli(['cilium_lb4_reverse_nat'], 'hello\n').code).toBe(1);
  });

  it('a Cilium listing line and an author’s note inside a clean dump: noise, exit 0', () => {
    for (const line of ['[fd8b::1]:80  [::]:0 (1) (0)', '[cb 00 71 ba] [1f 90]', '[1f 90]']) {
      const text = `${revnat(2)}${line}\n${revnat(3)}Found 2 elements\n`;
      const r = both(text, 'cilium_lb4_reverse_nat');
      expect(r.records).toHaveLength(2);
      expect(failed(r.summary), line).toBe(false);
      expect(cli(['cilium_lb4_reverse_nat', '-o', 'ndjson'], text).code).toBe(0);
    }
  });
});

describe('class 15: messages that mislead', () => {
  it('a duplicate JSON member: the last one counts (as JSON.parse and jq) and it is reported', () => {
    const el = '{"key":["0x00","0x01"],"value":["0x0a","0x00","0x00","0x01","0x00","0x35"],"value":["0x0a","0x00","0x00","0x09","0x00","0x35"]}';
    const last = (JSON.parse(el) as { value: string[] }).value;
    const r = both(`[${el}]\n`, 'cilium_lb4_reverse_nat');
    expect(r.records.map((x) => x.value!.address)).toEqual([last.slice(0, 4).map((h) => parseInt(h, 16)).join('.')]);
    expect(r.summary!.skipped).toBe(0);
    expect(messages(r).join('\n')).toMatch(/"value" appears twice/);
  });

  it('the snippet of "unexpected text after the key bytes" keeps the first letter', () => {
    const e = parseDumpText('key: 00 01 zz value: 01\n');
    expect(e).toMatchObject([{ kind: 'malformed', text: 'key: 00 01 zz value: 01' }]);
  });

  it('no "entry was skipped" for text that cost no entry', () => {
    const r = both(`[${jsonEntry(bytes(0, 1), bytes(10, 0, 0, 1, 0, 53))}] trailing\n`, 'cilium_lb4_reverse_nat');
    expect(r.records).toHaveLength(1);
    expect(r.summary!.skipped).toBe(0);
    expect(failed(r.summary)).toBe(true);
  });

  it('CRLF line ends are read silently, as the README says', () => {
    const text = (revnat(1) + revnat(2) + 'Found 2 elements\n').replace(/\n/g, '\r\n');
    const r = both(text, 'cilium_lb4_reverse_nat');
    expect([r.records.length, failed(r.summary)]).toEqual([2, false]);
  });
});

describe('class 5: BTF-formatted members are range-checked, and their names pick the layout', () => {
  /** bpftool's BTF plain form of one ipcache entry (§4.2), members as the C struct names them. */
  const ipcacheBtf = (o: { family?: string; byte0?: string; identity?: string; value?: string } = {}) =>
    `[{
        "key": {
            "lpm_key": {
                "prefixlen": 64,
                "data": []
            },
            "cluster_id": 0,
            "pad1": 0,
            "family": ${o.family ?? '1'},
            "": {
                "": {
                    "ip4": 83951626,
                    "pad4": 0,
                    "pad5": 0,
                    "pad6": 0
                },
                "ip6": {
                    "addr": [${o.byte0 ?? '10'},0,1,5,0,0,0,0,0,0,0,0,0,0,0,0
                    ]
                }
            }
        },
        "value": ${o.value ?? `{
            "sec_identity": ${o.identity ?? '12345'},
            "tunnel_endpoint": 50336428,
            "key": 0,
            "flag_skip_tunnel": 0x1,
            "pad": 0x0
        }`}
    }
]
`;

  it('family 257, an address byte 266, a negative identity: the entry is refused, not cut to size', () => {
    for (const [o, what] of [
      [{ family: '257' }, /family = 257 is outside the range of its 1-byte/],
      [{ byte0: '266' }, /an address byte = 266/],
      [{ identity: '-1' }, /sec_identity = -1 is outside/],
      [{ identity: '4294967296' }, /sec_identity = 4294967296/],
    ] as const) {
      const r = both(ipcacheBtf(o), 'cilium_ipcache');
      expect(r.records).toEqual([]);
      expect(messages(r).join('\n')).toMatch(what);
    }
    const ok = both(ipcacheBtf(), 'cilium_ipcache');
    expect(ok.records.map((x) => [x.key.cidr, x.value!.sec_identity])).toEqual([['10.0.1.5/32', 12345]]);
  });

  it('a one-bit flag printed as 2 is refused', () => {
    const r = both(ipcacheBtf().replace('"flag_skip_tunnel": 0x1', '"flag_skip_tunnel": 0x2'), 'cilium_ipcache');
    expect(r.records).toEqual([]);
    expect(messages(r).join('\n')).toMatch(/flag_skip_tunnel = 0x2 is outside the range of its 1-bit field/);
  });

  it('the names identify map and layout without --cilium-version; -j (hex + formatted) gives the same records', () => {
    const plain = both(ipcacheBtf());
    expect(plain.summary!.maps.map((m) => m.name)).toEqual(['cilium_ipcache']);
    expect(failed(plain.summary)).toBe(false);
    // The same entry in -j form: the bytes from the hex arrays, the layout from the formatted names.
    const hex = (b: number[]) => b.map((x) => `"0x${x.toString(16).padStart(2, '0')}"`).join(',');
    const key = [64, 0, 0, 0, 0, 0, 0, 1, 10, 0, 1, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const value = [0x39, 0x30, 0, 0, 0xac, 0x12, 0, 3, 0, 0, 0, 1];
    const formatted = ipcacheBtf().trim().slice(1, -1).replace(/\s+/g, ' ');
    const j = both(`[{"key":[${hex(key)}],"value":[${hex(value)}],"formatted":${formatted}}]\n`);
    expect(j.records.map((r) => ({ key: r.key, value: r.value }))).toEqual(plain.records.map((r) => ({ key: r.key, value: r.value })));
  });

  it('an older layout by its names (sec_label, node_id), and a named version that contradicts them is reported', () => {
    const old = ipcacheBtf({ value: '{ "sec_label": 7, "tunnel_endpoint": 50336428, "node_id": 3, "key": 0, "pad": 0 }' });
    const r = both(old, 'cilium_ipcache');
    expect(r.records.map((x) => [x.value!.sec_identity, x.value!.node_id])).toEqual([[7, 3]]);
    expect(failed(r.summary)).toBe(false);
    const v = run(old, 'cilium_ipcache', false);
    const named = new DumpPipeline({ map: 'cilium_ipcache', version: '1.16' });
    const rec = [...named.push(old), ...named.end()];
    expect(rec.map((x) => x.value!.node_id)).toEqual([3]);
    expect(named.finish().issues.map((i) => i.message).join('\n')).toMatch(/BTF member names fit cilium_ipcache .*not the layout of Cilium 1\.16/);
    expect(v.records).toHaveLength(1);
  });
});
