#!/usr/bin/env node
// Captures the map dumps the sysdump tests build their archives from, with the real kernel and
// the real bpftool: for each Cilium version below, creates its maps (catalogue type, sizes,
// flags) in a scratch directory on bpffs, fills them with random entries valid for that
// version's layout, and writes, into test/fixtures/sysdump/v<version>/:
//   <map>.dump.txt     `bpftool map dump pinned <path>` exactly as printed
//   <map>.truth.txt    one `<key hex> <value hex>` line per entry inserted (the ground truth;
//                      per-CPU maps hold that value on every CPU: bpftool's update copies it)
//   bpftool-map-show.md  `bpftool map show pinned` of every map created (names, sizes)
// Needs root, bpftool and a built dist/ (npm run build). Rerun: node scripts/capture-sysdump-fixtures.mjs
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findMap, resolveMap } from '../dist/index.js';

const OUT = new URL('../test/fixtures/sysdump/', import.meta.url).pathname;
/** Version → maps its agent would have (one node of the test archives each). */
const NODES = {
  '1.11.20': ['cilium_lxc', 'cilium_ipcache', 'cilium_lb4_services_v2', 'cilium_lb4_backends_v2', 'cilium_lb4_reverse_nat'],
  '1.14.10': ['cilium_lxc', 'cilium_ipcache', 'cilium_lb4_services_v2', 'cilium_lb4_backends_v3', 'cilium_lb4_reverse_nat', 'cilium_lb6_services_v2', 'cilium_lb6_reverse_nat'],
  '1.16.3': ['cilium_lxc', 'cilium_ipcache', 'cilium_lb4_services_v2', 'cilium_lb4_backends_v3', 'cilium_lb4_reverse_nat', 'cilium_lb6_backends_v3', 'cilium_ct4_global', 'cilium_ct6_global', 'cilium_snat_v4_external', 'cilium_metrics'],
  '1.18.2': ['cilium_lxc', 'cilium_ipcache_v2', 'cilium_lb4_services_v2', 'cilium_lb4_backends_v3', 'cilium_lb4_reverse_nat', 'cilium_ct_any4_global', 'cilium_snat_v6_external'],
};
/** Entries per map: enough for several 64 KiB chunks in the biggest. */
const COUNT = { cilium_ipcache: 800, cilium_ipcache_v2: 800 };

// mulberry32: reproducible, and every bit usable.
let seed = 0x5eed;
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
function bytes(n) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rand() >>> 24;
  return b;
}

/** Random bytes made valid for the schema: padding zeroed, a real address family, a sane prefix. */
function validBytes(schema) {
  const b = bytes(schema.sizeof);
  for (const f of schema.layout) {
    if (f.padding) b.fill(0, f.offset, f.offset + f.size);
    if (f.kind === 'mac') b.fill(0, f.offset + 6, f.offset + 8);
  }
  const v6 = (rand() & 3) === 0;
  for (const f of schema.layout) {
    if (f.kind !== 'addr16') continue;
    const disc = f.type.params.discriminant;
    const ref = f.refOffset;
    if (disc.by === 'family') b[ref] = v6 ? disc.v6 : disc.v4;
    else b[ref] = v6 ? b[ref] | (1 << disc.bit) : b[ref] & ~(1 << disc.bit);
    if (!v6) b.fill(0, f.offset + 4, f.offset + 16);
  }
  if (schema.name === 'ipcache_key') {
    const bits = v6 ? 64 + (rand() % 65) : 8 + (rand() % 25);
    new DataView(b.buffer).setUint32(0, 32 + bits, schema.endian === 'le');
    for (let i = 0; i < 16; i++) {
      const keep = Math.max(0, Math.min(8, bits - 8 * i));
      b[8 + i] &= (0xff << (8 - keep)) & 0xff;
    }
  }
  return b;
}

/** An entry the package decodes and re-encodes to the same bytes (so the truth is unambiguous). */
function entry(spec) {
  for (let tries = 0; ; tries++) {
    if (tries === 10000) throw new Error(`no valid entry for ${spec.name} after 10000 draws`);
    const k = validBytes(spec.key);
    const v = validBytes(spec.value);
    try {
      const rk = spec.key.encode(spec.key.decode(k));
      const rv = spec.value.encode(spec.value.decode(v));
      if (Buffer.compare(rk, k) === 0 && Buffer.compare(rv, v) === 0) return [k, v];
    } catch {
      // not a value a real map holds; draw again
    }
  }
}

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
function bpftool(args) {
  const r = spawnSync('bpftool', args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`bpftool ${args.join(' ')}: rc ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const scratch = join('/sys/fs/bpf', `cilium-map-codec-sysdump-${process.pid}-${randomBytes(4).toString('hex')}`);
const tmp = mkdtempSync(join(tmpdir(), 'sysdump-capture-'));
mkdirSync(scratch);
try {
  for (const [version, maps] of Object.entries(NODES)) {
    const dir = join(OUT, `v${version}`);
    mkdirSync(dir, { recursive: true });
    let show = '';
    for (const name of maps) {
      const def = findMap(name);
      const spec = resolveMap(name, version);
      const pin = join(scratch, `${version.replaceAll('.', '_')}_${name}`);
      bpftool(['map', 'create', pin, 'type', def.type, 'key', String(def.keySize), 'value', String(def.valueSize), 'entries', String(def.maxEntries), 'name', def.name, 'flags', String(def.flags)]);
      const n = COUNT[name] ?? 40;
      const seen = new Set();
      const truth = [];
      const batch = [];
      while (truth.length < n) {
        const [k, v] = entry(spec);
        const kh = hex(k);
        if (seen.has(kh)) continue;
        seen.add(kh);
        truth.push(`${kh.replaceAll(' ', '')} ${hex(v).replaceAll(' ', '')}`);
        batch.push(`map update pinned ${pin} key hex ${kh} value hex ${hex(v)}`);
      }
      const bf = join(tmp, 'batch');
      writeFileSync(bf, `${batch.join('\n')}\n`);
      bpftool(['batch', 'file', bf]);
      writeFileSync(join(dir, `${name}.dump.txt`), bpftool(['map', 'dump', 'pinned', pin]));
      writeFileSync(join(dir, `${name}.truth.txt`), `${truth.join('\n')}\n`);
      show += bpftool(['map', 'show', 'pinned', pin]);
    }
    // One per-endpoint policy map, as every agent has: its sizes bound the version
    // (datapath-maps.md §5.1, §13). Not in the catalogue; only `map show` is captured.
    const minor = Number(version.split('.')[1]);
    const policy = join(scratch, `${version.replaceAll('.', '_')}_policy`);
    const [pk, pv] = [minor <= 13 ? 8 : 12, minor <= 17 ? 24 : minor === 18 ? 8 : 12];
    const pname = minor >= 20 ? 'cilium_policy_v3_00042' : minor === 19 ? 'cilium_policy_v2_00042' : 'cilium_policy_00042';
    bpftool(['map', 'create', policy, 'type', minor <= 13 ? 'hash' : 'lpm_trie', 'key', String(pk), 'value', String(pv), 'entries', '16384', 'name', pname, 'flags', '1']);
    show += bpftool(['map', 'show', 'pinned', policy]);
    writeFileSync(join(dir, 'bpftool-map-show.md'), show);
    console.log(`v${version}: ${maps.length} maps`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
}
