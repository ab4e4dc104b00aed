/**
 * The char-code address parsers against two oracles: the split/regex parsers they replaced (kept
 * here verbatim: same verdict and same bytes for every input) and node:net (whatever we accept is
 * an address to it too; IPv4 text is also compared with the WHATWG URL parser's bytes).
 * Inputs: well-formed addresses in every spelling, and those mutated (a character inserted,
 * deleted or replaced from the alphabet the parsers care about), so the edges get hit.
 */
import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, parseIPv4Into, parseIPv6Into, parseMacInto } from '../../src/schema/index';

// ---- the previous parsers (src/schema/ip-text.ts before the char-code rewrite), as oracles ----
function oldIPv4(text: string, out: Uint8Array, off = 0): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return false;
    const n = Number(p);
    if (n > 255) return false;
    out[off + i] = n;
  }
  return true;
}
function oldIPv6(text: string, out: Uint8Array, off = 0): boolean {
  if (text.length < 2 || text.length > 45 || text.includes('%')) return false;
  const dbl = text.indexOf('::');
  if (dbl !== -1 && text.indexOf('::', dbl + 1) !== -1) return false;
  const head = dbl === -1 ? text : text.slice(0, dbl);
  const tail = dbl === -1 ? '' : text.slice(dbl + 2);
  const groups: number[] = [];
  const tailGroups: number[] = [];
  const parse = (part: string, into: number[], allowV4: boolean): boolean => {
    if (part === '') return true;
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (allowV4 && i === items.length - 1 && it.includes('.')) {
        const v4 = new Uint8Array(4);
        if (!oldIPv4(it, v4)) return false;
        into.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return false;
      into.push(parseInt(it, 16));
    }
    return true;
  };
  if (dbl === -1) {
    if (!parse(head, groups, true) || groups.length !== 8) return false;
  } else {
    if (!parse(head, groups, false) || !parse(tail, tailGroups, true)) return false;
    if (groups.length + tailGroups.length > 7) return false;
    while (groups.length + tailGroups.length < 8) groups.push(0);
    groups.push(...tailGroups);
  }
  for (let i = 0; i < 8; i++) {
    out[off + 2 * i] = groups[i]! >> 8;
    out[off + 2 * i + 1] = groups[i]! & 0xff;
  }
  return true;
}
function oldMac(text: string, out: Uint8Array, off = 0): boolean {
  const m = /^([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})$/.exec(text);
  if (!m) return false;
  for (let i = 0; i < 6; i++) out[off + i] = parseInt(m[i + 1]!, 16);
  return true;
}
function oldCidr(text: string) {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const v4 = new Uint8Array(4);
  const v6 = new Uint8Array(16);
  let family: 4 | 6;
  let bytes: Uint8Array;
  if (oldIPv4(addr, v4)) {
    family = 4;
    bytes = v4;
  } else if (oldIPv6(addr, v6)) {
    family = 6;
    bytes = v6;
  } else return undefined;
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (slash !== -1) {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    bits = Number(p);
    if (bits > max) return undefined;
  }
  let hostBitsSet = false;
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - 8 * i));
    const mask = keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((bytes[i]! & ~mask & 0xff) !== 0) hostBitsSet = true;
  }
  return { family, bytes, bits, hostBitsSet };
}

// ---- inputs ----
const hexGroup = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((v) => v.toString(16)), fc.integer({ min: 0, max: 0xffff }).map((v) => v.toString(16).toUpperCase().padStart(4, '0')));
const octet = fc.integer({ min: 0, max: 255 }).map(String);
const quad = fc.tuple(octet, octet, octet, octet).map((p) => p.join('.'));
/** IPv6 in every spelling: full, `::` anywhere, a trailing dotted quad. */
const v6text = fc
  .tuple(fc.array(hexGroup, { minLength: 8, maxLength: 8 }), fc.integer({ min: -1, max: 8 }), fc.integer({ min: 0, max: 8 }), fc.boolean(), quad)
  .map(([groups, gapAt, gapLen, v4tail, q]) => {
    const g = v4tail ? [...groups.slice(0, 6), q] : groups;
    if (gapAt < 0 || gapAt >= g.length) return g.join(':');
    const len = Math.min(gapLen, g.length - gapAt);
    return `${g.slice(0, gapAt).join(':')}::${g.slice(gapAt + len).join(':')}`;
  });
const macText = fc.tuple(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.constantFrom(':', '-'), fc.boolean()).map(([b, sep, upper]) => {
  const t = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(sep);
  return upper ? t.toUpperCase() : t;
});
/** Inserts, deletes or replaces characters with ones the parsers treat specially. */
function mutated(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const ch = fc.constantFrom(':', '.', '/', '0', '1', '9', 'a', 'f', 'g', 'F', '%', ' ', '-', '::', '00', '255', '256', 'ffff', '12345', '\u00e9');
  const edit = fc.tuple(fc.nat(), fc.nat(2), ch);
  return fc.tuple(base, fc.array(edit, { maxLength: 3 })).map(([s, edits]) => {
    let t = s;
    for (const [pos, op, c] of edits) {
      const at = t.length === 0 ? 0 : pos % (t.length + 1);
      if (op === 0) t = t.slice(0, at) + c + t.slice(at);
      else if (op === 1) t = t.slice(0, at) + t.slice(at + 1);
      else t = t.slice(0, at) + c + t.slice(at + c.length);
    }
    return t;
  });
}
const anyAddress = mutated(fc.oneof(v6text, quad, macText, fc.string({ maxLength: 12 })));

function same(parse: (t: string, o: Uint8Array, off?: number) => boolean, old: typeof parse, size: number, t: string): boolean {
  const a = new Uint8Array(size + 2);
  const b = new Uint8Array(size + 2);
  const ok = parse(t, a, 1);
  expect(ok, JSON.stringify(t)).toBe(old(t, b, 1));
  if (ok) expect(a, JSON.stringify(t)).toEqual(b);
  return ok;
}

describe('char-code address parsers = the regex parsers they replaced', () => {
  it('IPv6: same verdict and bytes on well-formed and mutated text; accepted text is IPv6 to node:net', () => {
    fc.assert(
      fc.property(fc.oneof(v6text, mutated(v6text), anyAddress), (t) => {
        if (same(parseIPv6Into, oldIPv6, 16, t)) expect(isIPv6(t), t).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('IPv4: same verdict and bytes; accepted text is IPv4 to node:net and the URL parser reads the same bytes', () => {
    fc.assert(
      fc.property(fc.oneof(quad, mutated(quad), anyAddress), (t) => {
        if (same(parseIPv4Into, oldIPv4, 4, t)) {
          expect(isIPv4(t), t).toBe(true);
          const b = new Uint8Array(4);
          parseIPv4Into(t, b);
          expect(new URL(`http://${t}/`).hostname).toBe(Array.from(b).join('.'));
        }
      }),
      { numRuns: 10000 },
    );
  });

  it('MAC: same verdict and bytes', () => {
    fc.assert(fc.property(fc.oneof(macText, mutated(macText), anyAddress), (t) => void same(parseMacInto, oldMac, 6, t)), { numRuns: 10000 });
  });

  it('CIDR: same family, bytes, prefix and host-bits verdict', () => {
    const prefix = fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 140 }).map((n) => `/${n}`), fc.constantFrom('/', '/01', '/-1', '/1a', '/0'));
    fc.assert(
      fc.property(fc.oneof(fc.tuple(fc.oneof(quad, v6text), prefix).map(([a, p]) => a + p), mutated(fc.tuple(fc.oneof(quad, v6text), prefix).map(([a, p]) => a + p))), (t) => {
        expect(parseCidr(t), t).toEqual(oldCidr(t));
      }),
      { numRuns: 10000 },
    );
  });

  it('edge spellings', () => {
    const v6 = ['::', '::1', '1::', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', ':::', ':1::', '1:::2', '1::2::3', '::1.2.3', '1.2.3.4', '::01.2.3.4', 'fe80::1%eth0', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:', ':1:2:3:4:5:6:7', 'a'.repeat(46)];
    for (const t of v6) same(parseIPv6Into, oldIPv6, 16, t);
    for (const t of ['0.0.0.0', '255.255.255.255', '256.0.0.1', '01.2.3.4', '1.2.3', '1..2.3', '1.2.3.4.', '.1.2.3', '1.2.3.4 ', '1.2.3.0004']) same(parseIPv4Into, oldIPv4, 4, t);
    for (const t of ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aa:bb-cc:dd-ee:ff', 'aa:bb:cc:dd:ee:f', 'aa:bb:cc:dd:ee:ff:', 'aa:bb:cc:dd:ee:fg', 'aabbccddeeff']) same(parseMacInto, oldMac, 6, t);
  });
});
