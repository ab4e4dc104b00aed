// `npm run demo`: decodes the sample bpftool dumps shipped in examples/ with the built CLI.
// The samples are real `bpftool map dump` output of Cilium-shaped maps (plain and -j).
// Prints the decoded output only: the build (when dist/ is missing, in a clone) runs quietly and
// shows its log only if it fails; piped into `head`, the demo ends quietly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');

// A closed pipe (`npm run demo | head`) ends the demo without a trace.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

if (!existsSync(cli) && existsSync(join(here, '..', 'tsup.config.ts'))) {
  const b = spawnSync('npm', ['run', 'build', '--silent'], { cwd: join(here, '..'), encoding: 'utf8' });
  if (b.status !== 0) {
    process.stderr.write(b.stdout + b.stderr);
    process.exit(1);
  }
}

const runs = [
  ['cilium_ipcache (plain dump, a v1.13 node: ipcache values carry node_id)', ['cilium_ipcache', 'cilium_ipcache.dump.txt', '--cilium-version', '1.13.0']],
  ['cilium_lxc (bpftool -j output; map identified from the 20/48-byte entries)', ['cilium_lxc.dump.json']],
  ['cilium_lb4_services_v2 as Cilium v1.16 prints it (-o cilium)', ['lb4-services', 'cilium_lb4_services_v2.dump.txt', '--cilium-version', '1.16', '-o', 'cilium']],
  ['cilium_lb4_backends_v3', ['lb4-backends', 'cilium_lb4_backends_v3.dump.txt']],
  ['cilium_lb4_reverse_nat as NDJSON', ['lb4-revnat', 'cilium_lb4_reverse_nat.dump.txt', '-o', 'ndjson']],
  ['every field of the lxc entries (-o wide), no header', ['cilium_lxc.dump.json', '-o', 'wide', '--no-headers']],
  ['which ipcache entry a lookup of 10.0.0.4 would hit', ['lookup', 'ipcache', '10.0.0.4', '-f', 'cilium_ipcache.dump.txt', '--cilium-version', '1.13.0']],
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
