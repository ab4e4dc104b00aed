/** The IP/MAC formatter and parsers, against the WHATWG URL parser as an oracle. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, formatMac, parseCidr, parseIPv4Into, parseIPv6Into, parseMacInto } from '../../src/schema/index';

const oracle6 = (b: Uint8Array) => {
  const hex = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16)).join(':');
  return new URL(`http://[${hex}]/`).hostname.slice(1, -1);
};

describe('IPv6 text (RFC 5952)', () => {
  it.each([
    ['f00d0000000000000a0f000000001234', 'f00d::a0f:0:0:1234'],
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['fd000010000000000000000000000005', 'fd00:10::5'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['00000000000000000000ffffc0000201', '::ffff:192.0.2.1'],
  ])('%s → %s', (hex, text) => {
    const b = Uint8Array.from(hex.match(/../g)!.map((x) => parseInt(x, 16)));
    expect(formatIPv6(b)).toBe(text);
    const back = new Uint8Array(16);
    expect(parseIPv6Into(text, back)).toBe(true);
    expect(back).toEqual(b);
  });
  it('matches URL canonicalisation and round-trips (except the IPv4-mapped spelling)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.array(fc.nat(7), { maxLength: 6 }), (b, zeros) => {
        for (const z of zeros) (b[2 * z] = 0), (b[2 * z + 1] = 0);
        const text = formatIPv6(b);
        if (!text.startsWith('::ffff:')) expect(text).toBe(oracle6(b));
        const back = new Uint8Array(16);
        expect(parseIPv6Into(text, back)).toBe(true);
        expect(back).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });
  it('rejects malformed text', () => {
    for (const t of ['', ':', '1::2::3', '12345::', 'fd00::g', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::1.2.3', '1.2.3.4']) {
      expect(parseIPv6Into(t, new Uint8Array(16)), t).toBe(false);
    }
  });
});

describe('IPv4 text', () => {
  it('round-trips every byte pattern', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        const t = formatIPv4(b);
        expect(new URL(`http://${t}/`).hostname).toBe(t);
        const back = new Uint8Array(4);
        expect(parseIPv4Into(t, back)).toBe(true);
        expect(back).toEqual(b);
      }),
    );
  });
  it('rejects malformed text (including octal-looking leading zeros)', () => {
    for (const t of ['1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1.2.3.-4', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d']) {
      expect(parseIPv4Into(t, new Uint8Array(4)), t).toBe(false);
    }
  });
});

describe('CIDR and MAC', () => {
  it('parses CIDRs and spots host bits', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ family: 4, bits: 8, hostBitsSet: false });
    expect(parseCidr('10.1.0.0/8')).toMatchObject({ hostBitsSet: true });
    expect(parseCidr('fd00::/64')).toMatchObject({ family: 6, bits: 64, hostBitsSet: false });
    expect(parseCidr('fd00::1')).toMatchObject({ bits: 128 });
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0/08')).toBeUndefined();
  });
  it('MACs are lowercase, wire order', () => {
    const b = new Uint8Array(6);
    expect(parseMacInto('EA:C4:71:D6:4F:A0', b)).toBe(true);
    expect(formatMac(b)).toBe('ea:c4:71:d6:4f:a0');
    expect(parseMacInto('ea:c4:71:d6:4f', b)).toBe(false);
  });
});
