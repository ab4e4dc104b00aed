// The entries one Cilium node would hold in its conntrack, NAT and metrics maps for a few hundred
// connections, built with the package's own API (connection text → ctKeyFromText / natKeyFromText,
// field inputs → schema.encode). Used by scripts/capture-ct-fixtures.mjs (with dist/) and by
// test/integration/kernel-ct.test.ts (with src/), so both write exactly what this package generates.
//
//   ctWorld(api, { version, seed, connections, monoNow, cpus }) → { entries, metrics }
//
// Every CT/NAT entry says what it is independently of the package's decoding: `client` / `server`
// (or the NAT packet `from` / `to`) come from the scenario, not from the key bytes.
// datapath-maps.md §3.2 (CT key swap), §4.1 (NAT pairs), §6 (metrics), README of generated-ct.

import { mulberry32 } from './prng.mjs';

/** A small deterministic PRNG with the helpers the scenario uses. */
export function prng(seed) {
  const next = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (xs) => xs[int(0, xs.length - 1)], bool: (p = 0.5) => next() < p };
}

const hp = (a, p) => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);

/** Where things live (as in the generated-ct README world). */
function addresses(r, v6) {
  const h = () => r.int(2, 250);
  return v6
    ? {
        local: () => `fd00:10::${h().toString(16)}`,
        remote: () => `fd00:10:${r.int(1, 5)}::${h().toString(16)}`,
        vip: () => `fd00:96::${h().toString(16)}`,
        external: () => `2001:db8:${r.int(1, 0xfff).toString(16)}::${h().toString(16)}`,
        node: 'fc00:c111::2',
      }
    : {
        local: () => `10.0.0.${h()}`,
        remote: () => `10.0.${r.int(1, 5)}.${h()}`,
        vip: () => `10.96.${r.int(0, 3)}.${h()}`,
        external: () => r.pick([`203.0.113.${h()}`, `198.51.100.${h()}`, `192.0.2.${h()}`]),
        node: '172.18.0.2',
      };
}

/**
 * @param api `{ resolveMap, ctKeyFromText, natKeyFromText }` from the package (src or dist).
 * @param opts `{ version, seed, connections, monoNow, cpus }`.
 */
export function ctWorld(api, { version = 'main', seed = 11, connections = 120, monoNow = 1_000_000, cpus = 2 } = {}) {
  const r = prng(seed);
  const specs = new Map();
  const spec = (name) => {
    if (!specs.has(name)) specs.set(name, api.resolveMap(name, version));
    return specs.get(name);
  };
  const entries = [];
  const seen = new Set();
  // A time up to `max` seconds before now (never before boot, never 0, which means "not reported").
  const ago = (max) => Math.max(1, monoNow - r.int(0, max));
  const has = (s, f) => s.value.inputNames.includes(f);

  function ctValue(s, { packets, bytes, backend, revnat = 0, flags = 0x10, natAddr, natPort, ifindex = 0, expired = false, secId }) {
    const lifetime = expired ? ago(120) : monoNow + r.int(5, 21600);
    const v = {
      lifetime,
      flags,
      rev_nat_index: revnat,
      tx_flags_seen: packets ? r.pick([0x02, 0x12, 0x1a, 0x1b]) : 0,
      rx_flags_seen: packets ? r.pick([0x00, 0x12, 0x1a, 0x1b]) : 0,
      src_sec_id: secId ?? r.pick([0, 2, 1, r.int(256, 65535)]),
      last_tx_report: packets ? ago(60) : 0,
      last_rx_report: packets && r.bool(0.7) ? ago(60) : 0,
    };
    if (has(s, 'rx_packets')) {
      // CE-A/CE-B: CT_SERVICE entries keep the backend ID in rx_bytes ("rx_bytes hack").
      const rxp = Math.floor(packets / 2);
      Object.assign(v, { rx_packets: String(rxp), rx_bytes: String(backend ?? Math.floor(bytes / 2)), tx_packets: String(packets - rxp), tx_bytes: String(bytes - Math.floor(bytes / 2)) });
    } else {
      Object.assign(v, { packets: String(packets), bytes: String(bytes) });
      if (backend !== undefined) v.backend_id = String(backend);
    }
    if (has(s, 'ifindex')) v.ifindex = ifindex;
    if (natAddr !== undefined && has(s, 'nat_addr')) Object.assign(v, { nat_addr: natAddr, nat_port: natPort });
    return v;
  }

  function add(map, kind, scenario, conn, key, value, extra) {
    const s = spec(map);
    const kb = s.key.encode(key);
    const id = `${map}/${Buffer.from(kb).toString('hex')}`;
    if (seen.has(id)) return; // the same tuple twice (random ports collided): keep the first
    seen.add(id);
    entries.push({ map, kind, scenario, conn, key, value, keyBytes: kb, valueBytes: s.value.encode(value), ...extra });
  }

  function ct(v6, proto, kind, scenario, conn, client, server, dir, value) {
    const related = kind === 'related';
    const text = `${proto} ${client} -> ${server}${related ? ' related' : ''}`;
    const key = api.ctKeyFromText(text, dir);
    const tcp = key.nexthdr === 6 && !related;
    const map = `cilium_ct${tcp ? '' : '_any'}${v6 ? 6 : 4}_global`;
    add(map, kind, scenario, conn, key, ctValue(spec(map), value), { client, server, direction: dir, related });
  }

  function natPair(v6, proto, scenario, conn, [pa, pp], [ra, rp], [ma, mp], needsCt) {
    const map = `cilium_snat_v${v6 ? 6 : 4}_external`;
    const s = spec(map);
    const created = String(ago(3000));
    const flag = has(s, 'needs_ct') ? { needs_ct: needsCt } : { host_local: needsCt };
    const [pod, remote, masq] = [hp(pa, pp), hp(ra, rp), hp(ma, mp)];
    add(map, 'snat_egress', scenario, conn, api.natKeyFromText(`${proto} ${pod} -> ${remote}`, 'OUT'), { created, ...flag, to_addr: ma, to_port: mp }, { from: pod, to: remote, direction: 'OUT' });
    add(map, 'snat_ingress', scenario, conn, api.natKeyFromText(`${proto} ${remote} -> ${masq}`, 'IN'), { created, ...flag, to_addr: pa, to_port: pp }, { from: remote, to: masq, direction: 'IN' });
  }

  for (let conn = 1; conn <= connections; conn++) {
    const v6 = r.bool(0.2);
    const A = addresses(r, v6);
    const scenario = r.pick(['pod-egress', 'pod-ingress', 'pod-svc', 'pod-svc', 'masq', 'icmp-echo', 'node-masq', 'dsr']);
    const proto = scenario === 'icmp-echo' ? (v6 ? 'icmpv6' : 'icmp') : r.pick(['tcp', 'tcp', 'udp']);
    const eport = r.int(32768, 60999);
    const sport = r.pick([80, 443, 53, 8080, 8443, 5432, 6379]);
    const packets = r.int(1, 5000);
    const traffic = { packets, bytes: packets * r.int(60, 1400), expired: r.bool(0.1) };
    const icmp = v6 ? 'icmpv6' : 'icmp';
    if (scenario === 'pod-egress' || scenario === 'pod-ingress') {
      const [c, s] = scenario === 'pod-egress' ? [A.local(), A.remote()] : [A.remote(), A.local()];
      const dir = scenario === 'pod-egress' ? 'OUT' : 'IN';
      ct(v6, proto, dir === 'OUT' ? 'out' : 'in', scenario, conn, hp(c, eport), hp(s, sport), dir, { ...traffic, flags: proto === 'tcp' ? r.pick([0x10, 0x13, 0x11, 0x12]) : 0 });
      // RELATED: an ICMP error for the flow, created before any packet is counted (v1.16 erratum).
      if (r.bool(0.3)) ct(v6, icmp, 'related', 'related', conn, hp(c, 0), hp(s, 0), dir, { packets: 0, bytes: 0, flags: 0 });
    } else if (scenario === 'pod-svc') {
      const c = A.local();
      const vip = A.vip();
      const local = r.bool(0.4);
      const b = local ? A.local() : A.remote();
      const backend = r.int(1, 4000);
      const revnat = r.int(1, 600);
      ct(v6, proto, 'service', scenario, conn, hp(c, eport), hp(vip, sport), 'SVC', { packets: 0, bytes: 0, backend, revnat, flags: 0x10 });
      ct(v6, proto, 'out', scenario, conn, hp(c, eport), hp(b, 8000 + sport), 'OUT', { ...traffic, revnat, flags: 0x10 });
      if (local) ct(v6, proto, 'in', scenario, conn, hp(c, eport), hp(b, 8000 + sport), 'IN', { ...traffic, revnat, flags: 0x10 });
    } else if (scenario === 'masq' || scenario === 'node-masq') {
      const c = scenario === 'masq' ? A.local() : A.node;
      const s = A.external();
      const mport = scenario === 'masq' ? r.int(32768, 65535) : eport;
      ct(v6, proto, 'out', scenario, conn, hp(c, eport), hp(s, 443), 'OUT', { ...traffic, flags: 0x10 });
      natPair(v6, proto, scenario, conn, [c, eport], [s, 443], [A.node, mport], scenario === 'node-masq' ? '1' : '0');
    } else if (scenario === 'icmp-echo') {
      // Stored as {daddr: C, saddr: S, dport: 0, sport: id}: the identifier is the client's "port".
      const c = A.local();
      const s = A.remote();
      const id = r.int(1, 65535);
      ct(v6, proto, 'out', scenario, conn, hp(c, id), hp(s, 0), 'OUT', { ...traffic, flags: 0 });
    } else {
      // DSR: the RevDNAT address and port stashed in the CT_EGRESS entry (CE-D, v1.19+).
      const c = A.local();
      const s = A.external();
      const natAddr = v6 ? `2001:db8:ffff::${r.int(1, 255).toString(16)}` : `172.19.${r.int(0, 255)}.${r.int(1, 254)}`;
      ct(v6, proto, spec(`cilium_ct4_global`).value.inputNames.includes('nat_addr') ? 'nat_dsr' : 'out', scenario, conn, hp(c, sport), hp(s, eport), 'OUT', { ...traffic, flags: 0xb0, natAddr, natPort: r.pick([80, 443, 8443]) });
    }
  }

  // Metrics: forwarded and drop counters, different on every CPU.
  const ms = spec('cilium_metrics');
  const mkB = ms.key.inputNames.includes('line');
  const metrics = [];
  const keys = new Set();
  const rows = [
    [0, 1, 2], [0, 2, 2], [0, 1, 1], [0, 2, 1], [0, 2, 3], [0, 3, 5], [3, 1, 1], [9, 2, 2],
    [133, 1, 2], [133, 2, 2], [155, 2, 2], [158, 3, 105], [167, 2, 1], [177, 3, 105], [181, 1, 2], [189, 1, 2], [194, 2, 1], [2, 1, 3], [199, 2, 7],
  ];
  for (const [reason, dir, file] of rows) {
    const line = mkB ? r.int(50, 2500) : undefined;
    const key = mkB ? { reason, dir, line, file } : { reason, dir };
    const kb = ms.key.encode(key);
    const id = Buffer.from(kb).toString('hex');
    if (keys.has(id)) continue;
    keys.add(id);
    const values = [];
    for (let cpu = 0; cpu < cpus; cpu++) {
      const count = r.int(0, 2_000_000) * (cpu + 1);
      values.push({ cpu, count: String(count), bytes: String(file === 5 ? 0 : count * r.int(60, 1500)) });
    }
    metrics.push({ map: 'cilium_metrics', kind: reason === 0 ? 'forwarded' : reason < 130 ? 'forward_reason' : 'drop', key, keyBytes: kb, values, valueBytes: values.map((v) => ms.value.encode({ count: v.count, bytes: v.bytes })) });
  }
  return { entries, metrics, specs };
}
