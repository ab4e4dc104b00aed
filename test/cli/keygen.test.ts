/**
 * `decode-map key|value|update`: the exact examples of the issue through the built CLI
 * (`node dist/cli.js`), and every argument path in-process through `runKeygen` with fake streams.
 */
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io';
import { runKeygen } from '../../src/cli/keygen';
import { ensureCliBuilt, runCli } from '../integration/cli';

const K155 = '40 00 00 00 00 00 00 01 0a 0a 01 9b 00 00 00 00 00 00 00 00 00 00 00 00';

function fakeIO(): { io: CliIO; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c: Buffer) => (o += c.toString()));
  stderr.on('data', (c: Buffer) => (e += c.toString()));
  return { io: { stdin: new PassThrough(), stdout, stderr, env: {} }, out: () => o, err: () => e };
}

async function run(cmd: 'key' | 'value' | 'update', args: string[]): Promise<{ code: number; out: string }> {
  const f = fakeIO();
  const code = await runKeygen(cmd, args, f.io);
  await new Promise((r) => setImmediate(r));
  return { code, out: f.out() };
}

async function usage(cmd: 'key' | 'value' | 'update', args: string[]): Promise<string> {
  try {
    await run(cmd, args);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a UsageError for ${cmd} ${args.join(' ')}`);
}

describe('runKeygen in-process', () => {
  it('prints key hex, value hex and commands', async () => {
    expect(await run('key', ['ipcache', '10.10.1.155/32'])).toEqual({ code: 0, out: `${K155}\n` });
    expect((await run('key', ['lxc', '10.10.2.121'])).out).toBe('0a 0a 02 79 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00\n');
    expect((await run('key', ['lb4-services', '10.96.0.10:53', '--slot', '1'])).out).toBe('0a 60 00 0a 00 35 01 00 00 00 00 00\n');
    expect((await run('key', ['lb4-services', '10.96.0.10:53', '--slot=1', '--proto=udp', '--scope', 'int'])).out).toBe('0a 60 00 0a 00 35 01 00 11 01 00 00\n');
    expect((await run('key', ['lb4-revnat', '2'])).out).toBe('00 02\n');
    expect((await run('key', ['lb4-revnat', 'rev_nat_index=2'])).out).toBe('00 02\n');
    expect((await run('value', ['ipcache', 'sec_identity=10388', 'tunnel_endpoint=172.18.0.4'])).out).toBe('94 28 00 00 ac 12 00 04 00 00 00 00\n');
    expect((await run('key', ['ipcache', '10.10.1.155/32', '--cmd', 'lookup'])).out).toBe(`bpftool map lookup pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K155}\n`);
    expect((await run('key', ['ipcache', '10.10.1.155/32', '--cmd=delete', '--pin', '/sys/fs/bpf/my maps/ipc'])).out).toBe(`bpftool map delete pinned '/sys/fs/bpf/my maps/ipc' key hex ${K155}\n`);
    expect((await run('key', ['/sys/fs/bpf/x/cilium_ipcache', '10.10.1.155/32', '--cmd', 'getnext'])).out).toBe(`bpftool map getnext pinned /sys/fs/bpf/x/cilium_ipcache key hex ${K155}\n`);
    expect((await run('key', ['lb4-backends', '7', '--cmd', 'lookup', '--pin-dir', '/run/cilium/bpffs/tc/globals'])).out).toBe('bpftool map lookup pinned /run/cilium/bpffs/tc/globals/cilium_lb4_backends_v3 key hex 07 00 00 00\n');
    expect((await run('key', ['ipcache', '10.10.1.155/32', '--cmd', 'lookup', '--batch'])).out).toBe(`map lookup pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K155}\n`);
    expect((await run('update', ['ipcache', '10.10.1.155/32', '--', 'sec_identity=10388', 'tunnel_endpoint=172.18.0.4'])).out).toBe(
      `bpftool map update pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K155} value hex 94 28 00 00 ac 12 00 04 00 00 00 00\n`,
    );
    expect((await run('update', ['lb4-services', '10.96.0.10:53/udp', '--slot', '1', '--', 'backend_id=4', 'rev_nat_index=2', '--flag', 'noexist', '--cilium-version', '1.17'])).out).toBe(
      'bpftool map update pinned /sys/fs/bpf/tc/globals/cilium_lb4_services_v2 key hex 0a 60 00 0a 00 35 01 00 11 00 00 00 value hex 04 00 00 00 00 00 00 02 00 00 00 00 noexist\n',
    );
    expect((await run('update', ['lb4-revnat', '2', '--', '10.96.0.10:53', '--batch'])).out).toBe('map update pinned /sys/fs/bpf/tc/globals/cilium_lb4_reverse_nat key hex 00 02 value hex 0a 60 00 0a 00 35\n');
    expect((await run('value', ['lb4-backends', '10.0.2.230:53/udp', 'state=terminating', '--cilium-version', '1.16.0'])).out).toBe('0a 00 02 e6 00 35 11 01 00 00 00 00\n');
    expect((await run('key', ['lxc', '10.10.2.121', '--host-endian', 'be'])).out).toBe('0a 0a 02 79 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00\n');
    expect((await run('key', ['lb4-services', '10.96.0.10:53', '--slot', '1', '--host-endian', 'be'])).out).toBe('0a 60 00 0a 00 35 00 01 00 00 00 00\n');
  });
  it('prints its usage for --help', async () => {
    const r = await run('key', ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage:\n {2}decode-map key MAP ARGS/);
  });
  it('turns every bad argument into a UsageError naming the field and what is accepted', async () => {
    expect(await usage('key', ['ipcache', '10.10.1.155/33'])).toMatch(/^cidr: "10\.10\.1\.155\/33" is not a CIDR or IP address; accepted: /);
    expect(await usage('key', ['ipcache', '10.10.1.155/24'])).toMatch(/bits set past \/24/);
    expect(await usage('key', ['lb4-services', '10.96.0.10:99999'])).toMatch(/^port: "99999" .* is not a port; accepted: a port 0\.\.65535/);
    expect(await usage('key', ['lb4-services', '10.96.0.10:53', '--slot', '70000'])).toMatch(/backend_slot @ offset 6: 70000 is out of range for u16 \(0\.\.65535\)/);
    expect(await usage('value', ['ipcache', 'sec_identity=10388', 'colour=blue'])).toMatch(/^colour: unknown field of cilium_ipcache value .*; accepted: sec_identity, tunnel_endpoint, key, flags/);
    expect(await usage('value', ['lb4-services', 'qcount=1', '--cilium-version', '1.16'])).toMatch(/^qcount: does not exist in Cilium 1\.16.*exists in v1\.17 → main/);
    expect(await usage('value', ['lb4-services', 'flags=routable,fast'])).toMatch(/^flags: unknown flag "fast"; accepted: .*routable/);
    expect(await usage('key', ['nosuchmap', '1'])).toMatch(/unknown map "nosuchmap"/);
    expect(await usage('key', ['lb4-backends_v2', '1', '--cilium-version', '1.16'])).toMatch(/unknown map|not used by Cilium 1\.16/);
    expect(await usage('key', ['cilium_lb4_backends_v2', '1', '--cilium-version', '1.16'])).toMatch(/cilium_lb4_backends_v2 is not used by Cilium 1\.16.*cilium_lb4_backends_v3/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--cilium-version', 'one'])).toMatch(/"one" is not a Cilium version/);
    expect(await usage('key', [])).toMatch(/no map given/);
    expect(await usage('key', ['ipcache'])).toMatch(/no key given for cilium_ipcache/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--cmd', 'dump'])).toMatch(/--cmd must be lookup, delete or getnext/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--cmd', 'update'])).toMatch(/decode-map update MAP KEYARGS/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--frobnicate'])).toMatch(/unknown option --frobnicate/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--cmd'])).toMatch(/--cmd needs a value/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--pin', '/x'])).toMatch(/--pin does not apply/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--slot', '1'])).toMatch(/--slot: applies only to service maps/);
    expect(await usage('key', ['ipcache', '10.0.0.0/8', '--', 'x=1'])).toMatch(/"--" separates key and value/);
    expect(await usage('value', ['ipcache'])).toMatch(/no value fields given for cilium_ipcache; e\.g\. sec_identity=/);
    expect(await usage('value', ['ipcache', 'sec_identity=1', '--cmd', 'lookup'])).toMatch(/--cmd does not apply/);
    expect(await usage('update', ['ipcache', '10.0.0.0/8', 'sec_identity=1'])).toMatch(/update needs "--" between the key and the value/);
    expect(await usage('update', ['ipcache', '10.0.0.0/8', '--'])).toMatch(/no value fields after "--"/);
    expect(await usage('update', ['ipcache', '10.0.0.0/8', '--', 'sec_identity=1', '--flag', 'maybe'])).toMatch(/--flag must be any, exist or noexist/);
    expect(await usage('update', ['ipcache', '10.0.0.0/8', '--', 'sec_identity=1', '--pin', '/sys/fs/bpf/#x', '--batch'])).toMatch(/cannot be written in a bpftool batch file/);
    expect(await usage('key', ['lxc', '10.0.0.1', '--host-endian', 'middle'])).toMatch(/--host-endian must be le or be/);
  });
});

describe('node dist/cli.js', () => {
  beforeAll(() => ensureCliBuilt(), 180_000);

  it('prints the exact examples of the issue', () => {
    const cases: [string[], string][] = [
      [['key', 'ipcache', '10.10.1.155/32'], K155],
      [['key', 'lxc', '10.10.2.121'], '0a 0a 02 79 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00'],
      [['key', 'lb4-services', '10.96.0.10:53', '--slot', '1'], '0a 60 00 0a 00 35 01 00 00 00 00 00'],
      [['key', 'lb4-revnat', '2'], '00 02'],
      [['value', 'ipcache', 'sec_identity=10388', 'tunnel_endpoint=172.18.0.4'], '94 28 00 00 ac 12 00 04 00 00 00 00'],
      [['key', 'ipcache', '10.10.1.155/32', '--cmd', 'lookup'], `bpftool map lookup pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K155}`],
      [['update', 'lb4-revnat', '2', '--', 'address=10.96.0.10', 'port=53'], 'bpftool map update pinned /sys/fs/bpf/tc/globals/cilium_lb4_reverse_nat key hex 00 02 value hex 0a 60 00 0a 00 35'],
    ];
    for (const [args, want] of cases) {
      const r = runCli(args);
      expect({ args, status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ args, status: 0, stdout: `${want}\n`, stderr: '' });
    }
  });

  it('exits 2 with a message naming the field and what is accepted', () => {
    const cases: [string[], RegExp][] = [
      [['key', 'ipcache', '10.10.1.300/32'], /decode-map: cidr: "10\.10\.1\.300\/32" is not a CIDR or IP address; accepted: /],
      [['key', 'lb4-services', '10.96.0.10:http'], /decode-map: port: "http" in "10\.96\.0\.10:http" is not a port; accepted: a port 0\.\.65535/],
      [['value', 'ipcache', 'sec_identity=4294967296'], /decode-map: .*sec_identity @ offset 0: 4294967296 is out of range for u32 \(0\.\.4294967295\)/],
      [['value', 'ipcache', 'bogus=1'], /decode-map: bogus: unknown field of cilium_ipcache value/],
      [['value', 'lxc', 'rt_info=1', '--cilium-version', '1.19'], /decode-map: rt_info: does not exist in Cilium 1\.19.*exists in v1\.20 → main/],
      [['update', 'ipcache', '10.0.0.0/8', 'sec_identity=1'], /decode-map: update needs "--"/],
    ];
    for (const [args, re] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(re);
    }
  });
});
