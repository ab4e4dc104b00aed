/**
 * Command-line style arguments → encodable inputs for a map's key or value, per map kind.
 *
 * Two kinds of argument are understood:
 * - **shorthands** that say what an operator has in hand: an ipcache CIDR or bare IP
 *   (`10.10.1.155/32`, `fd00::1`), an endpoint IP, a service frontend `VIP:port[/proto]`
 *   (`10.96.0.10:53/udp`, `[fd00::a]:443/tcp`, also Cilium's own `…/TCP/i` key text), a backend
 *   or reverse-NAT ID, and for values a backend or reverse-NAT `IP:port`;
 * - **`field=value` pairs** for every field of every layout, by its C name, plus the friendly
 *   names the schemas accept (`cidr`, `lb_algorithm`, `affinity_timeout`, `l7_lb_proxy_port`)
 *   and the derived names they print (`proto_name`, `state`).
 *
 * Values are text: integers in decimal or `0x` hex; IPs (the one parser, `schema/ip-text.ts`);
 * MACs; flags as a number or comma-joined bit names (`routable,nodeport`); protocol names
 * (`pkg/u8proto`: `tcp`, `udp`, …); lookup scopes (`LB_LOOKUP_SCOPE_EXT/INT`: `ext`, `int`);
 * backend states (`BE_STATE_*`: `active`, `terminating`, …); address families
 * (`ENDPOINT_KEY_IPV4/IPV6`: `ipv4`, `ipv6`). Everything ends in `schema.encode`, so range checks
 * and layout rules (host bits in an LPM key, family versus address) stay in one place and surface
 * as its `EncodeError`; only argument syntax is reported here, as {@link ArgumentError}.
 */
import { CodecError, formatCidrAddress, ipFamilyOf, parseCidr, parseMacInto, type AnySchema, type FieldLayout } from '../schema/index';
import type { MapDefinition, MapSpec } from './catalog';
import { BACKEND_STATES, PROTO_NAMES, protoNumber } from './names';
import { ctKeyFromText, natKeyFromText, parseTupleDir } from './ct-tuple-text';
import { formatRange } from './versions';

/**
 * Arguments that cannot be read: an unknown field, a field the chosen Cilium version does not
 * have, a malformed number, address, port or flag list. The message says which field (or
 * argument) and what is accepted.
 */
export class ArgumentError extends CodecError {
  override name = 'ArgumentError';
  /** The field or option the problem is about (`dport`, `--slot`, `sec_identity`). */
  readonly field: string;
  /** What would have been accepted, in words; empty when there is nothing to add. */
  readonly accepted: string;
  constructor(field: string, detail: string, accepted = '') {
    super(`${field}: ${detail}${accepted ? `; accepted: ${accepted}` : ''}`);
    this.field = field;
    this.accepted = accepted;
  }
}

/** Options of {@link keyInputFromArgs}: service-key settings that read better as options. */
export interface KeyArgOptions {
  /** `backend_slot` of a service key: 0 = master entry, 1..N = backend slots. */
  slot?: number | string;
  /** Lookup scope of a service key: `ext`/`external`/`0` or `int`/`internal`/`1`. */
  scope?: number | string;
  /** L4 protocol of a service key: `tcp`, `udp`, `sctp`, `any`, or a number. */
  proto?: number | string;
  /** CT/NAT keys: which entry of the connection (`out`, `in`, `svc`), when the text does not say. */
  dir?: string;
}

/** Which half of a map entry. */
export type EntryPart = 'key' | 'value';

/** One name `field=value` accepts for a map's key or value, with what its value may be. */
export interface AcceptedField {
  /** The name to write before `=`. */
  name: string;
  /** The value syntax, in words. */
  accepts: string;
}

/**
 * A lookup table without a prototype: argument words index these tables, and a field named
 * `constructor`, `__proto__` or `toString` must find nothing, not Object.prototype's members.
 */
function dict<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

const DEC_RE = /^(?:0|[1-9][0-9]*)$/;
const HEX_RE = /^0[xX][0-9a-fA-F]+$/;

/** Parses a decimal or `0x` hex integer; undefined when the text is neither. Large values become bigint. */
export function parseIntegerText(text: string): number | bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  if (!DEC_RE.test(t) && !HEX_RE.test(t)) return undefined;
  const n = BigInt(t);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function intOrThrow(field: string, text: string, accepted: string): number | bigint {
  const n = parseIntegerText(text);
  if (n === undefined) throw new ArgumentError(field, `${JSON.stringify(text)} is not a number`, accepted);
  // Past 2^53 the value stays a bigint, so the schema's range check reports it exactly.
  return n;
}

function rangeText(bits: number): string {
  return `0..${2 ** bits - 1}`;
}

const INT_BITS = dict<number>({ u8: 8, u16: 16, u32: 32, u64: 64, be16: 16, be32: 32 });
// Names of the numeric constants: L4 protocols (`pkg/u8proto`), lookup scopes
// (`LB_LOOKUP_SCOPE_EXT/INT`), backend states (`BE_STATE_*`), families (`ENDPOINT_KEY_IPV4/IPV6`).
const PROTO_TEXT = `${Object.values(PROTO_NAMES).map((p) => p.toLowerCase()).join(', ')} or 0..255`;
const SCOPE_TEXT = 'ext (external, 0) or int (internal, 1)';
const STATE_TEXT = `${BACKEND_STATES.join(', ')} (BE_STATE_* 0..3) or 0..255`;
const FAMILY_TEXT = 'ipv4 (1) or ipv6 (2), or 0..255';

/** Friendly names that stand for another field (the derived names decoding prints). */
const STAND_INS = dict<string>({ proto_name: 'proto', state: 'flags' });

/** Other spellings people use (Cilium's CLI text); applied only when the schema has the target. */
const ALIASES = dict<readonly string[]>({
  port: ['dport'],
  slot: ['backend_slot'],
  vip: ['address'],
  ip: ['address'],
  addr: ['address', 'ip'],
  identity: ['sec_identity', 'sec_id'],
  sec_label: ['sec_identity'],
  tunnelendpoint: ['tunnel_endpoint'],
  encryptkey: ['key'],
  nodemac: ['node_mac'],
  id: ['lxc_id', 'backend_id', 'rev_nat_index'],
  revnat: ['rev_nat_index'],
  cluster: ['cluster_id'],
});

/**
 * Service flag names as Cilium's `ServiceFlags.String()` prints them (`pkg/loadbalancer/loadbalancer.go`),
 * and the C names of bits that share a position (`SVC_FLAG_SOURCE_RANGE_DENY` = QUARANTINED,
 * `SVC_FLAG_L7_DELEGATE` = LOOPBACK; the flag bits per layout are in docs/layouts.md).
 */
const FLAG_ALIASES = dict<string>({
  externalips: 'external_ip',
  externalip: 'external_ip',
  local: 'ext_local_scope',
  localscope: 'ext_local_scope',
  internallocal: 'int_local_scope',
  sessionaffinity: 'affinity',
  twoscopes: 'two_scopes',
  '46x64': 'nat_46x64',
  l7lb: 'l7_loadbalancer',
  dsr: 'fwd_mode_dsr',
  sourcerangedeny: 'quarantined',
  deny: 'quarantined',
  l7delegate: 'loopback',
  delegateiflocal: 'loopback',
});

function norm(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A flags field's bit names → bit numbers, from the schema (flags.ts keeps them in `params.bits`). */
function flagBits(fl: FieldLayout): Record<string, number> {
  return { ...((fl.type.params?.bits as Record<string, number> | undefined) ?? {}) };
}

/** Reads `routable,nodeport`, `0x42`, `66`, `none`, or names mixed with numbers (`routable,0x100`). */
function parseFlagsText(field: string, text: string, fl: FieldLayout): number | bigint {
  const bits = flagBits(fl);
  const width = fl.size * 8;
  const names = Object.keys(bits);
  const accepted = `a number (decimal or 0x hex, ${rangeText(width)}) or comma-joined names: ${names.join(', ') || '(this layout names no bits)'}`;
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'none' || t === '<none>') return 0;
  const byNorm = new Map<string, number>();
  for (const n of names) {
    byNorm.set(norm(n), bits[n]!);
    // `flag_skip_tunnel` is printed `skiptunnel`, `flag_has_tunnel_ep` `hastunnel` (v1.18+ CLI).
    const short = norm(n.replace(/^flag_/, '').replace(/_ep$/, ''));
    if (!byNorm.has(short)) byNorm.set(short, bits[n]!);
  }
  let raw = 0n;
  for (const tok of t.split(/[,|+]/)) {
    const s = tok.trim();
    if (s === '') throw new ArgumentError(field, `empty flag name in ${JSON.stringify(text)}`, accepted);
    const n = parseIntegerText(s);
    if (n !== undefined) {
      raw |= BigInt(n);
      continue;
    }
    const k = norm(s);
    let bit = byNorm.get(k);
    const alias = FLAG_ALIASES[k];
    if (bit === undefined && alias !== undefined && Object.hasOwn(bits, alias)) bit = bits[alias];
    if (bit === undefined) throw new ArgumentError(field, `unknown flag ${JSON.stringify(s)}`, accepted);
    raw |= 1n << BigInt(bit);
  }
  return raw <= 0xffffffffn ? Number(raw) : raw;
}

function parseProto(field: string, text: string): number | bigint {
  const p = protoNumber(text);
  if (p !== undefined) return p;
  const n = parseIntegerText(text);
  if (n !== undefined) return n; // out of range: the schema says so, exactly
  throw new ArgumentError(field, `unknown protocol ${JSON.stringify(text)}`, PROTO_TEXT);
}

function parseScope(field: string, text: string): number | bigint {
  const t = text.trim().toLowerCase();
  if (t === 'ext' || t === 'external' || t === 'e') return 0;
  if (t === 'int' || t === 'internal' || t === 'i') return 1;
  const n = parseIntegerText(t);
  if (n !== undefined) return n;
  throw new ArgumentError(field, `unknown scope ${JSON.stringify(text)}`, SCOPE_TEXT);
}

function parseState(field: string, text: string): number | bigint {
  const i = (BACKEND_STATES as readonly string[]).indexOf(text.trim().toLowerCase());
  if (i >= 0) return i;
  const n = parseIntegerText(text);
  if (n !== undefined) return n;
  throw new ArgumentError(field, `unknown backend state ${JSON.stringify(text)}`, STATE_TEXT);
}

function parseFamily(field: string, text: string): number | bigint {
  const t = text.trim().toLowerCase();
  if (t === 'ipv4' || t === 'inet' || t === 'v4') return 1;
  if (t === 'ipv6' || t === 'inet6' || t === 'v6') return 2;
  return intOrThrow(field, text, FAMILY_TEXT);
}

/** Is this an integer field that names its values (proto, scope, family, backend state)? */
function namedIntKind(schema: AnySchema, fl: FieldLayout): 'proto' | 'scope' | 'family' | 'state' | undefined {
  if (fl.name === 'proto') return 'proto';
  if (fl.name === 'scope' && /^lb[46]_key$/.test(schema.name)) return 'scope';
  if (fl.name === 'family') return 'family';
  if (fl.name === 'flags' && fl.kind === 'u8' && /^lb[46]_backend$/.test(schema.name)) return 'state';
  return undefined;
}

function acceptsText(schema: AnySchema, fl: FieldLayout): string {
  switch (namedIntKind(schema, fl)) {
    case 'proto':
      return PROTO_TEXT;
    case 'scope':
      return SCOPE_TEXT;
    case 'family':
      return FAMILY_TEXT;
    case 'state':
      return STATE_TEXT;
    default:
      break;
  }
  const bits = INT_BITS[fl.kind];
  if (bits !== undefined) return `decimal or 0x-hex integer ${rangeText(bits)}${fl.kind.startsWith('be') ? ' (stored big-endian)' : ''}`;
  switch (fl.kind) {
    case 'ipv4':
      return 'an IPv4 address like 10.96.0.10';
    case 'ipv6':
      return 'an IPv6 address like fd00::a';
    case 'addr16':
      return 'an IPv4 or IPv6 address (10.0.1.5, fd00::5)';
    case 'mac':
      return 'a MAC address like ea:c4:71:d6:4f:a0';
    case 'flags':
      return `a number (decimal or 0x hex) or comma-joined names: ${Object.keys(flagBits(fl)).join(', ')}`;
    default:
      return fl.kind;
  }
}

const FRIENDLY_TEXT = dict<string>({
  cidr: 'a CIDR or address (10.0.0.0/8, 10.10.1.155/32, fd00::/64, 0.0.0.0/0)',
  lb_algorithm: 'default, random, maglev, custom or 0..255 (v1.17+)',
  affinity_timeout: 'seconds, decimal or 0x hex',
  l7_lb_proxy_port: 'a port 0..65535',
});

/** Every name `field=value` accepts for the key or value of this map and layout. */
export function acceptedFields(spec: MapSpec, part: EntryPart): AcceptedField[] {
  const schema = part === 'key' ? spec.key : spec.value;
  const out: AcceptedField[] = [];
  for (const fl of schema.layout) if (!fl.padding) out.push({ name: fl.name, accepts: acceptsText(schema, fl) });
  for (const n of schema.inputNames) if (!out.some((f) => f.name === n)) out.push({ name: n, accepts: FRIENDLY_TEXT[n] ?? 'text' });
  for (const [n, target] of Object.entries(STAND_INS) as [string, string][]) if (hasStandIn(schema, n)) out.push({ name: n, accepts: `same as ${target}` });
  return out;
}

function versionText(spec: MapSpec): string {
  return spec.version ? `Cilium ${spec.version.text}` : `the newest layout (${spec.layoutVersions.map(formatRange).join(', ')})`;
}

/** Whether a schema accepts a stand-in name (`state` needs a backend `flags` byte, `proto_name` a `proto`). */
function hasStandIn(schema: AnySchema, name: string): boolean {
  const target = STAND_INS[name];
  if (target === undefined) return false;
  const fl = schema.layout.find((f) => f.name === target && !f.padding);
  return fl !== undefined && namedIntKind(schema, fl) !== undefined;
}

/** Versions whose layout of this map accepts that name. */
function versionsWithField(def: MapDefinition, part: EntryPart, name: string): string[] {
  const out: string[] = [];
  for (const l of def.layouts) {
    const s = part === 'key' ? l.key : l.value;
    if (s.inputNames.includes(name) || hasStandIn(s, name)) out.push(...l.versions.map(formatRange));
  }
  return out;
}

/** Resolves a pair's name to a field of the schema (through aliases and stand-ins), or throws. */
function resolveName(spec: MapSpec, part: EntryPart, name: string): string {
  const schema = part === 'key' ? spec.key : spec.value;
  const known = (n: string) => schema.inputNames.includes(n);
  if (known(name)) return name;
  if (hasStandIn(schema, name)) return name;
  const lower = name.toLowerCase();
  if (lower !== name && (known(lower) || hasStandIn(schema, lower))) return lower;
  for (const target of ALIASES[lower] ?? []) if (known(target)) return target;
  const elsewhere = versionsWithField(spec.def, part, lower);
  const label = `${spec.name} ${part} (${schema.label})`;
  const list = acceptedFields(spec, part).map((f) => f.name).join(', ');
  if (elsewhere.length > 0) {
    throw new ArgumentError(name, `does not exist in ${versionText(spec)}, whose ${part} layout is ${schema.label}; it exists in ${elsewhere.join(', ')}`, list);
  }
  const pad = schema.layout.find((f) => f.padding && f.name === name);
  throw new ArgumentError(name, pad ? `is padding in ${label} and is always written as zero` : `unknown field of ${label}`, list);
}

/** Converts one `field=value` text for a resolved field name to what `schema.encode` takes. */
function fieldValue(schema: AnySchema, field: string, text: string): [string, unknown] {
  const stand = STAND_INS[field];
  if (stand !== undefined) {
    return [stand, stand === 'proto' ? parseProto(field, text) : parseState(field, text)];
  }
  const fl = schema.layout.find((f) => f.name === field && !f.padding);
  if (!fl) {
    // A friendly input of the schema (cidr, lb_algorithm, affinity_timeout, l7_lb_proxy_port).
    if (field === 'cidr') return [field, canonicalCidr(text)];
    if (field === 'lb_algorithm') {
      const n = parseIntegerText(text);
      return [field, n === undefined ? text.trim().toLowerCase() : typeof n === 'bigint' ? n.toString() : n];
    }
    if (field === 'affinity_timeout' || field === 'l7_lb_proxy_port') return [field, intOrThrow(field, text, FRIENDLY_TEXT[field]!)];
    return [field, text];
  }
  const accepted = acceptsText(schema, fl);
  switch (namedIntKind(schema, fl)) {
    case 'proto':
      return [field, parseProto(field, text)];
    case 'scope':
      return [field, parseScope(field, text)];
    case 'family':
      return [field, parseFamily(field, text)];
    case 'state':
      return [field, parseState(field, text)];
    default:
      break;
  }
  if (fl.kind === 'u64') {
    const n = parseIntegerText(text);
    if (n === undefined) throw new ArgumentError(field, `${JSON.stringify(text)} is not a number`, accepted);
    return [field, BigInt(n)];
  }
  if (INT_BITS[fl.kind] !== undefined) return [field, intOrThrow(field, text, accepted)];
  const t = text.trim();
  switch (fl.kind) {
    case 'ipv4':
    case 'ipv6':
    case 'addr16': {
      const fam = ipFamilyOf(t);
      if (fam === 0) throw new ArgumentError(field, `${JSON.stringify(text)} is not an IP address`, accepted);
      if (fl.kind === 'ipv4' && fam === 6) throw new ArgumentError(field, `${t} is IPv6 but ${schema.label} holds an IPv4 address here (use the lb6 map)`, accepted);
      if (fl.kind === 'ipv6' && fam === 4) throw new ArgumentError(field, `${t} is IPv4 but ${schema.label} holds an IPv6 address here (use the lb4 map)`, accepted);
      return [field, t];
    }
    case 'mac':
      if (!parseMacInto(t, new Uint8Array(6))) throw new ArgumentError(field, `${JSON.stringify(text)} is not a MAC address`, accepted);
      return [field, t.toLowerCase()];
    case 'flags':
      return [field, parseFlagsText(field, t, fl)];
    default:
      throw new ArgumentError(field, `fields of kind ${fl.kind} cannot be given as text`);
  }
}

/** Splits `name=value`; undefined when there is no `=` (a shorthand argument). */
function splitPair(arg: string): [string, string] | undefined {
  const eq = arg.indexOf('=');
  if (eq < 0) return undefined;
  const name = arg.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new ArgumentError(arg, 'expected FIELD=VALUE with a field name before "="');
  return [name.replace(/[.-]/g, '_'), arg.slice(eq + 1)];
}

/** A parsed service frontend (or backend / reverse-NAT address): `10.96.0.10:53/udp`, `[fd00::a]:443`. */
export interface HostPort {
  /** The address as written (without brackets). */
  address: string;
  /** 4 or 6. */
  family: 4 | 6;
  /** The port, 0..65535. */
  port: number;
  /** Protocol number from a `/proto` suffix, if any. */
  proto?: number;
  /** Scope from Cilium's `/i` suffix (1), if any. */
  scope?: number;
}

const HOSTPORT_TEXT = 'IPv4:port[/proto] or [IPv6]:port[/proto], e.g. 10.96.0.10:53/udp, [fd00::a]:443/tcp';

/**
 * Parses `VIP:port[/proto]`, `[IPv6]:port[/proto]`, and the key text Cilium prints
 * (`10.96.0.10:53/UDP/i`, `[fd00::a]:53/i`; `pkg/loadbalancer/maps/types.go` `Service4Key.String()`).
 */
export function parseHostPort(text: string, what = 'address'): HostPort {
  if (typeof text !== 'string') throw new ArgumentError(what, `expected text like ${HOSTPORT_TEXT.split('e.g. ')[1]}, got ${text === null ? 'null' : typeof text}`, HOSTPORT_TEXT);
  const t = text.trim();
  let host: string;
  let rest: string;
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0) throw new ArgumentError(what, `${JSON.stringify(text)} has "[" without "]"`, HOSTPORT_TEXT);
    host = t.slice(1, close);
    rest = t.slice(close + 1);
    if (!rest.startsWith(':')) throw new ArgumentError(what, `${JSON.stringify(text)} needs ":port" after "]"`, HOSTPORT_TEXT);
    rest = rest.slice(1);
  } else {
    const colon = t.indexOf(':');
    if (colon < 0) throw new ArgumentError(what, `${JSON.stringify(text)} has no port`, HOSTPORT_TEXT);
    if (t.indexOf(':', colon + 1) >= 0) throw new ArgumentError(what, `${JSON.stringify(text)}: write an IPv6 address in brackets, [fd00::a]:443`, HOSTPORT_TEXT);
    host = t.slice(0, colon);
    rest = t.slice(colon + 1);
  }
  const fam = ipFamilyOf(host);
  if (fam === 0) throw new ArgumentError(what, `${JSON.stringify(host)} is not an IP address`, HOSTPORT_TEXT);
  const parts = rest.split('/');
  const portText = parts[0]!;
  const port = parseIntegerText(portText);
  if (port === undefined || Number(port) > 0xffff) {
    throw new ArgumentError('port', `${JSON.stringify(portText)} in ${JSON.stringify(text)} is not a port`, 'a port 0..65535 (decimal or 0x hex)');
  }
  const out: HostPort = { address: host, family: fam, port: Number(port) };
  for (const suffix of parts.slice(1)) {
    if (suffix.toLowerCase() === 'i' && out.scope === undefined) out.scope = 1;
    else if (out.proto === undefined && out.scope === undefined) {
      const pr = parseProto('proto', suffix);
      if (typeof pr === 'bigint' || pr > 255) throw new ArgumentError('proto', `${pr} in ${JSON.stringify(text)} is not a protocol number`, PROTO_TEXT);
      out.proto = pr;
    }
    else throw new ArgumentError(what, `unexpected suffix "/${suffix}" in ${JSON.stringify(text)}`, HOSTPORT_TEXT);
  }
  return out;
}

function familyCheck(spec: MapSpec, hp: HostPort, what: string): void {
  if (spec.def.family !== 'both' && spec.def.family !== hp.family) {
    const other = spec.def.name.replace(`lb${spec.def.family}`, `lb${hp.family}`);
    throw new ArgumentError(what, `${hp.address} is IPv${hp.family} but ${spec.def.name} holds IPv${spec.def.family} entries`, `an IPv${spec.def.family} address, or use ${other}`);
  }
}

/**
 * `ip/bits` in the text decoding prints (dotted quad, RFC 5952), a bare address getting its full
 * length, so the input object reads like a decoded record (`FD00:0::1` → `fd00::1/128`). Host bits
 * are kept, for the schema to reject with its own explanation.
 */
function canonicalCidr(text: string): string {
  const c = parseCidr(text.trim());
  if (!c) throw new ArgumentError('cidr', `${JSON.stringify(text)} is not a CIDR or IP address`, FRIENDLY_TEXT.cidr!);
  return `${formatCidrAddress(c)}/${c.bits}`;
}

/** What a shorthand (non-`field=value`) key argument means for each kind of map. */
function keyShorthand(spec: MapSpec, arg: string, dir?: 'OUT' | 'IN' | 'SVC'): Record<string, unknown> {
  const t = arg.trim();
  switch (spec.def.kind) {
    case 'ct':
    case 'nat': {
      const k = spec.def.kind === 'ct' ? ctKeyFromText(t, dir) : natKeyFromText(t, dir);
      const fam = ipFamilyOf(k.daddr);
      if (fam !== spec.def.family) throw new ArgumentError('address', `${k.daddr} is IPv${fam} but ${spec.def.name} holds IPv${spec.def.family} entries`);
      return { ...k };
    }
    case 'metrics':
      throw new ArgumentError(arg, `${spec.name} keys are given as FIELD=VALUE pairs`, 'reason=N dir=N line=N file=N');
    case 'ipcache':
      return { cidr: canonicalCidr(t) };
    case 'endpoint': {
      const c = parseCidr(t);
      if (!c) throw new ArgumentError('ip', `${JSON.stringify(arg)} is not an IP address`, 'an endpoint IPv4 or IPv6 address (10.10.2.121, fd00::1)');
      if (c.bits !== (c.family === 4 ? 32 : 128)) throw new ArgumentError('ip', `${t}: cilium_lxc keys are single addresses, not prefixes`, 'an endpoint IPv4 or IPv6 address (10.10.2.121, fd00::1)');
      return { ip: t.includes('/') ? t.slice(0, t.indexOf('/')) : t };
    }
    case 'service': {
      const hp = parseHostPort(t, 'address');
      familyCheck(spec, hp, 'address');
      const out: Record<string, unknown> = { address: hp.address, dport: hp.port };
      if (hp.proto !== undefined) out.proto = hp.proto;
      if (hp.scope !== undefined) out.scope = hp.scope;
      return out;
    }
    case 'backend':
      return { backend_id: intOrThrow('backend_id', t, `a backend ID, decimal or 0x hex ${rangeText(spec.key.sizeof * 8)}`) };
    case 'revnat':
      return { rev_nat_index: intOrThrow('rev_nat_index', t, 'a service (reverse-NAT) ID, decimal or 0x hex 0..65535') };
  }
}

/** What a shorthand value argument means: `IP:port[/proto]` for backends and reverse NAT. */
function valueShorthand(spec: MapSpec, arg: string): Record<string, unknown> {
  const kind = spec.def.kind;
  if (kind !== 'backend' && kind !== 'revnat') {
    throw new ArgumentError(arg, `${spec.name} values are given as FIELD=VALUE pairs`, acceptedFields(spec, 'value').map((f) => f.name).join(', '));
  }
  const hp = parseHostPort(arg, 'address');
  familyCheck(spec, hp, 'address');
  if (hp.scope !== undefined) throw new ArgumentError('address', `"/i" (internal scope) belongs to service keys, not ${spec.name} values`);
  const out: Record<string, unknown> = { address: hp.address, port: hp.port };
  if (hp.proto !== undefined) {
    if (kind === 'revnat') throw new ArgumentError('proto', `${spec.name} values have no protocol`, 'IP:port');
    out.proto = hp.proto;
  }
  return out;
}

function merge(into: Record<string, unknown>, from: Record<string, unknown>, source: Map<string, string>, arg: string): void {
  for (const [k, v] of Object.entries(from)) {
    const prev = source.get(k);
    if (prev !== undefined) throw new ArgumentError(k, `given twice (by ${JSON.stringify(prev)} and by ${JSON.stringify(arg)})`);
    source.set(k, arg);
    into[k] = v;
  }
}

function fromArgs(spec: MapSpec, part: EntryPart, args: readonly string[], shorthand: (arg: string) => Record<string, unknown>): { input: Record<string, unknown>; source: Map<string, string> } {
  const schema = part === 'key' ? spec.key : spec.value;
  const input: Record<string, unknown> = {};
  const source = new Map<string, string>();
  let shorthandArg: string | undefined;
  for (const arg of args) {
    const pair = splitPair(arg);
    if (pair === undefined) {
      if (shorthandArg !== undefined) {
        throw new ArgumentError(arg, `only one ${part} argument without "=" is allowed (already have ${JSON.stringify(shorthandArg)}); give the rest as FIELD=VALUE`);
      }
      shorthandArg = arg;
      merge(input, shorthand(arg), source, arg);
      continue;
    }
    const name = resolveName(spec, part, pair[0]);
    const [field, value] = fieldValue(schema, name, pair[1]);
    merge(input, { [field]: value }, source, arg);
  }
  return { input, source };
}

/**
 * Turns key arguments into an input for `spec.key.encode`: at most one shorthand (a CIDR or IP for
 * ipcache, an IP for lxc, `VIP:port[/proto]` for services, an ID for backends and reverse NAT) and
 * any number of `field=value` pairs.
 *
 * @throws {@link ArgumentError} for argument syntax, unknown fields and fields of other versions.
 */
export function keyInputFromArgs(spec: MapSpec, args: readonly string[], opts: KeyArgOptions = {}): Record<string, unknown> {
  checkSpec(spec);
  checkArgs('key', args);
  if (opts === null || typeof opts !== 'object') throw new ArgumentError('options', `expected an object, got ${opts === null ? 'null' : typeof opts}`);
  if (args.length === 0) throw new ArgumentError('key', `no key given for ${spec.name}`, keyHint(spec));
  const tupleKind = spec.def.kind === 'ct' || spec.def.kind === 'nat';
  if (opts.dir !== undefined && !tupleKind) throw new ArgumentError('--dir', `applies only to conntrack and NAT maps, not ${spec.name}`);
  const dir = opts.dir !== undefined ? parseTupleDir(opts.dir) : undefined;
  const { input, source } = fromArgs(spec, 'key', args, (a) => keyShorthand(spec, a, dir));
  if (spec.def.kind === 'ipcache') ipcachePairsAsCidr(input);
  // FIELD=VALUE keys are the stored fields as they are; --dir only sets the direction bits.
  if (dir !== undefined && input.flags === undefined) input.flags = dir === 'SVC' ? 4 : dir === 'IN' ? 1 : 0;
  const extra: [keyof KeyArgOptions, string, (t: string) => number | bigint][] = [
    ['slot', 'backend_slot', (t) => intOrThrow('--slot', t, 'a backend slot, 0 (master) or 1..65535')],
    ['scope', 'scope', (t) => parseScope('--scope', t)],
    ['proto', 'proto', (t) => parseProto('--proto', t)],
  ];
  for (const [opt, field, parse] of extra) {
    const v = opts[opt];
    if (v === undefined) continue;
    if (spec.def.kind !== 'service') throw new ArgumentError(`--${opt}`, `applies only to service maps (cilium_lb4_services_v2, cilium_lb6_services_v2), not ${spec.name}`);
    const n = typeof v === 'number' ? v : parse(v);
    const prev = source.get(field);
    if (prev !== undefined && input[field] !== n) throw new ArgumentError(field, `--${opt} ${String(v)} disagrees with ${JSON.stringify(prev)}`);
    input[field] = n;
  }
  return input;
}

/** Library callers get an ArgumentError, not a TypeError, for a spec or arguments of the wrong type. */
function checkSpec(spec: unknown): asserts spec is MapSpec {
  const s = spec as MapSpec | null;
  if (s === null || typeof s !== 'object' || typeof s.def !== 'object' || typeof s.key?.encode !== 'function' || typeof s.value?.encode !== 'function') {
    throw new ArgumentError('map', 'expected a MapSpec from resolveMap()');
  }
}

function checkArgs(part: EntryPart, args: unknown): asserts args is readonly string[] {
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) {
    throw new ArgumentError(part, `expected an array of argument strings, got ${args === null ? 'null' : Array.isArray(args) ? 'an array with non-strings' : typeof args}`);
  }
}

/**
 * `ip=10.0.0.1 prefixlen=40` says what the shorthand `10.0.0.1/8` says, so it gets the same
 * checks: it is handed to the schema as that CIDR (host bits past the prefix are refused, family
 * and prefixlen must agree). A prefixlen outside 32 + 0..128 is left for the schema's range check.
 */
function ipcachePairsAsCidr(input: Record<string, unknown>): void {
  const { ip, prefixlen } = input;
  if (input.cidr !== undefined || typeof ip !== 'string' || typeof prefixlen !== 'number') return;
  const bits = prefixlen - 32;
  const fam = ipFamilyOf(ip);
  if (fam === 0 || bits < 0 || bits > (fam === 4 ? 32 : 128)) return;
  delete input.ip;
  input.cidr = `${ip}/${bits}`;
}

function keyHint(spec: MapSpec): string {
  switch (spec.def.kind) {
    case 'ct':
      return '"PROTO CLIENT:PORT -> SERVER:PORT" with --dir out|in|svc (tcp 10.0.1.5:43210 -> 10.0.2.7:80), or FIELD=VALUE pairs';
    case 'nat':
      return '"PROTO SRC:PORT -> DST:PORT" with --dir out|in (the packet, not swapped), or FIELD=VALUE pairs';
    case 'metrics':
      return 'reason=N dir=N [line=N file=N]';
    case 'ipcache':
      return 'a CIDR or IP (10.10.1.155/32, 10.0.0.0/8, fd00::1), or FIELD=VALUE pairs';
    case 'endpoint':
      return 'an endpoint IP (10.10.2.121, fd00::1), or FIELD=VALUE pairs';
    case 'service':
      return 'VIP:port[/proto] (10.96.0.10:53/udp, [fd00::a]:443/tcp), or FIELD=VALUE pairs';
    case 'backend':
      return 'a backend ID, or backend_id=N';
    case 'revnat':
      return 'a service ID, or rev_nat_index=N';
  }
}

/**
 * Turns value arguments into an input for `spec.value.encode`: `field=value` pairs, or for
 * backends and reverse NAT also one `IP:port[/proto]` shorthand. Fields not given are zero.
 *
 * @throws {@link ArgumentError} for argument syntax, unknown fields and fields of other versions.
 */
export function valueInputFromArgs(spec: MapSpec, args: readonly string[]): Record<string, unknown> {
  checkSpec(spec);
  checkArgs('value', args);
  return fromArgs(spec, 'value', args, (a) => valueShorthand(spec, a)).input;
}

/**
 * Key arguments → the key bytes (`spec.key.sizeof` of them).
 *
 * @throws {@link ArgumentError} for bad arguments, `EncodeError` for values the layout cannot hold.
 */
export function encodeKeyArgs(spec: MapSpec, args: readonly string[], opts: KeyArgOptions = {}): Uint8Array {
  const input = keyInputFromArgs(spec, args, opts); // checks spec and args first
  return spec.key.encode(input);
}

/**
 * Value arguments → the value bytes (`spec.value.sizeof` of them).
 *
 * @throws {@link ArgumentError} for bad arguments, `EncodeError` for values the layout cannot hold.
 */
export function encodeValueArgs(spec: MapSpec, args: readonly string[]): Uint8Array {
  const input = valueInputFromArgs(spec, args);
  return spec.value.encode(input);
}
