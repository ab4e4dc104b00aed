/**
 * Suite 2: whole-dump decode. Inputs are generated here in bpftool's exact text (plain form C and
 * `-j`; bpftool-formats.md §1-§2) and never committed: a 512,000-entry cilium_ipcache (its default
 * max_entries; 62 MB plain, 139 MB `-j`) by scripts/gen-ipcache-dump.mjs, and a 65,535-entry
 * cilium_lxc built from the schema layout (fixtures.js).
 *
 * In process, each a full dump turned into materialised records (IP strings, CIDRs, numbers):
 *  - fast:      DumpPipeline with the text fast path and compiled decoders (the default);
 *  - general:   the general bpftool parser + compiled decoders (`fast: false`);
 *  - restructure reference: the general parser + the restructure reference decoders
 *               (`decodeReference`), the yardstick the compiled decoders are measured against.
 * Whole processes, process start included, output to /dev/null, interleaved (one run of every
 * command per round) and reported as medians, with the peak RSS of our own CLI runs:
 *  - floor:     a `node` process that only reads the file and counts its lines;
 *  - decode-map MAP -o ndjson / -o table / -o cilium FILE;
 *  - peers an operator would use instead (ipcache only; bench/peers/): an awk script printing
 *    cidr, identity and tunnel endpoint (mawk when installed, else awk, else skipped with a note)
 *    and a python script (plain text parsed line by line; `-j` by json.load + decode).
 * Time: wall clock, so a loaded machine inflates every row alike; compare ratios within a round.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fprintHex, trailer } from '../scripts/bpftool-print.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

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

/** Median wall time of `runs` calls (one call is a whole dump, far above timer resolution). */
function timeMedian(runs, fn) {
  const ms = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), result };
}

function pipelineRun(pkg, buf, map, fast) {
  const p = new pkg.DumpPipeline({ map, fast });
  let n = 0;
  for (let i = 0; i < buf.length; i += 65536) n += p.push(buf.subarray(i, i + 65536)).length;
  n += p.end().length;
  return n;
}

/**
 * The entries' key and value bytes, packed: the input of {@link retainedFloor}, so that what it
 * times is only decoding bytes into records that are all kept.
 */
function packedEntries(pkg, buf, map) {
  const spec = pkg.resolveMap(map);
  const ks = spec.key.sizeof;
  const vs = spec.value.sizeof;
  const keys = [];
  const values = [];
  const parser = pkg.createDumpParser((e) => {
    if (e.kind !== 'entry') return;
    keys.push(e.entry.key.slice());
    values.push(e.entry.value.slice());
  });
  for (let i = 0; i < buf.length; i += 65536) parser.push(buf.subarray(i, i + 65536));
  parser.end();
  const kb = new Uint8Array(keys.length * ks);
  const vb = new Uint8Array(values.length * vs);
  keys.forEach((k, i) => kb.set(k, i * ks));
  values.forEach((v, i) => vb.set(v, i * vs));
  return { spec, kb, vb, n: keys.length };
}

/**
 * The floor under any retained decode on this machine: the compiled decoders turning packed entry
 * bytes into records, all kept (no text, no key set). Allocating and keeping that many objects is
 * what it measures (on a VM where fresh memory faults at ~14 µs per page, mostly that).
 */
function retainedFloor({ spec, kb, vb, n }) {
  const ks = spec.key.sizeof;
  const vs = spec.value.sizeof;
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { key: spec.key.decodeAt(kb, i * ks), value: spec.value.decodeAt(vb, i * vs), line: i };
  return out.length;
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

/** A command-line tool, or null when it is not installed. */
function tool(names) {
  for (const name of names) {
    const r = spawnSync(name, name.includes('awk') ? ['-W', 'version'] : ['--version'], { stdio: 'ignore' });
    if (!r.error) return name;
  }
  return null;
}

/** Runs a command once with output to /dev/null; wall ms and (for node) peak RSS in MB. */
function spawnOnce(cmd) {
  const rssFile = join(cmd.dir, 'rss');
  const env = cmd.rss ? { ...process.env, BENCH_RSS_FILE: rssFile } : process.env;
  const args = cmd.rss ? ['-r', join(root, 'bench/rss-preload.cjs'), ...cmd.args] : cmd.args;
  const t0 = performance.now();
  const r = spawnSync(cmd.bin, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd.bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, rssMb: cmd.rss ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined };
}

/** The whole-process commands for one input: the floor, our CLI, and the peers (ipcache only). */
function commands(inp, dir, peers, notes) {
  const cli = (o) => ({ name: `decode-map -o ${o}`, bin: process.execPath, args: [join(root, 'dist/cli.js'), inp.map, '-o', o, inp.file], rss: true, dir });
  const list = [
    { name: 'floor: node reads + counts lines', floor: true, bin: process.execPath, args: ['-e', `let n=0;require('fs').createReadStream(${JSON.stringify(inp.file)}).on('data',c=>{for(let i=c.indexOf(10);i!==-1;i=c.indexOf(10,i+1))n++}).on('end',()=>console.log(n))`], rss: true, dir },
    { ...cli('ndjson'), ndjson: true },
  ];
  if (inp.map === 'cilium_ct4_global') list.push({ name: 'decode-map -o ndjson --keep-repeats', bin: process.execPath, args: [join(root, 'dist/cli.js'), inp.map, '-o', 'ndjson', '--keep-repeats', inp.file], rss: true, dir }, cli('cilium'));
  if (inp.map !== 'cilium_ipcache') return list;
  // Worker threads (src/transcode/parallel.ts): the default is none on ≤ 2 cores, so both counts are measured.
  const jobs = (j) => ({ name: `decode-map -o ndjson -j ${j}`, bin: process.execPath, args: [join(root, 'dist/cli.js'), inp.map, '-o', 'ndjson', '-j', String(j), inp.file], rss: true, dir });
  list.push(jobs(1), jobs(2), cli('table'), cli('cilium'));
  if (inp.form === 'plain') {
    if (peers.awk) list.push({ name: `peer: ${peers.awk} script (cidr identity tunnel)`, peer: true, bin: peers.awk, args: ['-f', join(root, 'bench/peers/ipcache.awk'), inp.file], dir });
    else notes.add('awk peer skipped: neither mawk nor awk is installed (apt-get install mawk)');
  }
  if (peers.python) list.push({ name: `peer: python ${inp.form === 'plain' ? 'line parser' : 'json.load + decode'}`, peer: true, bin: peers.python, args: [join(root, 'bench/peers/ipcache.py'), inp.form, inp.file], dir });
  else notes.add('python peer skipped: python3 is not installed');
  return list;
}

export default async function suite2({ pkg, table, si, writeResult, makeDump, QUICK }) {
  const dir = mkdtempSync(join(tmpdir(), 'cilium-map-codec-bench-'));
  const runs = QUICK ? 1 : 3;
  const nIpc = QUICK ? 100_000 : 512_000;
  const nLxc = 65_535;
  const inputs = [];
  const peers = { awk: tool(['mawk', 'awk']), python: tool(['python3']) };
  const notes = new Set();
  if (peers.awk === 'awk') notes.add('awk peer: mawk not installed, measured with awk (apt-get install mawk for the usual operator peer)');
  try {
    for (const form of ['plain', 'json']) {
      const file = join(dir, `ipcache.${form}`);
      const r = spawnSync('bash', ['-c', `node ${JSON.stringify(join(root, 'scripts/gen-ipcache-dump.mjs'))} ${nIpc} ${form} > ${JSON.stringify(file)}`]);
      if (r.status !== 0) throw new Error(`generating the ipcache dump failed: ${r.stderr}`);
      inputs.push({ label: `cilium_ipcache ${nIpc.toLocaleString('en')} ${form === 'plain' ? 'plain' : '-j'}`, map: 'cilium_ipcache', form, file, entries: nIpc });
    }
    // A full default CT table (bpf-ct-global-tcp-max): the other big dump of an investigation.
    const ctFile = join(dir, 'ct4.plain');
    const nCt = QUICK ? 100_000 : 512_000;
    const rc = spawnSync('bash', ['-c', `node ${JSON.stringify(join(root, 'scripts/gen-ct-dump.mjs'))} ${nCt} plain > ${JSON.stringify(ctFile)}`]);
    if (rc.status !== 0) throw new Error(`generating the CT dump failed: ${rc.stderr}`);
    inputs.push({ label: `cilium_ct4_global ${nCt.toLocaleString('en')} plain`, map: 'cilium_ct4_global', form: 'plain', file: ctFile, entries: nCt });
    const lxcFile = join(dir, 'lxc.plain');
    writeFileSync(lxcFile, lxcDump(pkg, makeDump, nLxc));
    inputs.push({ label: `cilium_lxc ${nLxc.toLocaleString('en')} plain`, map: 'cilium_lxc', form: 'plain', file: lxcFile, entries: nLxc });

    const rows = [];
    const procRows = [];
    for (const inp of inputs) {
      const buf = readFileSync(inp.file);
      const mb = buf.length / 1e6;
      const fast = timeMedian(runs, () => pipelineRun(pkg, buf, inp.map, true));
      const general = timeMedian(runs, () => pipelineRun(pkg, buf, inp.map, false));
      const reference = timeMedian(1, () => referenceRun(pkg, buf, inp.map));
      const text = buf.toString('utf8');
      const retained = timeMedian(runs, () => pkg.decodeDumpText(text, { map: inp.map }).records.length);
      const packed = packedEntries(pkg, buf, inp.map);
      const floorRetained = timeMedian(runs, () => retainedFloor(packed));
      for (const r of [fast, general, reference, retained, floorRetained]) if (r.result !== inp.entries) throw new Error(`${inp.label}: decoded ${r.result} of ${inp.entries}`);
      // Whole processes, interleaved: one run of every command per round, medians over rounds.
      const cmds = commands(inp, dir, peers, notes);
      const times = cmds.map(() => ({ ms: [], rss: [] }));
      for (let round = 0; round < runs; round++) {
        cmds.forEach((c, i) => {
          const r = spawnOnce(c);
          times[i].ms.push(r.ms);
          if (r.rssMb !== undefined) times[i].rss.push(r.rssMb);
        });
      }
      const med = times.map((t) => ({ ms: median(t.ms), rssMb: t.rss.length ? Math.max(...t.rss) : undefined }));
      const floorMs = med[cmds.findIndex((c) => c.floor)].ms;
      const ndjsonMs = med[cmds.findIndex((c) => c.ndjson)].ms;
      cmds.forEach((c, i) => procRows.push({ input: inp.label, command: c.name, ms: med[i].ms, rssMb: med[i].rssMb, xFloor: med[i].ms / floorMs, peer: !!c.peer, cliFaster: c.peer ? med[i].ms / ndjsonMs : undefined, xNdjson: c.name.startsWith('decode-map') ? med[i].ms / ndjsonMs : undefined }));
      const row = {
        input: inp.label,
        mb,
        entries: inp.entries,
        fastPerSec: inp.entries / (fast.ms / 1000),
        retainedPerSec: inp.entries / (retained.ms / 1000),
        floorRetainedPerSec: inp.entries / (floorRetained.ms / 1000),
        generalPerSec: inp.entries / (general.ms / 1000),
        referencePerSec: inp.entries / (reference.ms / 1000),
        fastMs: fast.ms,
        cliMs: ndjsonMs,
        countMs: floorMs,
      };
      rows.push(row);
      console.error(`  ${inp.label}: fast ${fast.ms.toFixed(0)} ms, general ${general.ms.toFixed(0)} ms, restructure reference ${reference.ms.toFixed(0)} ms; ${cmds.map((c, i) => `${c.name} ${med[i].ms.toFixed(0)} ms`).join(', ')}`);
    }
    console.log(`\nSuite 2a: whole-dump decode to materialised records, in process (median of ${runs}; 64 KiB chunks, each chunk's records dropped; decodeDumpText keeps all of them)\n`);
    console.log(
      table(
        ['input', 'MB', 'fast rec/s', 'fast MB/s', 'general rec/s', 'restructure reference rec/s', 'fast÷reference', 'decodeDumpText rec/s', 'floor: bytes → kept records rec/s'],
        rows.map((r) => [r.input, r.mb.toFixed(1), si(r.fastPerSec), (r.mb / (r.fastMs / 1000)).toFixed(0), si(r.generalPerSec), si(r.referencePerSec), `${(r.fastPerSec / r.referencePerSec).toFixed(1)}×`, si(r.retainedPerSec), si(r.floorRetainedPerSec)]),
      ),
    );
    console.log('Targets (issue 10): decodeDumpText ≥ 2,000,000 rec/s plain, ≥ 1,500,000 rec/s -j.');
    console.log('"floor: bytes → kept records": compiled decoders over packed entry bytes, every record kept (no text, no key set): no retained decode can beat it here.');
    console.log(`\nSuite 2b: whole processes, process start included, output to /dev/null (median of ${runs} interleaved rounds)\n`);
    console.log(
      table(
        ['input', 'command', 's', '× floor', 'peer ÷ ndjson', '÷ ndjson', 'peak RSS MB'],
        procRows.map((r) => [
          r.input,
          r.command,
          (r.ms / 1000).toFixed(2),
          `${r.xFloor.toFixed(1)}×`,
          r.cliFaster === undefined ? '' : `${r.cliFaster.toFixed(1)}×`,
          r.xNdjson === undefined ? '' : `${r.xNdjson.toFixed(2)}×`,
          r.rssMb === undefined ? '' : r.rssMb.toFixed(0),
        ]),
      ),
    );
    console.log('"peer ÷ ndjson": how many times longer the peer takes than decode-map -o ndjson on the same input.');
    console.log('Targets (issue 10): plain ipcache ndjson ≤ 3× floor, ≥ 4× faster than mawk, ≤ 150 MB; -j ≤ 5× floor, ≤ 200 MB; -o table / -o cilium ≤ 1.3× ndjson.');
    for (const n of notes) console.log(`Note: ${n}`);
    writeResult('suite2-dumps.json', { rows, processes: procRows, notes: [...notes] });
    return { rows, processes: procRows, notes: [...notes] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
