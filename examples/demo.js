// `npm run demo`: decodes the sample bpftool dumps shipped in examples/ with the built CLI.
// The samples are real `bpftool map dump` output of Cilium-shaped maps (plain and -j).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');

const runs = [
  ['cilium_ipcache (plain dump, a v1.13 node: ipcache values carry node_id)', ['cilium_ipcache', 'cilium_ipcache.dump.txt', '--cilium-version', '1.13.0']],
  ['cilium_lxc (bpftool -j output; map identified from the 20/48-byte entries)', ['cilium_lxc.dump.json']],
  ['cilium_lb4_services_v2 as Cilium v1.16 prints it (-o cilium)', ['lb4-services', 'cilium_lb4_services_v2.dump.txt', '--cilium-version', '1.16', '-o', 'cilium']],
  ['cilium_lb4_backends_v3', ['lb4-backends', 'cilium_lb4_backends_v3.dump.txt']],
  ['cilium_lb4_reverse_nat as NDJSON', ['lb4-revnat', 'cilium_lb4_reverse_nat.dump.txt', '-o', 'ndjson']],
  ['the bpftool lookup command for 10.10.1.155/32 in the ipcache', ['key', 'ipcache', '10.10.1.155/32', '--cmd', 'lookup']],
];

let failed = 0;
for (const [title, args] of runs) {
  const shown = args.map((a) => (a.endsWith('.txt') || a.endsWith('.json') ? `examples/${a}` : a));
  process.stdout.write(`\n### ${title}\n$ decode-map ${shown.join(' ')}\n`);
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: here, encoding: 'utf8' });
  process.stdout.write(r.stdout);
  if (r.stderr) process.stdout.write(r.stderr.replace(/^/gm, '[stderr] '));
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`(exit ${r.status})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
