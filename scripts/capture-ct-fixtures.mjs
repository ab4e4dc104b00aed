#!/usr/bin/env node
// Captures test/fixtures/ct/<version>/: real bpftool dumps (plain as is, -j and -p gzipped) of the conntrack, NAT and metrics maps
// filled on this real kernel with entries this package generated (scripts/ct-world.mjs), plus the
// ground truth of every entry as it was generated. Needs root, bpftool, python3 and a build
// (`npm run build`). Rerun it on any kernel: `sudo node scripts/capture-ct-fixtures.mjs [VERSION...]`.
//
// Maps are created with the catalogue's types and key/value sizes (lru_hash, percpu_hash) under a
// scratch bpffs directory (never tc/globals), with max_entries 16384 instead of Cilium's 256K/512K
// (LRU maps preallocate; the size does not change the dump format). CT/NAT entries go in through
// `bpftool batch file` lines from the package's batchLine; per-CPU metrics, whose CPUs must differ,
// through scripts/bpf-percpu-update.py (the bpf(2) syscall). Each map is dumped plain, -j and -p.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as api from '../dist/index.js';
import { ctWorld } from './ct-world.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const versions = process.argv.slice(2).length ? process.argv.slice(2) : ['1.10', '1.16', 'main'];
const MAX_ENTRIES = 16384;

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: rc ${r.status}\n${r.stderr}${r.stdout.slice(-400)}`);
  return r.stdout;
}

/** Possible CPUs, as the kernel sizes per-CPU values (/sys/devices/system/cpu/possible: "0-1"). */
export function possibleCpus() {
  let n = 0;
  for (const part of readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    n += b === undefined ? 1 : b - a + 1;
  }
  return n;
}

const big = (_k, v) => (typeof v === 'bigint' ? v.toString() : v);

function main() {
  if (process.getuid?.() !== 0) throw new Error('run as root (bpftool map create needs CAP_BPF)');
  const cpus = possibleCpus();
  const scratch = join('/sys/fs/bpf', `cilium-map-codec-capture-${process.pid}`);
  const tmp = mkdtempSync(join(tmpdir(), 'ct-capture-'));
  mkdirSync(scratch);
  try {
    for (const version of versions) {
      const monoNow = Number(process.hrtime.bigint() / 1_000_000_000n); // CLOCK_MONOTONIC seconds
      const world = ctWorld(api, { version, seed: 27, connections: 90, monoNow, cpus });
      const out = join(root, 'test', 'fixtures', 'ct', version);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(out, { recursive: true });
      const manifest = { version, monoNow, cpus, bpftool: run('bpftool', ['version']).split('\n')[0], kernel: run('uname', ['-r']).trim(), max_entries: MAX_ENTRIES, maps: {} };
      const byMap = new Map();
      for (const e of [...world.entries, ...world.metrics]) {
        if (!byMap.has(e.map)) byMap.set(e.map, []);
        byMap.get(e.map).push(e);
      }
      for (const [name, list] of byMap) {
        const spec = api.resolveMap(name, version);
        const d = spec.def;
        const path = join(scratch, `${name}-${version.replace(/\./g, "_")}`); // bpffs refuses "." in names
        run('bpftool', ['map', 'create', path, 'type', d.type, 'key', String(d.keySize), 'value', String(d.valueSize), 'entries', String(MAX_ENTRIES), 'name', name, 'flags', String(d.flags)]);
        if (d.type === 'percpu_hash') {
          const lines = list.map((e) => `${api.bytesToHex(e.keyBytes).replace(/ /g, '')} ${e.valueBytes.map((b) => api.bytesToHex(b).replace(/ /g, '')).join('')}`);
          const said = run('python3', [join(root, 'scripts', 'bpf-percpu-update.py'), path], lines.join('\n') + '\n').trim();
          if (said !== `updated ${list.length}`) throw new Error(`per-CPU update of ${name}: ${said}`);
        } else {
          const batch = join(tmp, `${name}.batch`);
          writeFileSync(batch, list.map((e) => api.batchLine(path, { op: 'update', key: e.keyBytes, value: e.valueBytes, flag: 'noexist' })).join('\n') + '\n');
          const said = run('bpftool', ['batch', 'file', batch]);
          if (!said.trimEnd().endsWith(`processed ${list.length} commands`)) throw new Error(`batch for ${name}: ${said.slice(-300)}`);
        }
        writeFileSync(join(out, `${name}.dump.txt`), run('bpftool', ['map', 'dump', 'pinned', path]));
        writeFileSync(join(out, `${name}.dump.json.gz`), gzipSync(run('bpftool', ['-j', 'map', 'dump', 'pinned', path]), { level: 9 }));
        writeFileSync(join(out, `${name}.dump.pretty.json.gz`), gzipSync(run('bpftool', ['-p', 'map', 'dump', 'pinned', path]), { level: 9 }));
        const show = JSON.parse(run('bpftool', ['-j', 'map', 'show', 'pinned', path]));
        manifest.maps[name] = { type: show.type, key: show.bytes_key, value: show.bytes_value, max_entries: show.max_entries, flags: show.flags, entries: list.length, key_layout: spec.key.label, value_layout: spec.value.label };
        const truth = list.map((e) => {
          const { keyBytes, valueBytes, ...rest } = e;
          return d.type === 'percpu_hash'
            ? { ...rest, key_hex: api.bytesToHex(keyBytes).replace(/ /g, ''), values_hex: valueBytes.map((b) => api.bytesToHex(b).replace(/ /g, '')) }
            : { ...rest, key_hex: api.bytesToHex(keyBytes).replace(/ /g, ''), value_hex: api.bytesToHex(valueBytes).replace(/ /g, '') };
        });
        writeFileSync(join(out, `${name}.truth.jsonl.gz`), gzipSync(truth.map((t) => JSON.stringify(t, big)).join('\n') + '\n', { level: 9 }));
        rmSync(path);
      }
      writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
      console.log(`${version}: ${[...byMap].map(([m, l]) => `${m} ${l.length}`).join(', ')}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

main();
