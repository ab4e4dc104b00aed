/**
 * What `decode-map key|value|update` hands out, the package's own decoder takes back (issue 8,
 * classes 11, 12, 14, 15): a fast-check property over every map and layout — random argument
 * words, valid and not — asserts that each either fails with the package's own error or yields
 * bytes that decode through the dump decoder with no issue and no skipped entry. Plus the
 * regression examples: prefixlen past the address, host bits in `ip=` + `prefixlen=`, two
 * spellings of one address, Object.prototype names and pollution, exact numbers in errors, and
 * big-endian bit-fields.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CodecError,
  MAPS,
  acceptedFields,
  bytesToHex,
  decodeDumpText,
  encodeKeyArgs,
  encodeValueArgs,
  batchQuote,
  keyInputFromArgs,
  lookupCommand,
  mapCommandArgs,
  parseHostPort,
  parseVersion,
  shellCommand,
  shellQuote,
  resolveMap,
  suggestMap,
  type MapDefinition,
  type MapSpec,
} from '../../src/index';

/** A key every layout of the map accepts, for the value half of the property. */
const GOOD_KEY: Record<MapDefinition['kind'], (def: MapDefinition) => string | string[]> = {
  ipcache: () => '10.0.0.0/8',
  endpoint: () => '10.0.0.1',
  service: (d) => (d.family === 6 ? '[fd00::a]:53' : '10.96.0.10:53'),
  backend: () => '1',
  revnat: () => '1',
  ct: (d) => (d.family === 6 ? 'tcp OUT [fd00::1]:43210 -> [fd00::2]:80' : 'tcp OUT 10.0.1.5:43210 -> 10.0.2.7:80'),
  nat: (d) => (d.family === 6 ? 'tcp OUT [fd00::1]:43210 -> [fd00::2]:80' : 'tcp OUT 10.0.1.5:43210 -> 10.0.2.7:80'),
  metrics: () => ['reason=132', 'dir=1'],
};

function layoutsWithVersion(): { spec: MapSpec; version: string; label: string }[] {
  const out: { spec: MapSpec; version: string; label: string }[] = [];
  for (const def of MAPS) {
    for (const l of def.layouts) {
      const version = l.versions[0]!.from;
      const spec = resolveMap(def.name, version);
      out.push({ spec, version, label: `${def.name} @ ${version} (${l.key.label} / ${l.value.label})` });
    }
  }
  return out;
}

/** A value text for a field of this kind: in range mostly, sometimes past it or malformed. */
function valueText(kind: string, name: string): fc.Arbitrary<string> {
  const bitsOf: Record<string, number> = { u8: 8, u16: 16, u32: 32, be16: 16, be32: 32, flags: 32, u64: 64 };
  const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
  const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((a) => a.map((x) => x.toString(16)).join(':'));
  const bits = bitsOf[kind];
  if (bits !== undefined) {
    const small = name === 'prefixlen' ? fc.nat(200) : name === 'family' ? fc.nat(3) : fc.bigInt(0n, (1n << BigInt(bits)) - 1n);
    return fc.oneof(small.map(String), fc.bigInt(0n, 1n << 70n).map(String), fc.bigInt(0n, 1n << 40n).map((n) => `0x${n.toString(16)}`));
  }
  switch (kind) {
    case 'ipv4':
      return fc.oneof(v4, v6);
    case 'ipv6':
      return fc.oneof(v6, v4);
    case 'addr16':
      return fc.oneof(v4, v6, fc.constantFrom('::', '0::', '0.0.0.0'));
    case 'mac':
      return fc.array(fc.nat(255), { minLength: 6, maxLength: 6 }).map((a) => a.map((x) => x.toString(16).padStart(2, '0')).join(':'));
    default:
      return fc.oneof(fc.constantFrom('0', '1', '10.0.0.0/8', 'fd00::/64', '10.0.0.1/8', 'tcp', 'maglev'), fc.string({ maxLength: 8 }));
  }
}

function argsFor(spec: MapSpec, part: 'key' | 'value'): fc.Arbitrary<string[]> {
  const schema = part === 'key' ? spec.key : spec.value;
  const fields = acceptedFields(spec, part).map((f) => {
    const fl = schema.layout.find((l) => l.name === f.name);
    return fc.option(valueText(fl?.kind ?? 'text', f.name).map((v) => `${f.name}=${v}`), { nil: undefined, freq: 2 });
  });
  return fc.tuple(...fields).map((xs) => xs.filter((x): x is string => x !== undefined));
}

function decodesCleanly(spec: MapSpec, version: string, key: Uint8Array, value: Uint8Array): void {
  const text = `key: ${bytesToHex(key)}  value: ${bytesToHex(value)}\n`;
  const { records, summary } = decodeDumpText(text, { map: spec.name, version, strict: true });
  expect(summary.issues, text).toEqual([]);
  expect(summary.padding, text).toEqual([]);
  expect(summary.skipped).toBe(0);
  expect(records).toHaveLength(1);
}

describe('encode checks ≡ decode checks: every layout, random arguments', () => {
  for (const { spec, version, label } of layoutsWithVersion()) {
    const goodKey = encodeKeyArgs(spec, [GOOD_KEY[spec.def.kind](spec.def)].flat());
    const zeroValue = encodeValueArgs(spec, []);
    it(label, () => {
      fc.assert(
        fc.property(argsFor(spec, 'key'), argsFor(spec, 'value'), (kargs, vargs) => {
          let key = goodKey;
          let value = zeroValue;
          for (const [part, args] of [['key', kargs], ['value', vargs]] as const) {
            if (args.length === 0) continue;
            try {
              if (part === 'key') key = encodeKeyArgs(spec, args);
              else value = encodeValueArgs(spec, args);
            } catch (e) {
              // Refusing is fine; refusing with a foreign error (TypeError, RangeError) is not.
              expect(e, args.join(' ')).toBeInstanceOf(CodecError);
            }
          }
          decodesCleanly(spec, version, key, value);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('regressions (issue 8)', () => {
  const ipc = resolveMap('cilium_ipcache', '1.16');
  const hex = (b: Uint8Array) => bytesToHex(b);

  it('a prefixlen past the address is refused with the decoder reason', () => {
    expect(() => encodeKeyArgs(ipc, ['prefixlen=200', 'family=1', 'ip=1.2.3.4'])).toThrow(/prefixlen 200 is not 32 \+ 0\.\.32.*the decoder refuses/);
    expect(() => encodeKeyArgs(ipc, ['prefixlen=64', 'family=9', 'ip=1.2.3.4'])).toThrow(CodecError);
  });

  it('ip= and prefixlen= get the shorthand checks (host bits, family)', () => {
    expect(() => encodeKeyArgs(ipc, ['ip=10.0.0.1', 'prefixlen=40'])).toThrow(/10\.0\.0\.1\/8 has bits set past \/8/);
    expect(() => encodeKeyArgs(ipc, ['10.0.0.1/8'])).toThrow(/10\.0\.0\.1\/8 has bits set past \/8/);
    expect(hex(encodeKeyArgs(ipc, ['ip=10.0.0.0', 'prefixlen=40']))).toBe(hex(encodeKeyArgs(ipc, ['10.0.0.0/8'])));
    expect(() => encodeKeyArgs(ipc, ['ip=10.0.0.0', 'prefixlen=40', 'family=2'])).toThrow(/family 2 disagrees/);
  });

  it('one address in two spellings encodes to the same bytes', () => {
    for (const map of ['ipcache', 'lxc']) {
      const spec = resolveMap(map);
      expect(hex(encodeKeyArgs(spec, ['0::']))).toBe(hex(encodeKeyArgs(spec, ['::'])));
      expect(hex(encodeKeyArgs(spec, ['fd00:0:0::1']))).toBe(hex(encodeKeyArgs(spec, ['FD00::1'])));
    }
    const v2 = resolveMap('cilium_ipcache_v2');
    expect(hex(encodeValueArgs(v2, ['tunnel_endpoint=0::']))).toBe(hex(encodeValueArgs(v2, ['tunnel_endpoint=::'])));
  });

  it('Object.prototype member names are unknown fields, not crashes', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(() => encodeKeyArgs(ipc, [`${name}=1`])).toThrow(/unknown field/);
      expect(() => encodeValueArgs(ipc, [`${name}=1`])).toThrow(/unknown field/);
      expect(() => encodeValueArgs(resolveMap('lb4-services'), [`flags=${name}`])).toThrow(/unknown flag/);
    }
  });

  it('library arguments of the wrong type throw the package error', () => {
    expect(() => keyInputFromArgs(ipc, null as never)).toThrow(CodecError);
    expect(() => encodeValueArgs(ipc, [1 as never])).toThrow(CodecError);
  });

  it('numbers in errors are exact', () => {
    expect(() => encodeValueArgs(ipc, ['sec_identity=18446744073709551617'])).toThrow(/18446744073709551617 is out of range/);
    expect(() => ipc.value.encode({ sec_identity: 18446744073709551617n as never })).toThrow(/18446744073709551617 is out of range/);
    expect(() => ipc.value.encode({ sec_identity: '18446744073709551617' as never })).toThrow(/18446744073709551617 is out of range/);
    expect(() => encodeValueArgs(resolveMap('lb4-backends'), ['flags=0x10000000000000001'])).toThrow(/18446744073709551617 is out of range/);
  });
});

describe('encode paths throw only the package error (issue 8, class 12)', () => {
  it('junk into every public encode-path function', () => {
    const spec = resolveMap('ipcache');
    const calls: [string, (x: unknown) => unknown][] = [
      ['resolveMap', (x) => resolveMap(x as never)],
      ['resolveMap version', (x) => resolveMap('ipcache', x as never)],
      ['parseVersion', (x) => parseVersion(x as never)],
      ['encodeKeyArgs spec', (x) => encodeKeyArgs(x as never, ['10.0.0.0/8'])],
      ['encodeKeyArgs args', (x) => encodeKeyArgs(spec, x as never)],
      ['encodeKeyArgs opts', (x) => encodeKeyArgs(spec, ['10.0.0.0/8'], x as never)],
      ['encodeValueArgs', (x) => encodeValueArgs(spec, x as never)],
      ['parseHostPort', (x) => parseHostPort(x as never)],
      ['key.encode', (x) => spec.key.encode(x as never)],
      ['value.encode', (x) => spec.value.encode(x as never)],
      ['mapCommandArgs map', (x) => mapCommandArgs(x as never, { op: 'lookup', key: Uint8Array.of(1) })],
      ['mapCommandArgs op', (x) => mapCommandArgs('cilium_ipcache', x as never)],
      ['mapCommandArgs opts', (x) => mapCommandArgs('cilium_ipcache', { op: 'lookup', key: Uint8Array.of(1) }, x as never)],
      ['lookupCommand key', (x) => lookupCommand('cilium_ipcache', x as never)],
      ['lookupCommand opts', (x) => lookupCommand('cilium_ipcache', Uint8Array.of(1), x as never)],
      ['shellQuote', (x) => shellQuote(x as never)],
      ['batchQuote', (x) => batchQuote(x as never)],
      ['shellCommand', (x) => shellCommand(x as never)],
    ];
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.constantFrom(null, undefined, 0, '', [], {}, [null], { op: null }, { pin: 3 }, { prefix: 'x' })), fc.nat(calls.length - 1), (junk, i) => {
        const [name, call] = calls[i]!;
        try {
          call(junk);
        } catch (e) {
          expect(e, `${name}(${fc.stringify(junk)})`).toBeInstanceOf(CodecError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('own properties only (issue 8, class 12)', () => {
  const proto = Object.prototype as Record<string, unknown>;
  afterEach(() => {
    for (const k of ['tunnel_endpoint', 'cidr', 'raw', 'flag_ipv6_tunnel_ep', 'sec_identity']) delete proto[k];
  });
  it('a polluted Object.prototype is not encoded', () => {
    const v2 = resolveMap('cilium_ipcache_v2');
    const ipc = resolveMap('cilium_ipcache');
    const clean = { value: bytesToHex(v2.value.encode({ sec_identity: 7 })), key: bytesToHex(ipc.key.encode({ cidr: '10.0.0.0/8' })) };
    proto.tunnel_endpoint = '6.6.6.6';
    proto.sec_identity = 99;
    proto.cidr = '9.9.9.9/32';
    proto.raw = 0xff;
    proto.flag_ipv6_tunnel_ep = true;
    expect(bytesToHex(v2.value.encode({ sec_identity: 7 }))).toBe(clean.value);
    expect(bytesToHex(v2.value.encode({ sec_identity: 7, flags: { flag_has_tunnel_ep: false } }))).toBe(clean.value);
    expect(bytesToHex(v2.value.encode({ sec_identity: 7, flags: {} }))).toBe(clean.value);
    expect(bytesToHex(ipc.key.encode({ cidr: '10.0.0.0/8' }))).toBe(clean.key);
  });
});

describe('big-endian hosts: C bit-fields from the most significant bit (issue 8, class 14)', () => {
  it('remote_endpoint_info flag bit-fields are mirrored, #define flags are not', () => {
    const le = resolveMap('cilium_ipcache_v2', 'main');
    const be = resolveMap('cilium_ipcache_v2', 'main', { endian: 'be' });
    const input = { sec_identity: 0x01020304, tunnel_endpoint: 'fd00::4', flags: { flag_has_tunnel_ep: true, flag_ipv6_tunnel_ep: true } };
    const lb = le.value.encode(input);
    const bb = be.value.encode(input);
    // flags byte at 23: LE bits 1|2 = 0x06; BE bits 6|5 (7 - 1, 7 - 2) = 0x60.
    expect(lb[23]).toBe(0x06);
    expect(bb[23]).toBe(0x60);
    expect(bb.subarray(0, 4)).toEqual(Uint8Array.of(1, 2, 3, 4));
    const back = be.value.decode(bb) as { tunnel_endpoint: string; flags: Record<string, unknown> };
    expect(back.tunnel_endpoint).toBe('fd00::4');
    expect(back.flags).toMatchObject({ raw: 0x60, flag_has_tunnel_ep: true, flag_ipv6_tunnel_ep: true, flag_skip_tunnel: false, unknown: 0 });
    // The reference interpreter agrees with the compiled path on the mirrored layout.
    expect(be.value.decodeReference(bb)).toEqual(back);
    expect(be.value.encodeReference(input)).toEqual(bb);
    // Service flags are `#define` masks: the same bit on either host.
    const svcLe = resolveMap('lb4-services').value.encode({ flags: { routable: true } } as never);
    const svcBe = resolveMap('lb4-services', undefined, { endian: 'be' }).value.encode({ flags: { routable: true } } as never);
    expect(svcBe).toEqual(svcLe);
  });
  it('the 12-byte v1.16 value: flag_skip_tunnel is 0x80 on big-endian hosts', () => {
    const be = resolveMap('cilium_ipcache', '1.16', { endian: 'be' });
    expect(be.value.encode({ flags: { flag_skip_tunnel: true } })[11]).toBe(0x80);
    expect((be.value.decode(Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x80)) as { flags: { flag_skip_tunnel: boolean } }).flags.flag_skip_tunnel).toBe(true);
  });
});

describe('versions and map names (issue 8, class 15; issue 9)', () => {
  it('an unknown release is refused with the list of known ones', () => {
    expect(() => parseVersion('1.999')).toThrow(/Cilium 1\.999 is not a known release; layouts are known for 1\.10, 1\.11,.* 1\.21 \(main\)/);
    expect(() => parseVersion('1.22')).toThrow(/not a known release/);
    expect(() => parseVersion('1.9')).toThrow(/not a known release/);
  });
  it('a pre-release reads as its release', () => {
    expect(parseVersion('1.16.0-rc1')).toMatchObject({ minor: 16, patch: 0, text: '1.16.0', prerelease: 'rc1' });
    expect(resolveMap('lb4-services', '1.17.0-pre.2').value.label).toBe(resolveMap('lb4-services', '1.17.0').value.label);
  });
  it('a mistyped map name gets "did you mean"', () => {
    expect(suggestMap('cilium_ipcahce')?.name).toBe('cilium_ipcache');
    expect(suggestMap('ipcach')?.name).toBe('cilium_ipcache');
    expect(suggestMap('lb4-servics')?.name).toBe('cilium_lb4_services_v2');
    expect(suggestMap('completely-different')).toBeUndefined();
    expect(() => resolveMap('cilium_ipcahce')).toThrow('unknown map "cilium_ipcahce"; did you mean cilium_ipcache?');
  });
});
