#!/usr/bin/env node
// Writes a large sysdump zip for measuring `decode-map sysdump` (memory, time): NODES agents, each
// with a bpftool dump of cilium_ipcache of N entries (scripts/gen-ipcache-dump.mjs), streamed into
// the zip with fflate, never held whole in memory. Half of the agents are left as unextracted
// bugtool .tar.gz (stored, then gzip'ed on the fly), as cilium-cli leaves them when extraction fails.
//   node scripts/gen-sysdump.mjs OUT.zip [NODES=4] [N=512000]
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createGzip } from 'node:zlib';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { pack } from 'tar-stream';

const [out, nodes = '4', n = '512000'] = process.argv.slice(2);
if (!out) throw new Error('usage: node scripts/gen-sysdump.mjs OUT.zip [NODES] [N]');
const TS = '20260102-030405';
const root = `cilium-sysdump-${TS}`;
const DUMP = 'bpftool-map-dump-pinned--sys-fs-bpf-tc-globals-cilium_ipcache.md';
const file = createWriteStream(out);
const zip = new Zip((err, chunk, final) => {
  if (err) throw err;
  file.write(chunk);
  if (final) file.end();
});

function add(name, text) {
  const f = new ZipDeflate(name, { level: 1 });
  zip.add(f);
  f.push(new TextEncoder().encode(text), true);
}

/** Streams the generator's output into `sink(chunk, final)`. */
function generate(sink) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [new URL('./gen-ipcache-dump.mjs', import.meta.url).pathname, n], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (c) => sink(c, false));
    p.on('close', (code) => (code === 0 ? (sink(new Uint8Array(0), true), resolve()) : reject(new Error(`generator exit ${code}`))));
  });
}

add(`${root}/cilium-daemonset-${TS}.yaml`, 'spec:\n  template:\n    spec:\n      containers:\n      - name: cilium-agent\n        image: quay.io/cilium/cilium:v1.16.3\n');
for (let i = 0; i < Number(nodes); i++) {
  const pod = `cilium-big${i}`;
  if (i % 2 === 0) {
    const f = new ZipDeflate(`${root}/cilium-bugtool-${pod}-${TS}/cmd/${DUMP}`, { level: 1 });
    zip.add(f);
    await generate((c, final) => f.push(c, final));
  } else {
    // A tar.gz entry: the tar needs the size up front, so the dump is generated twice (count, then write).
    let size = 0;
    await generate((c) => (size += c.length));
    const f = new ZipPassThrough(`${root}/cilium-bugtool-${pod}-${TS}.tar.gz`);
    zip.add(f);
    const tar = pack();
    const gz = createGzip({ level: 1 });
    tar.pipe(gz);
    const done = new Promise((resolve) => {
      gz.on('data', (c) => f.push(c, false));
      gz.on('end', () => (f.push(new Uint8Array(0), true), resolve()));
    });
    const entry = tar.entry({ name: `cilium-bugtool-x/cmd/${DUMP}`, size });
    await generate((c, final) => {
      if (c.length) entry.write(c);
      if (final) entry.end();
    });
    tar.finalize();
    await done;
  }
  console.error(`node ${pod} written`);
}
zip.end();
