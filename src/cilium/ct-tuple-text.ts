/**
 * Connection text → CT and NAT keys, with the CT key swap done for the user.
 *
 * Accepted text: `[PROTO] [OUT|IN|SVC] A:a -> B:b [related] [service]`, which is both what an
 * operator writes (`tcp 10.0.1.5:43210 -> 10.0.2.7:80`) and the key part of the lines
 * `cilium-dbg bpf ct list` / `bpf nat list` print (`TCP OUT 10.0.1.5:43210 -> 10.0.2.7:80`,
 * `UDP SVC 10.0.0.7:5353 -> 10.96.0.10:53`, `ICMPv6 IN fd00::1:7 -> fd00::2:0 related`). IPv6
 * addresses may be bracketed (`[fd00::1]:80`) or bare as the CT list prints them (split at the last
 * colon). The direction comes from the text or from the `dir` argument (`out`, `in`, `svc`/`service`);
 * one of them is required, because the stored bytes depend on it.
 *
 * CT keys (`A:a -> B:b` is client → server, the way the CT list prints it):
 * - `OUT` / `IN`: `{daddr: A, saddr: B, dport: b, sport: a}` with `TUPLE_F_OUT` / `TUPLE_F_IN`;
 * - `SVC` (v1.15+ text: client → frontend): `{daddr: B, saddr: A, dport: a, sport: b}`, `TUPLE_F_SERVICE`;
 * - the v1.10 – v1.14 text of a service entry, `OUT VIP:vport -> C:c service`, is read as printed
 *   (first address is `daddr`), since that is how those versions wrote it.
 * ICMP echo entries carry the identifier as a port (`ICMP OUT C:id -> S:0`), so they read the same way.
 *
 * NAT keys are not swapped: `A:a -> B:b` is the packet, `{saddr: A, sport: a, daddr: B, dport: b}`.
 */
import { CodecError, ipFamilyOf } from '../schema/index';
import { protoNumber } from './names';

/** Raised for connection text that cannot be read. */
export class TupleTextError extends CodecError {
  override name = 'TupleTextError';
}

/** One endpoint of a connection. */
export interface TupleEndpoint {
  address: string;
  family: 4 | 6;
  port: number;
}

/** Connection text, parsed but not yet turned into key fields. */
export interface TupleText {
  /** IP protocol number; undefined when the text names none. */
  proto?: number;
  /** Direction word of the text (`OUT`, `IN`, `SVC`), if any. */
  dir?: 'OUT' | 'IN' | 'SVC';
  related: boolean;
  /** The v1.10 – v1.14 `service` suffix. */
  service: boolean;
  from: TupleEndpoint;
  to: TupleEndpoint;
}

const SYNTAX = '[PROTO] [OUT|IN|SVC] ADDR:PORT -> ADDR:PORT [related], e.g. "tcp 10.0.1.5:43210 -> 10.0.2.7:80"';

function endpoint(text: string, what: string): TupleEndpoint {
  let host: string;
  let port: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0 || text[close + 1] !== ':') throw new TupleTextError(`${what}: ${JSON.stringify(text)} should be [IPv6]:port; expected ${SYNTAX}`);
    host = text.slice(1, close);
    port = text.slice(close + 2);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw new TupleTextError(`${what}: ${JSON.stringify(text)} has no port; expected ${SYNTAX}`);
    host = text.slice(0, colon);
    port = text.slice(colon + 1);
  }
  const family = ipFamilyOf(host);
  if (family === 0) throw new TupleTextError(`${what}: ${JSON.stringify(host)} is not an IP address; expected ${SYNTAX}`);
  if (!/^(0|[1-9][0-9]{0,4})$/.test(port) || Number(port) > 0xffff) throw new TupleTextError(`${what}: port ${JSON.stringify(port)} is not 0..65535`);
  return { address: host, family, port: Number(port) };
}

/** Parses connection text (see the module comment). */
export function parseTupleText(text: string): TupleText {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const arrow = words.indexOf('->');
  if (arrow < 1 || arrow !== words.length - 2 - trailing(words)) {
    throw new TupleTextError(`${JSON.stringify(text)} is not a connection; expected ${SYNTAX}`);
  }
  const out: Partial<TupleText> & { related: boolean; service: boolean } = { related: false, service: false };
  for (const w of words.slice(0, arrow - 1)) {
    const up = w.toUpperCase();
    if ((up === 'OUT' || up === 'IN' || up === 'SVC') && out.dir === undefined) out.dir = up;
    else if (out.proto === undefined && out.dir === undefined && protoNumber(w) !== undefined) out.proto = protoNumber(w);
    else throw new TupleTextError(`unexpected ${JSON.stringify(w)} in ${JSON.stringify(text)}; expected ${SYNTAX}`);
  }
  for (const w of words.slice(arrow + 2)) {
    if (w === 'related') out.related = true;
    else if (w === 'service') out.service = true;
  }
  const from = endpoint(words[arrow - 1]!, 'source');
  const to = endpoint(words[arrow + 1]!, 'destination');
  if (from.family !== to.family) throw new TupleTextError(`${from.address} and ${to.address} are of different IP families`);
  return { ...out, from, to };
}

/** How many of the trailing words are `related` / `service` suffixes. */
function trailing(words: string[]): number {
  let n = 0;
  for (let i = words.length - 1; i >= 0 && (words[i] === 'related' || words[i] === 'service'); i--) n++;
  return n;
}

/** Parses a `--dir` value: `out`, `in`, `svc` / `service`. */
export function parseTupleDir(text: string): 'OUT' | 'IN' | 'SVC' {
  const t = text.trim().toLowerCase();
  if (t === 'out' || t === 'egress') return 'OUT';
  if (t === 'in' || t === 'ingress') return 'IN';
  if (t === 'svc' || t === 'service') return 'SVC';
  throw new TupleTextError(`--dir must be out, in or svc, got ${JSON.stringify(text)}`);
}

/** Key fields of a CT or NAT tuple, ready for `ctTuple4.encode` & co. */
export type TupleKeyInput = {
  daddr: string;
  saddr: string;
  dport: number;
  sport: number;
  nexthdr: number;
  flags: number;
};

function pickDir(t: TupleText, dir: 'OUT' | 'IN' | 'SVC' | undefined, what: string): 'OUT' | 'IN' | 'SVC' {
  if (t.dir !== undefined && dir !== undefined && t.dir !== dir) throw new TupleTextError(`the text says ${t.dir} but the direction asked for is ${dir}`);
  const d = t.dir ?? dir ?? (t.service ? 'OUT' : undefined);
  if (d === undefined) throw new TupleTextError(`say which ${what} entry: the stored bytes differ by direction (add --dir out, --dir in${what === 'CT' ? ' or --dir svc' : ''}, or OUT/IN in the text)`);
  return d;
}

function protoOf(t: TupleText): number {
  if (t.proto === undefined) throw new TupleTextError(`the connection text names no protocol (start it with tcp, udp, icmp, icmpv6, sctp or a number)`);
  return t.proto;
}

/**
 * A CT key as the datapath stores it for a connection and direction.
 * @param dir direction when the text has none (`OUT`: client's egress entry, `IN`: server's ingress
 *   entry, `SVC`: the service-translation entry).
 * @throws {@link TupleTextError} for unreadable text, or when no direction is known.
 */
export function ctKeyFromText(text: string, dir?: 'OUT' | 'IN' | 'SVC'): TupleKeyInput {
  const t = parseTupleText(text);
  const d = pickDir(t, dir, 'CT');
  const nexthdr = protoOf(t);
  const extra = (t.related ? 2 : 0) | (t.service ? 4 : 0);
  if (d === 'SVC') {
    return { daddr: t.to.address, saddr: t.from.address, dport: t.from.port, sport: t.to.port, nexthdr, flags: 4 | extra };
  }
  return { daddr: t.from.address, saddr: t.to.address, dport: t.to.port, sport: t.from.port, nexthdr, flags: (d === 'IN' ? 1 : 0) | extra };
}

/**
 * A NAT key (not swapped): the packet `saddr:sport -> daddr:dport`, `OUT` for the egress (SNAT)
 * entry, `IN` for the ingress (RevSNAT) entry.
 * @throws {@link TupleTextError} for unreadable text, `SVC`, or when no direction is known.
 */
export function natKeyFromText(text: string, dir?: 'OUT' | 'IN' | 'SVC'): TupleKeyInput {
  const t = parseTupleText(text);
  const d = pickDir(t, dir, 'NAT');
  if (d === 'SVC' || t.service || t.related) throw new TupleTextError('NAT keys are OUT (egress) or IN (ingress); SVC, service and related belong to CT keys');
  return { daddr: t.to.address, saddr: t.from.address, dport: t.to.port, sport: t.from.port, nexthdr: protoOf(t), flags: d === 'IN' ? 1 : 0 };
}
