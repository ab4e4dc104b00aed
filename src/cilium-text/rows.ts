/**
 * One row of Cilium's own list text → the key and value fields it carries, in the form the
 * schemas encode from. Every version's form
 * is accepted (they do not collide), so a row is read without knowing the version; the version
 * only picks the layout the fields are then encoded with.
 *
 * What a text form cannot give is simply absent from the fields, e.g. the backend port from
 * v1.13 on, the backend state, service slots before the slot suffix, everything but the HOST flag
 * of a `(localhost)` endpoint. RowFields a form prints only when non-zero (`@<cluster>`, `[zone]`)
 * are 0 when absent; the reader drops the fields the version's layout does not have.
 */
import type { MapKind } from '../cilium/catalog';
import { IPCACHE_FLAG_WORDS, protoNumber, SERVICE_FLAG_WORDS, SERVICE_ROUTABLE, SERVICE_TYPE_WORDS } from '../cilium/names';

/** RowFields read from a row, by name as the layouts name them. */
export type RowFields = Record<string, unknown>;

/** A row understood as one map entry. */
export interface ParsedRow {
  kind: MapKind;
  family: 4 | 6;
  key: RowFields;
  value: RowFields;
  /** The map, when the row itself tells (CT: TCP entries live in ct*_global, others in ct_any*). */
  map?: string;
}

const IP6 = '[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*';
const IP4 = '\\d{1,3}(?:\\.\\d{1,3}){3}';
const STATE = '(?:\\s+(?:sync|to-be-inserted|to-be-deleted|unknown)(?:\\s+.*)?)?';
/** What may follow a value: its sync state, alone (built once, not per row). */
const STATE_ONLY = new RegExp(`^${STATE}\\s*$`);

/** The family of an address the row's own pattern already matched as IPv4 or IPv6. */
export const familyOf = (ip: string): 4 | 6 => (ip.includes(':') ? 6 : 4);
const int = (s: string | undefined): number | undefined => (s === undefined ? undefined : s.startsWith('0x') ? parseInt(s.slice(2), 16) : Number(s));

function set(f: RowFields, name: string, v: unknown): void {
  if (v !== undefined) f[name] = v;
}

/** A protocol's number from its name as Cilium prints it (`TCP`, `ANY`, a number). */
export function protoOf(name: string): number {
  const n = protoNumber(name);
  if (n === undefined) throw new RowError(`unknown protocol "${name}"`);
  return n;
}

function proto(name: string | undefined): number | undefined {
  return name === undefined ? undefined : protoOf(name);
}

/** A row that has the shape of a kind but a field that cannot be read. */
export class RowError extends Error {
  override name = 'RowError';
}

// ---------------------------------------------------------------------------------------------
// cilium_lxc: `bpf endpoint list`, `map get cilium_lxc`

const EP_KEY = new RegExp(`^(?:\\[(${IP6})\\]|(${IP6}|${IP4})(?:@(\\d+))?):(\\d+)`);
const EP_VALUE = /^(?:\(localhost\)|id=(\d+)\s+(?:sec_id=(\d+)\s+)?flags=0x([0-9A-Fa-f]+)\s+ifindex=(\d+)\s+mac=([0-9A-Fa-f:]{17})\s+nodemac=([0-9A-Fa-f:]{17})(?:\s+parent_ifindex=(\d+))?(?:\s+rt_info:(\d+))?)/;

function endpointRow(keyText: string, valueText: string): ParsedRow | undefined {
  // v1.14+ prints IPv6 without brackets (`f00d::1:0`): the last colon separates the key.
  const k = EP_KEY.exec(keyText);
  if (!k || k[0].length !== keyText.length) return undefined;
  const v = EP_VALUE.exec(valueText);
  if (!v || !STATE_ONLY.test(valueText.slice(v[0].length))) return undefined;
  const ip = k[1] ?? k[2]!;
  // `@<cluster>` is printed only when non-zero (and only where the layout has a cluster ID).
  const key: RowFields = { ip, key: Number(k[4]), cluster_id: int(k[3]) ?? 0 };
  const value: RowFields = {};
  if (v[0] === '(localhost)') value.flags = 1; // ENDPOINT_F_HOST: the only field printed
  else {
    value.lxc_id = Number(v[1]);
    set(value, 'sec_id', int(v[2]));
    value.flags = parseInt(v[3]!, 16);
    value.ifindex = Number(v[4]);
    value.mac = v[5]!.toLowerCase();
    value.node_mac = v[6]!.toLowerCase();
    set(value, 'parent_ifindex', int(v[7]));
    set(value, 'rt_info', int(v[8]));
  }
  return { kind: 'endpoint', family: familyOf(ip), key, value };
}

// ---------------------------------------------------------------------------------------------
// ipcache: `bpf ipcache list`, `map get cilium_ipcache[_v2]`

const IPC_KEY = new RegExp(`^(${IP4}|${IP6})/(\\d+)(?:@(\\d+))?$`);
const IPC_OLD = /^(\d+) (\d+) (\S+?)(?: (0x[0-9a-f]+|\d+))?(?=\s{2,}|\s*$)/;
const IPC_NEW = /^identity=(\d+) encryptkey=(\d+) tunnelendpoint=([^\s,]+),?(?: nodeid=(0x[0-9a-f]+|\d+))?(?: flags=(\S+))?/;
const IPC_FLAGS = new Map(IPCACHE_FLAG_WORDS.map((w) => [w.word, w.bit]));

function ipcacheRow(keyText: string, valueText: string): ParsedRow | undefined {
  const k = IPC_KEY.exec(keyText);
  if (!k) return undefined;
  const v = IPC_NEW.exec(valueText) ?? IPC_OLD.exec(valueText);
  if (!v || !STATE_ONLY.test(valueText.slice(v[0].length))) return undefined;
  const key: RowFields = { cidr: `${k[1]}/${k[2]}`, cluster_id: int(k[3]) ?? 0 };
  const value: RowFields = { sec_identity: Number(v[1]), key: Number(v[2]), tunnel_endpoint: v[3] };
  set(value, 'node_id', int(v[4]));
  if (v[5] !== undefined) {
    let raw = 0;
    if (v[5] !== '<none>') {
      for (const name of v[5].split(',')) {
        const bit = IPC_FLAGS.get(name);
        if (bit === undefined) throw new RowError(`unknown ipcache flag "${name}"`);
        raw |= bit;
      }
    }
    value.flags = raw;
  }
  return { kind: 'ipcache', family: familyOf(k[1]!), key, value };
}

// ---------------------------------------------------------------------------------------------
// Services: `bpf lb list --frontends`, `map get cilium_lb{4,6}_services_v2`, and `bpf lb list`

const SVC_KEY = new RegExp(`^(?:\\[(${IP6})\\]|(${IP4})):(\\d+)(?:/([A-Z][A-Za-z0-9]*|\\d+))?(/i)?(?: \\((\\d+)\\))?`);

function serviceKey(keyText: string): { key: RowFields; family: 4 | 6; rest: string } | undefined {
  const k = SVC_KEY.exec(keyText);
  if (!k) return undefined;
  const address = k[1] ?? k[2]!;
  const key: RowFields = { address, dport: Number(k[3]), scope: k[5] ? 1 : 0 };
  set(key, 'proto', proto(k[4]));
  set(key, 'backend_slot', int(k[6]));
  return { key, family: familyOf(address), rest: keyText.slice(k[0].length) };
}

const SVC_VALUE = [
  // v1.17+: "%d %d[%d] (%d) [0x%x 0x%x]"
  /^(\d+) (\d+)\[(\d+)\] \((\d+)\) \[0x([0-9a-f]+) 0x([0-9a-f]+)\]/,
  // v1.12 – v1.16: "%d %d (%d) [0x%x 0x%x]"
  /^(\d+) (\d+)() \((\d+)\) \[0x([0-9a-f]+) 0x([0-9a-f]+)\]/,
  // v1.10 – v1.11: "%d (%d) [FLAGS: 0x%x]"
  /^(\d+)()() \((\d+)\) \[FLAGS: 0x([0-9a-f]+)\]()/,
];

function serviceRow(keyText: string, valueText: string): ParsedRow | undefined {
  const sk = serviceKey(keyText);
  if (!sk || sk.rest !== '') return undefined;
  for (const re of SVC_VALUE) {
    const v = re.exec(valueText);
    if (!v || !STATE_ONLY.test(valueText.slice(v[0].length))) continue;
    const value: RowFields = { backend_id: Number(v[1]), rev_nat_index: Number(v[4]), flags: parseInt(v[5]!, 16) };
    if (v[2] !== '') value.count = Number(v[2]);
    if (v[3] !== '') value.qcount = Number(v[3]);
    if (v[6] !== '') value.flags2 = parseInt(v[6]!, 16);
    return { kind: 'service', family: sk.family, key: sk.key, value };
  }
  return undefined;
}

/** `ServiceFlags.String()` words → Go's 16-bit ServiceFlags (flags2 << 8 | flags): every word any version prints. */
const SERVICE_FLAG_BITS = new Map<string, number>([...SERVICE_TYPE_WORDS.map((t) => [t.word, t.bit] as const), ...Object.entries(SERVICE_FLAG_WORDS).map(([w, f]) => [w, f.bit] as const)]);

/** `[ClusterIP, non-routable]` → Go ServiceFlags (ROUTABLE set unless `non-routable`). */
export function serviceFlagsFromText(text: string): number {
  let raw = SERVICE_ROUTABLE;
  for (const name of text.split(', ')) {
    if (name === 'non-routable') {
      raw &= ~SERVICE_ROUTABLE;
      continue;
    }
    const bit = SERVICE_FLAG_BITS.get(name);
    if (bit === undefined) throw new RowError(`unknown service flag "${name}"`);
    raw |= bit;
  }
  return raw;
}

const LB_MASTER = /^(?:0\.0\.0\.0|\[::\]):0 \((\d+)\)(?: \((\d+)\))? \[([^\]]*)\](?: \(L7LB Proxy Port: (\d+)\))?\s*$/;
const LB_SLOT = new RegExp(`^(?:\\[(${IP6})\\]|(${IP4})):(\\d+)(?:/([A-Za-z0-9]+))? \\((\\d+)\\)(?: \\((\\d+)\\))?\\s*$`);

/**
 * `cilium-dbg bpf lb list` (default mode): the services map joined with the backends. The master
 * row gives the reverse-NAT ID and the flags (as names: bits a version does not name are lost);
 * a slot row gives its slot and reverse-NAT ID — its backend's address is not a services-map field
 * (`backend_id` is not printed) and is returned under `backend`.
 */
function lbListRow(keyText: string, valueText: string): (ParsedRow & { backend?: RowFields }) | undefined {
  const sk = serviceKey(keyText);
  if (!sk || sk.rest !== '') return undefined;
  const m = LB_MASTER.exec(valueText);
  if (m) {
    const key = { ...sk.key, backend_slot: sk.key.backend_slot ?? int(m[2]) ?? 0 };
    const flags = serviceFlagsFromText(m[3]!);
    const value: RowFields = { rev_nat_index: Number(m[1]), flags: flags & 0xff, flags2: flags >>> 8 };
    return { kind: 'service', family: sk.family, key, value };
  }
  const s = LB_SLOT.exec(valueText);
  if (s) {
    const slot = int(s[6]) ?? sk.key.backend_slot;
    const key: RowFields = { ...sk.key };
    set(key, 'backend_slot', slot);
    const backend: RowFields = { address: s[1] ?? s[2], port: Number(s[3]) };
    set(backend, 'proto', proto(s[4]));
    return { kind: 'service', family: sk.family, key, value: { rev_nat_index: Number(s[5]) }, backend };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Backends (`bpf lb list --backends`, `map get cilium_lb4_backends*`) and reverse NAT (`--revnat`)

const BE_OLD = new RegExp(`^([A-Za-z][A-Za-z0-9]*|\\d+)://(?:\\[(${IP6})\\]|(${IP4})):(\\d+)`);
const BE_NEW = new RegExp(`^([A-Za-z][A-Za-z0-9]*|\\d+)://(${IP4}|${IP6})(?:@(\\d+))?(?:\\[([^\\]]*)\\])?`);

function backendRow(keyText: string, valueText: string): ParsedRow | undefined {
  if (!/^\d+$/.test(keyText)) return undefined;
  const old = BE_OLD.exec(valueText);
  const v = old ?? BE_NEW.exec(valueText);
  if (!v || !STATE_ONLY.test(valueText.slice(v[0].length))) return undefined;
  const value: RowFields = { proto: proto(v[1]) };
  let address: string;
  if (old) {
    address = old[2] ?? old[3]!;
    value.port = Number(old[4]);
  } else {
    address = v[2]!;
    value.cluster_id = int(v[3]) ?? 0;
    // No `[zone]` is zone 0; a zone prints as the agent's name for it: only a number is taken back.
    if (v[4] === undefined) value.zone = 0;
    else if (/^\d+$/.test(v[4])) value.zone = Number(v[4]);
  }
  value.address = address;
  return { kind: 'backend', family: familyOf(address), key: { backend_id: Number(keyText) }, value };
}

const REVNAT_VALUE = new RegExp(`^(?:\\[(${IP6})\\]|(${IP4})):(\\d+)`);

function revnatRow(keyText: string, valueText: string): ParsedRow | undefined {
  if (!/^\d+$/.test(keyText)) return undefined;
  const v = REVNAT_VALUE.exec(valueText);
  if (!v || !STATE_ONLY.test(valueText.slice(v[0].length))) return undefined;
  const address = v[1] ?? v[2]!;
  return { kind: 'revnat', family: familyOf(address), key: { rev_nat_index: Number(keyText) }, value: { address, port: Number(v[3]) } };
}

// ---------------------------------------------------------------------------------------------

/** The row parsers, most specific first. */
const PARSERS: { kind: MapKind; parse: (k: string, v: string) => (ParsedRow & { backend?: RowFields }) | undefined }[] = [
  { kind: 'endpoint', parse: endpointRow },
  { kind: 'ipcache', parse: ipcacheRow },
  { kind: 'service', parse: serviceRow },
  { kind: 'service', parse: lbListRow },
  { kind: 'backend', parse: backendRow },
  { kind: 'revnat', parse: revnatRow },
];

/** The map kinds a row can be read as (`kind` restricts it). Throws RowError for a bad field. */
export function parseRow(keyText: string, valueText: string, kind?: MapKind): (ParsedRow & { backend?: RowFields }) | undefined {
  for (const p of PARSERS) {
    if (kind !== undefined && p.kind !== kind) continue;
    const r = p.parse(keyText, valueText);
    if (r) return r;
  }
  return undefined;
}

/** Key cells: a service key has one space before its slot; every other key has none. */
const KEY_CELL = new RegExp(`^(\\S+(?: \\(\\d+\\))?)\\s+(\\S.*)$`);

/** Splits a tabwriter row into its key cell and the rest (empty key: a continuation row). */
export function splitRow(line: string): { key: string; rest: string } | undefined {
  if (/^\s/.test(line)) {
    const rest = line.trim();
    return rest ? { key: '', rest } : undefined;
  }
  const m = KEY_CELL.exec(line);
  return m ? { key: m[1]!, rest: m[2]! } : undefined;
}
