/**
 * The text Cilium's own Go code prints for map entries — `Key.String()` / `Value.String()`, as
 * `cilium map get` and `cilium-dbg bpf … list` show them — for the Cilium version of a
 * {@link MapSpec} (checked against the Go sources cited at each function).
 *
 * Address text follows the Go type each version prints with:
 * - `net.IP.String()` (types.IPv4/IPv6, `net.JoinHostPort`): an IPv4-mapped IPv6 address prints as
 *   a dotted quad (`::ffff:1.2.3.4` → `1.2.3.4`);
 * - `netip.Addr.String()` (AddrCluster / PrefixCluster built with `netip.AddrFrom16`: v1.13+
 *   backends, v1.14+ ipcache keys): it stays `::ffff:1.2.3.4`.
 * v1.14+ endpoint keys are AddrCluster too, but built from a `net.IP` through Cilium's unmapping
 * conversions, so they are printed unmapped (assumed; that source was not read).
 * Other IPv6 text is RFC 5952 in both, which is what the decoded records already hold.
 */
import type { MapSpec } from '../cilium/catalog';
import { ByteSink } from '../schema/byte-sink';
import { IPCACHE_FLAG_WORDS, protoName, SERVICE_FLAG_WORDS, SERVICE_ROUTABLE, SERVICE_TYPE_WORDS } from '../cilium/names';
import { atLeast, compareVersions, NEWEST_MINOR, parseVersion, type CiliumVersion } from '../cilium/versions';
import { ciliumCtKeyText, ciliumCtValueText, ciliumNatKeyText, ciliumNatValueText } from './cilium-text-ct';

type Rec = Readonly<Record<string, unknown>>;
/** A version as far as the formats care: minor and patch (`Infinity` = newest patch). */
type Ver = Pick<CiliumVersion, 'minor' | 'patch'>;

/** Options of {@link ciliumValueString}. */
export interface CiliumTextOptions {
  /**
   * Name of a backend's topology zone ID (v1.16+ `lb*_backend.zone`). Go prints
   * `option.Config.GetZone(zone)`, a lookup in the agent's `--fixed-zone-mapping`, which the bytes
   * do not carry. Without this callback the zone prints as its decimal ID (`TCP://10.0.2.230[3]`)
   * — not what the agent prints, but never a guessed name. (A `cilium-dbg` run without the agent's
   * configuration has an empty mapping and would print `[]`; not verified.)
   */
  zoneName?: (zone: number) => string;
}

// ---------------------------------------------------------------------------------------------
// Versions

const versions = new WeakMap<MapSpec, Ver>();

/**
 * The version a spec's text is printed for: its own, else the newest its layout covers. Worked
 * out once per spec (it was a regex per printed entry: 83 ms of a 512k ipcache `-o cilium` run).
 */
export function versionOf(spec: MapSpec): Ver {
  if (spec.version) return spec.version;
  let v = versions.get(spec);
  if (!v) versions.set(spec, (v = newestOf(spec)));
  return v;
}

function newestOf(spec: MapSpec): Ver {
  // No version: the newest layout, printed the way the newest version using it prints it.
  let best: Ver = { minor: 10, patch: 0 };
  for (const r of spec.layoutVersions) {
    const to: Ver = r.to === 'main' ? { minor: NEWEST_MINOR, patch: Infinity } : toVer(r.to);
    if (compareVersions(to, best) > 0) best = to;
  }
  return best;
}

function toVer(text: string): Ver {
  const m = /^1\.(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { minor: NEWEST_MINOR, patch: Infinity };
  return { minor: Number(m[1]), patch: m[2] === undefined ? Infinity : Number(m[2]) };
}

const at = atLeast;

/** `v` is 1.minor.from … 1.minor.to. */
function inPatch(v: Ver, minor: number, from: number, to: number): boolean {
  return v.minor === minor && v.patch >= from && v.patch <= to;
}

const whats = new WeakMap<MapSpec, { key: string; value: string }>();

/** The names errors give a spec's key and value (`cilium_ipcache key`), made once per spec. */
function whatOf(spec: MapSpec): { key: string; value: string } {
  let w = whats.get(spec);
  if (!w) whats.set(spec, (w = { key: `${spec.name} key`, value: `${spec.name} value` }));
  return w;
}

function asVer(version: Ver | string | undefined): Ver {
  if (version === undefined) return { minor: NEWEST_MINOR, patch: Infinity };
  return typeof version === 'string' ? parseVersion(version) : version;
}

// ---------------------------------------------------------------------------------------------
// Record access: strict, so a drifted record shape fails loudly instead of printing `undefined`.

function field(rec: Rec, name: string, what: string): unknown {
  const v = rec[name];
  if (v !== undefined) return v;
  if (!(name in rec)) throw new TypeError(`${what}: the decoded record has no "${name}" field (fields: ${Object.keys(rec).join(', ')})`);
  return rec[name];
}

function num(rec: Rec, name: string, what: string): number {
  const v = field(rec, name, what);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`${what}: "${name}" should be a number, got ${typeof v}`);
}

function optNum(rec: Rec, name: string, what: string): number {
  return name in rec ? num(rec, name, what) : 0;
}

function str(rec: Rec, name: string, what: string): string {
  const v = field(rec, name, what);
  if (typeof v !== 'string') throw new TypeError(`${what}: "${name}" should be a string, got ${typeof v}`);
  return v;
}

/** A flags field: the schema's `{ raw, <names>…, unknown }`, or a plain number. */
function flagsRaw(rec: Rec, name: string, what: string): number {
  const v = field(rec, name, what);
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { raw?: unknown }).raw === 'number') return (v as { raw: number }).raw;
  throw new TypeError(`${what}: "${name}" should be a flags object with a numeric "raw", got ${JSON.stringify(v)}`);
}

// ---------------------------------------------------------------------------------------------
// Go formatting helpers

/** `%-Nd`: left-aligned, padded with trailing spaces. */
function leftPad(n: number, width: number): string {
  return String(n).padEnd(width, ' ');
}

/** `net.IP.String()` of an address the record holds as netip-style text: unmaps IPv4-mapped IPv6. */
export function netIP(addr: string): string {
  return addr.startsWith('::ffff:') && addr.includes('.') ? addr.slice(7) : addr;
}

/** Go `net.JoinHostPort`: brackets a host that contains a colon. */
function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `cmtypes.AddrCluster.String()` (`pkg/clustermesh/types/addressing.go`): `addr[@cluster]`. */
function addrCluster(addr: string, clusterID: number): string {
  return clusterID === 0 ? addr : `${addr}@${clusterID}`;
}

/** `byteorder.NetworkToHost16` on a little-endian host. */
function swap16(x: number): number {
  return ((x & 0xff) << 8) | ((x >>> 8) & 0xff);
}

// ---------------------------------------------------------------------------------------------
// Where text goes

/**
 * A format's text for the string API: the same writer the CLI's output buffer gets, into a fresh
 * sink (the hot maps' writers take a {@link ByteSink}, so their lines are written piece by piece
 * with no joined string to flatten and re-encode).
 */
export function textOf(write: (out: ByteSink) => void): string {
  const out = new ByteSink(256);
  write(out);
  return out.text();
}

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * `Key.String()` of a decoded key, as the spec's Cilium version prints it (the newest layout's
 * newest version when the spec has none).
 *
 * - `cilium_lxc` (`EndpointKey.String()`, `pkg/bpf/endpoint.go`): v1.10 – v1.13
 *   `net.JoinHostPort(ip, "%d" key)` → `10.0.1.51:0`, `[f00d::a0f:0:0:1234]:0`; v1.14+
 *   `AddrCluster.String() + ":" + key` → `10.0.1.51@2:0`, `f00d::a0f:0:0:1234:0` (no brackets).
 *   Unknown family: `nil`.
 * - ipcache (`Key.String()`, `pkg/maps/ipcache/ipcache.go`): v1.10 – v1.13 `"%s/%d"` of the IP and
 *   `prefixlen - 32` (uint32 arithmetic); v1.14+ `PrefixCluster.String()` → `10.0.2.158/32@3`
 *   (`invalid Prefix` when the length does not fit). Unknown family: `<unknown>`.
 * - services (`Service4Key`/`Service6Key.String()`, `pkg/maps/lbmap/ipv{4,6}.go` ≤ v1.17,
 *   `pkg/loadbalancer/maps/types.go` v1.18+): `addr:port` (`[addr]:port` for IPv6), then from v1.17
 *   `/PROTO`, then `/i` for the internal scope, then ` (slot)` from v1.13.16 / v1.14.10 / v1.15.4 /
 *   v1.16.0.
 * - backends and reverse NAT: the ID as `"%d"` (reverse NAT IDs after the BE→host swap).
 */
export function ciliumKeyString(spec: MapSpec, key: Readonly<Record<string, unknown>>): string {
  const v = versionOf(spec);
  const what = whatOf(spec).key;
  switch (spec.def.kind) {
    case 'endpoint': {
      const family = num(key, 'family', what);
      if (family !== 1 && family !== 2) return 'nil';
      const ip = str(key, 'ip', what);
      const k = num(key, 'key', what);
      if (!at(v, 14)) return joinHostPort(netIP(ip), k);
      // v1.14+: AddrCluster built from the key's net.IP; Cilium's conversions (ip.AddrFromIP,
      // netipx.FromStdIP) unmap IPv4-mapped addresses, so net.IP text is assumed here (unverified).
      return `${addrCluster(netIP(ip), optNum(key, 'cluster_id', what))}:${k}`;
    }
    case 'ipcache':
      return textOf((out) => ipcacheKeyTo(v, key, what, out));
    case 'service': {
      const addr = netIP(str(key, 'address', what));
      const port = num(key, 'dport', what);
      const slot = num(key, 'backend_slot', what);
      const internal = num(key, 'scope', what) === 1; // loadbalancer.ScopeInternal
      let s = spec.def.family === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
      if (at(v, 17)) s += `/${protoName(num(key, 'proto', what))}`;
      if (internal) s += '/i';
      if (hasSlotSuffix(v)) s += ` (${slot})`;
      return s;
    }
    case 'backend':
      return String(num(key, 'backend_id', what));
    case 'revnat':
      return String(num(key, 'rev_nat_index', what));
    case 'ct':
      return ciliumCtKeyText(spec, key) ?? '';
    case 'nat':
      return ciliumNatKeyText(spec, key) ?? '';
    case 'metrics':
      throw new TypeError('cilium_metrics is printed as a table of summed rows: use ciliumMetricsTable');
  }
}

/** The ` (slot)` suffix of service keys: upstream ecf6ff19e7, backported to v1.13.16, v1.14.10, v1.15.4. */
function hasSlotSuffix(v: Ver): boolean {
  if (at(v, 16)) return true;
  if (v.minor === 15) return at(v, 15, 4);
  if (v.minor === 14) return at(v, 14, 10);
  if (v.minor === 13) return at(v, 13, 16);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * `Value.String()` of a decoded value, as the spec's Cilium version prints it (the newest layout's
 * newest version when the spec has none).
 *
 * - `cilium_lxc` (`EndpointInfo.String()`, `pkg/maps/lxcmap/lxcmap.go`): `(localhost)` when the
 *   HOST flag is set; otherwise v1.10 – v1.13
 *   `"id=%-5d flags=0x%04X ifindex=%-3d mac=%s nodemac=%s"`, v1.14 – v1.17 with `sec_id=%-5d ` after
 *   the ID, v1.18 – v1.19 plus `" parent_ifindex=%-3d"`, v1.20+ plus `" rt_info:%d"`. MACs are
 *   uppercase (`mac.Uint64MAC.String()`), `%-Nd` pads with trailing spaces.
 * - ipcache (`RemoteEndpointInfo.String()`, `pkg/maps/ipcache/ipcache.go`): the per-patch table of
 *   the patch-level table below; from v1.18 `"identity=%d encryptkey=%d
 *   tunnelendpoint=%s flags=%s"` with the flag list.
 * - services (`Service4Value.String()`): v1.10 – v1.11 `"%d (%d) [FLAGS: 0x%x]"`, v1.12 – v1.16
 *   `"%d %d (%d) [0x%x 0x%x]"`, v1.17+ `"%d %d[%d] (%d) [0x%x 0x%x]"`; the first number is the raw
 *   first u32 (backend ID, or the master entry's packed affinity/algorithm/L7 port), printed as is.
 * - backends: v1.10 – v1.12 `"%s://%s:%d"` (IPv6 `"%s://[%s]:%d"`); v1.13+ `"%s://%s"` of
 *   `AddrCluster` — no port — and `[zone]` when the zone is non-zero (see
 *   {@link CiliumTextOptions.zoneName}).
 * - reverse NAT (`RevNat4Value.String()`): `net.JoinHostPort(addr, port)`.
 *
 * @param key the entry's decoded key. No upstream `Value.String()` reads the key; it is accepted so
 *   that callers can pass whole entries uniformly.
 */
export function ciliumValueString(spec: MapSpec, value: Readonly<Record<string, unknown>>, key?: Readonly<Record<string, unknown>>, opts: CiliumTextOptions = {}): string {
  const v = versionOf(spec);
  const what = whatOf(spec).value;
  switch (spec.def.kind) {
    case 'endpoint':
      return endpointValueText(v, value, what);
    case 'ipcache':
      return textOf((out) => ipcacheValueTo(v, value, what, out));
    case 'service': {
      const id = num(value, 'backend_id', what);
      const count = num(value, 'count', what);
      const revnat = num(value, 'rev_nat_index', what);
      const f = flagsRaw(value, 'flags', what);
      const f2 = flagsRaw(value, 'flags2', what);
      if (!at(v, 12)) return `${id} (${revnat}) [FLAGS: 0x${f.toString(16)}]`;
      if (!at(v, 17)) return `${id} ${count} (${revnat}) [0x${f.toString(16)} 0x${f2.toString(16)}]`;
      return `${id} ${count}[${num(value, 'qcount', what)}] (${revnat}) [0x${f.toString(16)} 0x${f2.toString(16)}]`;
    }
    case 'backend':
      return backendValueText(spec, v, value, what, opts);
    case 'revnat':
      return joinHostPort(netIP(str(value, 'address', what)), num(value, 'port', what));
    case 'ct':
      return ciliumCtValueText(spec, value);
    case 'nat':
      if (!key) throw new TypeError(`${what}: the NAT text depends on the key's direction; pass the key`);
      return ciliumNatValueText(spec, key, value);
    case 'metrics':
      throw new TypeError('cilium_metrics is printed as a table of summed rows: use ciliumMetricsTable');
  }
}

/**
 * {@link ciliumKeyString}, written into `out` (a {@link ByteSink}: the CLI's `-o cilium`). The
 * ipcache key is written piece by piece; other maps' text is built as a string first. On a throw
 * (a record without a field the text needs) the sink is left as it was.
 */
export function ciliumKeyTo(spec: MapSpec, key: Readonly<Record<string, unknown>>, out: ByteSink): void {
  const at = out.pos;
  try {
    if (spec.def.kind === 'ipcache') ipcacheKeyTo(versionOf(spec), key, whatOf(spec).key, out);
    else out.string(ciliumKeyString(spec, key));
  } catch (e) {
    out.pos = at;
    throw e;
  }
}

/** {@link ciliumValueString}, written into `out`; the same pieces rule as {@link ciliumKeyTo}. */
export function ciliumValueTo(spec: MapSpec, value: Readonly<Record<string, unknown>>, key: Readonly<Record<string, unknown>> | undefined, out: ByteSink, opts?: CiliumTextOptions): void {
  const at = out.pos;
  try {
    if (spec.def.kind === 'ipcache') ipcacheValueTo(versionOf(spec), value, whatOf(spec).value, out);
    else out.string(ciliumValueString(spec, value, key, opts));
  } catch (e) {
    out.pos = at;
    throw e;
  }
}

/** `EndpointInfo.String()` (`pkg/maps/lxcmap/lxcmap.go`). */
function endpointValueText(v: Ver, value: Rec, what: string): string {
  const flags = flagsRaw(value, 'flags', what);
  if (flags & 1) return '(localhost)'; // EndpointFlagHost
  let s = `id=${leftPad(num(value, 'lxc_id', what), 5)} `;
  if (at(v, 14)) s += `sec_id=${leftPad(num(value, 'sec_id', what), 5)} `;
  s += `flags=0x${flags.toString(16).toUpperCase().padStart(4, '0')} ifindex=${leftPad(num(value, 'ifindex', what), 3)}`;
  s += ` mac=${str(value, 'mac', what).toUpperCase()} nodemac=${str(value, 'node_mac', what).toUpperCase()}`;
  if (at(v, 18)) s += ` parent_ifindex=${leftPad(num(value, 'parent_ifindex', what), 3)}`; // commit 3124d2d9d3
  if (at(v, 20)) s += ` rt_info:${num(value, 'rt_info', what)}`; // commit 248ca76448
  return s;
}

/** The ipcache `Key.String()` (see {@link ciliumKeyString}). */
function ipcacheKeyTo(v: Ver, key: Rec, what: string, out: ByteSink): void {
  const family = num(key, 'family', what);
  if (family !== 1 && family !== 2) return out.ascii('<unknown>');
  const ip = str(key, 'ip', what);
  // Go subtracts the static prefix bits in uint32: a prefixlen below 32 wraps around.
  const bits = (num(key, 'prefixlen', what) - 32) >>> 0;
  if (!at(v, 14)) {
    out.string(netIP(ip));
    out.ascii('/');
    return out.number(bits);
  }
  // netip.PrefixFrom(netip.AddrFromSlice / AddrFrom16, bits): netip text, invalid if too long.
  if (bits > (family === 1 ? 32 : 128)) out.ascii('invalid Prefix');
  else {
    out.string(ip);
    out.ascii('/');
    out.number(bits);
  }
  // cmtypes.AddrCluster.String(): `addr[@cluster]`.
  const cluster = optNum(key, 'cluster_id', what);
  if (cluster !== 0) {
    out.ascii('@');
    out.number(cluster);
  }
}

/**
 * `RemoteEndpointInfo.String()` by patch release. The node-ID builds print
 * `nodeid=%d`, or `nodeid=0x%s` of `strconv.FormatUint(nodeID, 16)` (lowercase hex, no leading
 * zeros; cilium/cilium#26130) in v1.11.19, v1.12.12, v1.13.5 and v1.14.0.
 */
function ipcacheValueTo(v: Ver, value: Rec, what: string, out: ByteSink): void {
  const id = num(value, 'sec_identity', what);
  const key = num(value, 'key', what);
  // types.IPv4 (≤ v1.17) and GetTunnelEndpoint()'s net.IP (v1.18+) both print net.IP text.
  const tunnel = netIP(str(value, 'tunnel_endpoint', what));
  if (v.minor <= 11) {
    // v1.10 – v1.11: "%d %d %s" (identity, key, tunnel) [+ " %d" / " 0x%s" node ID]
    out.number(id);
    out.ascii(' ');
    out.number(key);
    out.ascii(' ');
    out.string(tunnel);
    if (inPatch(v, 11, 14, 18)) {
      out.ascii(' ');
      out.number(num(value, 'node_id', what));
    } else if (inPatch(v, 11, 19, 19)) out.ascii(` 0x${num(value, 'node_id', what).toString(16)}`);
    return;
  }
  out.ascii('identity=');
  out.number(id);
  out.ascii(' encryptkey=');
  out.number(key);
  out.ascii(' tunnelendpoint=');
  out.string(tunnel);
  const node = nodeIdForm(v);
  if (node === 'dec') {
    out.ascii(' nodeid=');
    out.number(num(value, 'node_id', what));
    return;
  }
  if (node === 'hex') return out.ascii(` nodeid=0x${num(value, 'node_id', what).toString(16)}`);
  if (!at(v, 16)) return;
  const raw = flagsRaw(value, 'flags', what);
  // v1.16.0 printed ", flags=" (comma removed by 523219f0d8 for v1.17). Later v1.16.x patches were
  // not read; they are assumed to keep the comma.
  out.ascii(v.minor === 16 ? ', flags=' : ' flags=');
  out.ascii(ipcacheFlagsText(raw, v));
}

/** Which v1.12+ patch releases print a node ID, and how. */
function nodeIdForm(v: Ver): 'dec' | 'hex' | undefined {
  if (v.minor < 12 || v.minor > 14) return undefined;
  if (inPatch(v, 12, 8, 11) || inPatch(v, 13, 0, 4)) return 'dec';
  if (inPatch(v, 12, 12, 12) || inPatch(v, 13, 5, 5) || inPatch(v, 14, 0, 0)) return 'hex';
  return undefined;
}

/**
 * `RemoteEndpointInfoFlags.String()`: the set flags' names joined by commas, or `<none>`.
 * v1.16 – v1.17 know only `skiptunnel`; v1.18 adds `hastunnel`, `ipv6tunnel`; v1.19 `remotecluster`.
 * Bits a version does not name are not printed.
 */
function ipcacheFlagsText(raw: number, v: Ver): string {
  if (raw === 0) return '<none>';
  const names: string[] = [];
  for (const w of IPCACHE_FLAG_WORDS) if (raw & w.bit && at(v, w.from)) names.push(w.word);
  return names.length ? names.join(',') : '<none>';
}

/** `Backend{4,6}Value[V3].String()` (`pkg/maps/lbmap/ipv{4,6}.go`, `pkg/loadbalancer/maps/types.go`). */
function backendValueText(spec: MapSpec, v: Ver, value: Rec, what: string, opts: CiliumTextOptions): string {
  const proto = protoName(num(value, 'proto', what));
  const addr = str(value, 'address', what);
  if (!at(v, 13)) {
    const port = num(value, 'port', what);
    return spec.def.family === 6 ? `${proto}://[${netIP(addr)}]:${port}` : `${proto}://${addr}:${port}`;
  }
  // v1.13+: AddrClusterFrom(Address.Addr(), ClusterID) — netip text; the port is not printed.
  const ac = addrCluster(addr, optNum(value, 'cluster_id', what));
  const zone = optNum(value, 'zone', what);
  if (zone === 0) return `${proto}://${ac}`;
  return `${proto}://${ac}[${opts.zoneName ? opts.zoneName(zone) : String(zone)}]`;
}

// ---------------------------------------------------------------------------------------------
// ServiceFlags and `cilium bpf lb list`

/**
 * `loadbalancer.ServiceFlags.String()` (`pkg/loadbalancer/loadbalancer.go`): the `[...]` text of
 * `cilium bpf lb list`, e.g. `ClusterIP, non-routable`. `flags` is Go's 16-bit `ServiceFlags`,
 * `flags2 << 8 | flags` of a service value. The service type comes from the first matching bit
 * (ExternalIPs, NodePort, LoadBalancer, HostPort, LocalRedirect, else ClusterIP), then in order:
 * `Local`, `InternalLocal` (v1.13+), `two-scopes` (v1.13+), `sessionAffinity`, `non-routable`
 * (ROUTABLE clear), `check source-range` (+ `deny` on flags2 bit 6, v1.17+), `46x64` (v1.12+),
 * `l7-load-balancer` (v1.12+), `loopback` (v1.13+; from v1.18 `delegate-if-local` unless the type
 * is HostPort), `quarantined` (v1.17+, flags2 bit 6 not taken as `deny`), `dsr` (v1.17+). Bits the
 * version does not know are not printed.
 *
 * @param version Cilium version (string or parsed); newest when omitted.
 */
export function serviceFlagsText(flags: number, version?: Pick<CiliumVersion, 'minor' | 'patch'> | string): string {
  const v = asVer(version);
  const s = flags & 0xffff;
  const type = SERVICE_TYPE_WORDS.find((t) => t.bit === 0 || s & t.bit)!.word;
  const out = [type];
  const W = SERVICE_FLAG_WORDS;
  const has = (w: { bit: number; from: number }) => (s & w.bit) !== 0 && at(v, w.from);
  if (has(W.Local)) out.push('Local');
  if (has(W.InternalLocal)) out.push('InternalLocal');
  if (has(W['two-scopes'])) out.push('two-scopes');
  if (has(W.sessionAffinity)) out.push('sessionAffinity');
  if (!(s & SERVICE_ROUTABLE)) out.push('non-routable');
  // The shared bit reads `deny` after `check source-range`, else `quarantined`.
  let seenDeny = false;
  if (has(W['check source-range'])) {
    out.push('check source-range');
    if (has(W.deny)) {
      seenDeny = true;
      out.push('deny');
    }
  }
  if (has(W['46x64'])) out.push('46x64');
  if (has(W['l7-load-balancer'])) out.push('l7-load-balancer');
  if (has(W.loopback)) out.push(has(W['delegate-if-local']) && type !== 'HostPort' ? 'delegate-if-local' : 'loopback');
  if (!seenDeny && has(W.quarantined)) out.push('quarantined');
  if (has(W.dsr)) out.push('dsr');
  return out.join(', ');
}

/**
 * One line of `cilium-dbg bpf lb list` (default mode, `dumpSVC` in `cilium-dbg/cmd/bpf_lb_list.go`)
 * for a services-map entry; Cilium groups these under `ciliumKeyString(spec, key)`.
 *
 * - Master entry (slot 0): `0.0.0.0:0` (`[::]:0` for IPv6), the reverse-NAT ID, and from v1.12 the
 *   slot, then `[ServiceFlags]`: v1.10 – v1.11 `"%s:%d (%d) [%s]"`; v1.12+ `"%s:%d (%d) (%d) [%s]"`;
 *   from v1.13.14 / v1.14.9 / v1.15.3 / v1.16 `"… [%s] %s"` where the last `%s` is
 *   `(L7LB Proxy Port: %d)` for L7 LB services and empty otherwise (a trailing space).
 * - Slot entries: the backend's `addr:port`, reverse-NAT ID, and from v1.12 the slot; from v1.17
 *   `addr:port/PROTO` (`"%s:%d/%s (%d) (%d)"`); IPv6 services bracket the address.
 * - A slot whose backend is unknown: `backend %d not found`.
 *
 * @param spec the services map.
 * @param backend the decoded backends-map value for the slot's `backend_id`; omit when missing.
 */
export function ciliumLbListEntry(spec: MapSpec, key: Readonly<Record<string, unknown>>, value: Readonly<Record<string, unknown>>, backend?: Readonly<Record<string, unknown>>): string {
  if (spec.def.kind !== 'service') throw new TypeError(`ciliumLbListEntry needs a services map, got ${spec.name} (${spec.def.kind})`);
  const v = versionOf(spec);
  const kw = `${spec.name} key`;
  const vw = `${spec.name} value`;
  const v6 = spec.def.family === 6;
  const slot = num(key, 'backend_slot', kw);
  const revnat = num(value, 'rev_nat_index', vw);
  const backendID = num(value, 'backend_id', vw);
  if (slot === 0) {
    const flags16 = (flagsRaw(value, 'flags2', vw) << 8) | flagsRaw(value, 'flags', vw);
    const ip = v6 ? '[::]' : '0.0.0.0';
    const text = serviceFlagsText(flags16, v);
    if (!at(v, 12)) return `${ip}:0 (${revnat}) [${text}]`;
    if (!hasL7Extra(v)) return `${ip}:0 (${revnat}) (0) [${text}]`;
    // flags.IsL7LB(); the port is stored as uint32(HostToNetwork16(port)).
    const extra = flags16 & 0x0400 ? `(L7LB Proxy Port: ${swap16(backendID & 0xffff)})` : '';
    return `${ip}:0 (${revnat}) (0) [${text}] ${extra}`;
  }
  if (!backend) return `backend ${backendID} not found`;
  const bw = `${spec.name} backend`;
  const raw = str(backend, 'address', bw);
  // BackendValue.GetAddress(): net.IP before v1.13, AddrCluster (netip text, @cluster) after.
  const addr = at(v, 13) ? addrCluster(raw, optNum(backend, 'cluster_id', bw)) : netIP(raw);
  const hostPort = `${v6 ? `[${addr}]` : addr}:${num(backend, 'port', bw)}`;
  if (!at(v, 12)) return `${hostPort} (${revnat})`;
  if (!at(v, 17)) return `${hostPort} (${revnat}) (${slot})`;
  return `${hostPort}/${protoName(num(backend, 'proto', bw))} (${revnat}) (${slot})`;
}

/** `(L7LB Proxy Port: …)` on master lines: cilium/cilium#31503, in v1.13.14, v1.14.9, v1.15.3, v1.16.0. */
function hasL7Extra(v: Ver): boolean {
  if (at(v, 16)) return true;
  if (v.minor === 15) return at(v, 15, 3);
  if (v.minor === 14) return at(v, 14, 9);
  if (v.minor === 13) return at(v, 13, 14);
  return false;
}

/**
 * The column titles `cilium-dbg bpf … list` prints above this map's entries (`TablePrinter`'s two
 * titles): `cilium_lxc` → `bpf endpoint list`; ipcache → `bpf ipcache list`; services →
 * `bpf lb list --frontends` (v1.12+); backends → `bpf lb list --backends` (v1.12+, which reuses the
 * slot title); reverse NAT → `bpf lb list --revnat`. v1.10 – v1.11 have no `--frontends` or
 * `--backends`: their titles there are the default list's.
 */
export function ciliumListTitles(spec: MapSpec): [string, string] {
  const v = versionOf(spec);
  const backendTitle = at(v, 12) ? 'BACKEND ADDRESS (REVNAT_ID) (SLOT)' : 'BACKEND ADDRESS';
  switch (spec.def.kind) {
    case 'endpoint':
      return ['IP ADDRESS', 'LOCAL ENDPOINT INFO'];
    case 'ipcache':
      return ['IP PREFIX/ADDRESS', 'IDENTITY'];
    case 'service':
      return at(v, 12) ? ['SERVICE ADDRESS', 'BACKEND ID'] : ['SERVICE ADDRESS', backendTitle];
    case 'backend':
      return ['ID', backendTitle];
    case 'revnat':
      return ['ID', backendTitle];
    case 'ct':
    case 'nat':
    case 'metrics':
      throw new TypeError(`cilium-dbg prints ${spec.name} without TablePrinter titles (see ciliumMetricsTable for metrics)`);
  }
}
