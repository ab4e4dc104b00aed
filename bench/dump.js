/**
 * Suite 2: whole-dump decode. Inputs are generated here in bpftool's exact text (plain form C and
 * `-j`; bpftool-formats.md §1-§2) and never committed: a 512,000-entry cilium_ipcache (its default
 * max_entries; 62 MB plain, 139 MB `-j`) by scripts/gen-ipcache-dump.mjs, and a 65,535-entry
 * cilium_lxc built from the schema layout (fixtures.js).
 *
 * Cases, each a full dump turned into materialised records (IP strings, CIDRs, numbers):
 *  - fast:      DumpPipeline with the text fast path and compiled decoders (the default);
 *  - general:   the general bpftool parser + compiled decoders (`fast: false`);
 *  - reference: the general parser + the restructure reference decoders (`decodeReference`);
 *  - CLI:       `node dist/cli.js MAP -o ndjson FILE > /dev/null`, process start included,
 *               against a `node` process that only reads the file and counts its lines.
 * Timing: best of N runs with performance.now() (one run is a whole dump, far above timer
 * resolution, so benny's per-op machinery adds nothing here); rows go to bench/results/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fprintHex, trailer } from '../scripts/bpftool-print.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function lxcDump(pkg, makeDump, n) {
  const spec = pkg.resolveMap('cilium_lxc');
  const keys = makeDump(spec.key, n, 3);
  const values = makeDump(spec.value, n, 4);
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(`key:\n${fprintHex(keys, i * 20, 20)}\nvalue:\n${fprintHex(values, i * 48, 48)}\n`);
  parts.push(trailer(n));
  return parts.join('');
}

function timeBest(runs, fn) {
  let best = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, result };
}

function pipelineRun(pkg, buf, map, fast) {
  const p = new pkg.DumpPipeline({ map, fast });
  let n = 0;
  for (let i = 0; i < buf.length; i += 65536) n += p.push(buf.subarray(i, i + 65536)).length;
  n += p.end().length;
  return n;
}

function referenceRun(pkg, buf, map) {
  const spec = pkg.resolveMap(map);
  let n = 0;
  const parser = pkg.createDumpParser((e) => {
    if (e.kind !== 'entry') return;
    spec.key.decodeReference(e.entry.key);
    spec.value.decodeReference(e.entry.value);
    n++;
  });
  for (let i = 0; i < buf.length; i += 65536) parser.push(buf.subarray(i, i + 65536));
  parser.end();
  return n;
}

function spawnMs(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export default async function suite2({ pkg, table, si, writeResult, makeDump, QUICK }) {
  const dir = mkdtempSync(join(tmpdir(), 'cilium-map-codec-bench-'));
  const runs = QUICK ? 1 : 3;
  const nIpc = QUICK ? 100_000 : 512_000;
  const nLxc = 65_535;
  const inputs = [];
  try {
    for (const form of ['plain', 'json']) {
      const file = join(dir, `ipcache.${form}`);
      const r = spawnSync('bash', ['-c', `node ${JSON.stringify(join(root, 'scripts/gen-ipcache-dump.mjs'))} ${nIpc} ${form} > ${JSON.stringify(file)}`]);
      if (r.status !== 0) throw new Error(`generating the ipcache dump failed: ${r.stderr}`);
      inputs.push({ label: `cilium_ipcache ${nIpc.toLocaleString('en')} ${form === 'plain' ? 'plain' : '-j'}`, map: 'cilium_ipcache', file, entries: nIpc });
    }
    const lxcFile = join(dir, 'lxc.plain');
    writeFileSync(lxcFile, lxcDump(pkg, makeDump, nLxc));
    inputs.push({ label: `cilium_lxc ${nLxc.toLocaleString('en')} plain`, map: 'cilium_lxc', file: lxcFile, entries: nLxc });

    const rows = [];
    for (const inp of inputs) {
      const buf = readFileSync(inp.file);
      const mb = buf.length / 1e6;
      const fast = timeBest(runs, () => pipelineRun(pkg, buf, inp.map, true));
      const general = timeBest(runs, () => pipelineRun(pkg, buf, inp.map, false));
      const reference = timeBest(1, () => referenceRun(pkg, buf, inp.map));
      for (const r of [fast, general, reference]) if (r.result !== inp.entries) throw new Error(`${inp.label}: decoded ${r.result} of ${inp.entries}`);
      const cli = Math.min(...Array.from({ length: runs }, () => spawnMs([join(root, 'dist/cli.js'), inp.map, '-o', 'ndjson', inp.file])));
      const count = Math.min(
        ...Array.from({ length: runs }, () =>
          spawnMs(['-e', `let n=0;require('fs').createReadStream(${JSON.stringify(inp.file)}).on('data',c=>{for(let i=c.indexOf(10);i!==-1;i=c.indexOf(10,i+1))n++}).on('end',()=>console.log(n))`]),
        ),
      );
      const row = {
        input: inp.label,
        mb,
        entries: inp.entries,
        fastPerSec: inp.entries / (fast.ms / 1000),
        generalPerSec: inp.entries / (general.ms / 1000),
        referencePerSec: inp.entries / (reference.ms / 1000),
        fastMs: fast.ms,
        cliMs: cli,
        countMs: count,
      };
      rows.push(row);
      console.error(`  ${inp.label}: fast ${fast.ms.toFixed(0)} ms, general ${general.ms.toFixed(0)} ms, reference ${reference.ms.toFixed(0)} ms, CLI ${cli.toFixed(0)} ms, line count ${count.toFixed(0)} ms`);
    }
    console.log(`\nSuite 2: whole-dump decode to materialised records (best of ${runs}; 64 KiB chunks)\n`);
    console.log(
      table(
        ['input', 'MB', 'fast rec/s', 'fast MB/s', 'general rec/s', 'reference rec/s', 'fast÷ref', 'CLI ndjson s', 'wc-like s', 'CLI÷count'],
        rows.map((r) => [
          r.input,
          r.mb.toFixed(1),
          si(r.fastPerSec),
          (r.mb / (r.fastMs / 1000)).toFixed(0),
          si(r.generalPerSec),
          si(r.referencePerSec),
          `${(r.fastPerSec / r.referencePerSec).toFixed(1)}×`,
          (r.cliMs / 1000).toFixed(2),
          (r.countMs / 1000).toFixed(2),
          `${(r.cliMs / r.countMs).toFixed(1)}×`,
        ]),
      ),
    );
    console.log('Targets: plain ipcache ≥ 2,000,000 rec/s, -j ≥ 1,000,000 rec/s, CLI ≤ 5× the line count (process start included).');
    writeResult('suite2-dumps.json', rows);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
