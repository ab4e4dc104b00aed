/**
 * Hand-written DataView decoders: the sanity line of suite 1. This is the code a careful user
 * would write by hand for one struct — DataView reads at fixed offsets and the package's own
 * formatters — so the generated fast path should be at least as fast. Each must return exactly
 * the fast path's record (checked before timing, key order included); only little-endian layouts,
 * and only the newest layout of each map, are written out.
 */

/** Builds the decoders; `pkg` is the built package (`dist/index.js`). */
export function handwrittenDecoders(pkg) {
  const { formatIPv4, formatIPv6, formatMac, protoName, backendStateName } = pkg;
  const v4OrV6 = (b, off, v6) => (v6 ? formatIPv6(b, off) : formatIPv4(b, off));
  return {
    // struct ipcache_key (IK-C)
    'ipcache_key (IK-C)': (b, dv, o) => {
      const prefixlen = dv.getUint32(o, true);
      const family = b[o + 7];
      const ip = v4OrV6(b, o + 8, family !== 1);
      return { prefixlen, cluster_id: dv.getUint16(o + 4, true), family, ip, cidr: `${ip}/${prefixlen - 32}` };
    },
    // struct remote_endpoint_info (RE-D), 12 bytes
    'remote_endpoint_info (RE-D)': (b, dv, o) => {
      const f = b[o + 11];
      return { sec_identity: dv.getUint32(o, true), tunnel_endpoint: formatIPv4(b, o + 4), key: b[o + 10], flags: { raw: f, flag_skip_tunnel: (f & 1) !== 0, unknown: f & ~1 } };
    },
    // struct remote_endpoint_info (RE-F), 24 bytes
    'remote_endpoint_info (RE-F)': (b, dv, o) => {
      const f = b[o + 23];
      return {
        sec_identity: dv.getUint32(o, true),
        tunnel_endpoint: v4OrV6(b, o + 4, (f & 4) !== 0),
        key: b[o + 22],
        flags: { raw: f, flag_skip_tunnel: (f & 1) !== 0, flag_has_tunnel_ep: (f & 2) !== 0, flag_ipv6_tunnel_ep: (f & 4) !== 0, flag_remote_cluster: (f & 8) !== 0, unknown: f & ~15 },
      };
    },
    // struct endpoint_key (EK-C)
    'endpoint_key (EK-C)': (b, dv, o) => {
      const family = b[o + 16];
      return { ip: v4OrV6(b, o, family !== 1), family, key: b[o + 17], cluster_id: dv.getUint16(o + 18, true) };
    },
    // struct endpoint_info (EI-D)
    'endpoint_info (EI-D)': (b, dv, o) => {
      const f = dv.getUint32(o + 8, true);
      return {
        ifindex: dv.getUint32(o, true),
        unused: dv.getUint16(o + 4, true),
        lxc_id: dv.getUint16(o + 6, true),
        flags: { raw: f, host: (f & 1) !== 0, athostns: (f & 2) !== 0, no_snat_v4: (f & 4) !== 0, no_snat_v6: (f & 8) !== 0, unknown: (f & ~15) >>> 0 },
        rt_info: dv.getUint32(o + 12, true),
        mac: formatMac(b, o + 16),
        node_mac: formatMac(b, o + 24),
        sec_id: dv.getUint32(o + 32, true),
        parent_ifindex: dv.getUint32(o + 36, true),
      };
    },
    // struct lb4_key
    lb4_key: (b, dv, o) => {
      const proto = b[o + 8];
      return { address: formatIPv4(b, o), dport: dv.getUint16(o + 4, false), backend_slot: dv.getUint16(o + 6, true), proto, scope: b[o + 9], proto_name: protoName(proto) };
    },
    // struct lb4_service (SV-C)
    'lb_service (SV-C)': (b, dv, o) => {
      const f = b[o + 8];
      const f2 = b[o + 9];
      return {
        backend_id: dv.getUint32(o, true),
        count: dv.getUint16(o + 4, true),
        rev_nat_index: dv.getUint16(o + 6, false),
        flags: { raw: f, external_ip: (f & 1) !== 0, nodeport: (f & 2) !== 0, ext_local_scope: (f & 4) !== 0, hostport: (f & 8) !== 0, affinity: (f & 16) !== 0, loadbalancer: (f & 32) !== 0, routable: (f & 64) !== 0, source_range: (f & 128) !== 0, unknown: 0 },
        flags2: { raw: f2, localredirect: (f2 & 1) !== 0, nat_46x64: (f2 & 2) !== 0, l7_loadbalancer: (f2 & 4) !== 0, loopback: (f2 & 8) !== 0, int_local_scope: (f2 & 16) !== 0, two_scopes: (f2 & 32) !== 0, quarantined: (f2 & 64) !== 0, fwd_mode_dsr: (f2 & 128) !== 0, unknown: 0 },
        qcount: dv.getUint16(o + 10, true),
      };
    },
    // struct lb4_backend (BE-E)
    'lb4_backend (BE-E)': (b, dv, o) => {
      const proto = b[o + 6];
      const flags = b[o + 7];
      return { address: formatIPv4(b, o), port: dv.getUint16(o + 4, false), proto, flags, cluster_id: dv.getUint16(o + 8, true), zone: b[o + 10], proto_name: protoName(proto), state: backendStateName(flags) };
    },
    // struct lb6_backend (BE-E)
    'lb6_backend (BE-E)': (b, dv, o) => {
      const proto = b[o + 18];
      const flags = b[o + 19];
      return { address: formatIPv6(b, o), port: dv.getUint16(o + 16, false), proto, flags, cluster_id: dv.getUint16(o + 20, true), zone: b[o + 22], proto_name: protoName(proto), state: backendStateName(flags) };
    },
    // __u32 backend ID
    'lb_backend_key (u32)': (_b, dv, o) => ({ backend_id: dv.getUint32(o, true) }),
    // reverse NAT key and lb4_reverse_nat
    lb_rev_nat_key: (_b, dv, o) => ({ rev_nat_index: dv.getUint16(o, false) }),
    lb4_reverse_nat: (b, dv, o) => ({ address: formatIPv4(b, o), port: dv.getUint16(o + 4, false) }),
  };
}
