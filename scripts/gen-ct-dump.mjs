#!/usr/bin/env node
// Writes a `bpftool map dump` of cilium_ct4_global (v1.19+ layout: ipv4_ct_tuple key, ct_entry
// CE-D value) to stdout as bpftool v7.1.0 prints it, without holding it in memory: a full default
// CT table is 512k entries, the benchmark's second big input. Bytes are written from the C
// layout by hand (bpf/lib/conntrack.h), not through the package's schemas.
//   node scripts/gen-ct-dump.mjs [N=512000] [plain|json]
// Entries: TCP connections from pods 10.a.b.c to a service backend 10.96.x.y:443, a third of them
// IN entries, every 16th a SERVICE entry; counters grow with the index.
import { writeDump } from './bpftool-print.mjs';

const n = Number(process.argv[2] ?? 512000);
const form = process.argv[3] ?? 'plain';

function entryBytes(i) {
  const key = new Uint8Array(14);
  const value = new Uint8Array(56);
  const dv = new DataView(value.buffer);
  // ipv4_ct_tuple: daddr, saddr (network order), dport, sport (big-endian), nexthdr, flags.
  key.set([10, (i >> 16) & 255, (i >> 8) & 255, i & 255], 0);
  key.set([10, 96, (i >> 4) & 255, 10], 4);
  const sport = 1024 + (i % 60000);
  key.set([1, 187, sport >> 8, sport & 255, 6], 8);
  key[13] = i % 16 === 15 ? 4 : i % 3 === 0 ? 1 : 0;
  // ct_entry CE-D (host order, little-endian): backend_id/nat_addr 8..15, packets, bytes,
  // lifetime, flags, rev_nat_index (BE), nat_port (BE), flags seen, src_sec_id, reports.
  if (key[13] === 4) dv.setBigUint64(8, BigInt(1 + (i % 500)), true);
  dv.setBigUint64(16, BigInt(i * 3), true);
  dv.setBigUint64(24, BigInt(i) * 1500n, true);
  dv.setUint32(32, 100000 + (i % 21600), true);
  dv.setUint16(36, 0x0010, true); // seen_non_syn
  dv.setUint16(38, i % 7, false);
  value[42] = 0x1b;
  value[43] = 0x1b;
  dv.setUint32(44, 256 + (i % 4000), true);
  dv.setUint32(48, 99000, true);
  dv.setUint32(52, 99000, true);
  return [key, value];
}

writeDump(n, form, entryBytes);
