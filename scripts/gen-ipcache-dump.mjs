#!/usr/bin/env node
// Writes a realistic `bpftool map dump` of cilium_ipcache to stdout, exactly as bpftool v7.1.0
// prints it (bpftool-formats.md §1.2 form C, §1.3 trailer; §2.1 for -j), without ever holding it
// in memory: used by the streaming test and the whole-dump benchmark.
//   node scripts/gen-ipcache-dump.mjs [N=512000] [plain|json]
// Entries: /32 pod IPs 10.a.b.c with identities 256..65535 and tunnel endpoints 172.18.x.y;
// every 8th entry an IPv6 /128 fd00:10:0:a:b::c; a world entry 0.0.0.0/0 at the end.
import { writeDump } from './bpftool-print.mjs';

const n = Number(process.argv[2] ?? 512000);
const form = process.argv[3] ?? 'plain';

function entryBytes(i) {
  const key = new Uint8Array(24);
  const value = new Uint8Array(12);
  const v6 = i % 8 === 7;
  if (i === n - 1) {
    key.set([32, 0, 0, 0, 0, 0, 0, 1]); // world
    value.set([2, 0, 0, 0]);
    return [key, value];
  }
  key[0] = v6 ? 160 : 64;
  key[7] = v6 ? 2 : 1;
  if (v6) key.set([0xfd, 0, 0, 0x10, 0, 0, (i >> 16) & 255, 0, 0, 0, (i >> 8) & 255, 0, 0, 0, 0, i & 255], 8);
  else key.set([10, (i >> 16) & 255, (i >> 8) & 255, i & 255], 8);
  const id = 256 + ((i * 2654435761) >>> 0) % 65280;
  value.set([id & 255, id >> 8, 0, 0, 172, 18, (i >> 12) & 255, ((i >> 4) & 255) | 1]);
  return [key, value];
}

writeDump(n, form, entryBytes);
