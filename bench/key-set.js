/**
 * What de-duplication costs in a whole dump: the plain 512,000-entry ipcache through DumpPipeline
 * (fast path, compiled decoders) with `dedupe` on and off, interleaved in one process, CPU time
 * (user + system) per run so a loaded machine's waiting does not count; the median difference is
 * the key set's share. `node bench/key-set.js [dump-file] [runs]` (generates the dump when no file
 * is given). Not part of `npm run bench`: a focused probe for src/decode/key-set.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = await import(process.env.CILIUM_MAP_CODEC_DIST ?? '../dist/index.js');

let file = process.argv[2];
const runs = Number(process.argv[3] ?? 9);
let dir;
if (!file) {
  dir = mkdtempSync(join(tmpdir(), 'cilium-map-codec-keyset-'));
  file = join(dir, 'ipcache.plain');
  const r = spawnSync('bash', ['-c', `node ${JSON.stringify(join(root, 'scripts/gen-ipcache-dump.mjs'))} 512000 plain > ${JSON.stringify(file)}`]);
  if (r.status !== 0) throw new Error(`generating the dump failed: ${r.stderr}`);
}
const buf = readFileSync(file);

function run(dedupe) {
  const p = new pkg.DumpPipeline({ map: 'cilium_ipcache', dedupe });
  let n = 0;
  for (let i = 0; i < buf.length; i += 65536) n += p.push(buf.subarray(i, i + 65536)).length;
  return n + p.end().length;
}

const ms = { on: [], off: [] };
for (let r = 0; r < runs; r++) {
  for (const k of ['off', 'on']) {
    const t0 = process.cpuUsage();
    run(k === 'on');
    const d = process.cpuUsage(t0);
    ms[k].push((d.user + d.system) / 1000);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${runs} interleaved runs, CPU ms`);
for (const k of ['off', 'on']) console.log(`  dedupe ${k.padEnd(3)}: median ${median(ms[k]).toFixed(0)} (${ms[k].map((x) => x.toFixed(0)).join(' ')})`);
console.log(`  key set share: ${(median(ms.on) - median(ms.off)).toFixed(0)} ms of ${median(ms.on).toFixed(0)} ms`);
if (dir) rmSync(dir, { recursive: true, force: true });
