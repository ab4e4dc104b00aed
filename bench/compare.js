/**
 * Whole commands, interleaved: `node bench/compare.js RUNS 'label=command' ...` runs every command
 * once per round, RUNS rounds, output to /dev/null, and prints each one's median wall time, median
 * CPU time (user + system) and largest peak RSS (GNU time), with every round's wall time — the
 * spread is the point on a noisy VM. Example (the README's performance table):
 *   node scripts/gen-ipcache-dump.mjs 512000 > /tmp/ipc.txt
 *   node bench/compare.js 9 "ndjson=node dist/cli.js cilium_ipcache -o ndjson /tmp/ipc.txt" \
 *     "mawk=mawk -f bench/peers/ipcache.awk /tmp/ipc.txt"
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const runs = Number(process.argv[2]);
const cmds = process.argv.slice(3).map((a) => {
  const i = a.indexOf('=');
  return { label: a.slice(0, i), cmd: a.slice(i + 1), wall: [], cpu: [], rss: 0 };
});
if (!(runs > 0) || cmds.length === 0 || cmds.some((c) => !c.label)) {
  console.error('usage: node bench/compare.js RUNS "label=command" ...');
  process.exit(2);
}
console.log(`load ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${runs} interleaved rounds`);
for (let r = 0; r < runs; r++) {
  for (const c of cmds) {
    const res = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', `${c.cmd} > /dev/null 2>/dev/null`], { encoding: 'utf8' });
    // A command that fails is not a fast command: stop, and say which (its stderr went to /dev/null).
    if (res.status !== 0) {
      console.error(`${c.label} exited with status ${res.status}; run it alone to see why: ${c.cmd}`);
      process.exit(1);
    }
    const [e, u, s, m] = res.stderr.trim().split('\n').pop().split(' ').map(Number);
    c.wall.push(e);
    c.cpu.push(u + s);
    c.rss = Math.max(c.rss, m);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const c of cmds) {
  console.log(`${c.label.padEnd(16)} wall ${median(c.wall).toFixed(2)} s  cpu ${median(c.cpu).toFixed(2)} s  peak RSS ${(c.rss / 1024).toFixed(0)} MB  [${c.wall.join(' ')}]`);
}
