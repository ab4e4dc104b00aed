/**
 * `decode-map key|value|update`: friendly arguments → key/value hex, or the whole bpftool command.
 * A thin shell over the public API (`keyInputFromArgs`, `encodeKeyArgs`, `lookupCommand`, …).
 * Every bad argument becomes a {@link UsageError} (exit 2) that names the field and what it accepts.
 */
import {
  CodecError,
  UPDATE_FLAGS,
  batchLine,
  bytesToHex,
  encodeKeyArgs,
  encodeValueArgs,
  mapCommandArgs,
  resolveMap,
  shellCommand,
  type CommandOptions,
  type Endian,
  type KeyArgOptions,
  type MapOperation,
  type MapSpec,
  type UpdateFlag,
} from '../index';
import { EXIT, UsageError, type CliIO } from './io';
import type { Verb } from './verb';

/** The key arguments every verb that takes a key understands (key, update, lookup). */
export const KEY_ARGS_HELP = `Key ARGS: ipcache CIDR or IP (10.10.1.155/32, fd00::1); lxc IP; service VIP:port[/proto]
(10.96.0.10:53/udp, [fd00::a]:443/tcp); backend ID; reverse-NAT ID; conntrack/NAT connection
'PROTO ADDR:PORT -> ADDR:PORT' (with --dir, or cilium-dbg's 'TCP OUT ...' key text); and FIELD=VALUE
pairs (ip=10.0.0.0 prefixlen=40 gets the same checks as 10.0.0.0/8).`;

const USAGE = `Usage:
  decode-map key MAP ARGS... [--cmd lookup|delete|getnext] [--pin PATH] [--slot N] [--scope ext|int] [--proto P]
  decode-map value MAP FIELD=VALUE...
  decode-map update MAP KEYARGS... -- FIELD=VALUE... [--flag any|exist|noexist] [--pin PATH]

Whatever these print decodes cleanly with decode-map: values the decoder would refuse (a prefixlen
past the address, host bits past the prefix) are refused here too.

${KEY_ARGS_HELP}
Values: integers decimal or 0x hex, IPs, MACs, flags as a number or names (routable,nodeport),
proto=udp, scope=int, state=terminating.

Options:
  --cmd lookup|delete|getnext   print the whole bpftool command instead of the key hex
  --pin PATH                    pinned path of the map (default /sys/fs/bpf/tc/globals/<map>)
  --pin-dir DIR                 directory of pinned maps (default /sys/fs/bpf/tc/globals)
  --batch                       print a 'bpftool batch file' line (no leading 'bpftool')
  --flag any|exist|noexist      update only: BPF_ANY (default), BPF_EXIST, BPF_NOEXIST
  --cilium-version X.Y[.Z]      layout of that Cilium release (default: the newest for the map)
  --host-endian le|be           byte order of the node (default le: x86-64, arm64)
  --slot N, --scope ext|int, --proto tcp|udp|...   service keys
  --dir out|in|svc              conntrack/NAT keys: which entry of the connection (the CT key is
                                stored swapped: 'tcp CLIENT:PORT -> SERVER:PORT' --dir out)
`;

interface Parsed {
  positionals: string[];
  /** Positionals after `--` (update's value pairs). */
  after: string[] | undefined;
  opts: Map<string, string>;
}

const VALUED = ['cmd', 'pin', 'pin-dir', 'cilium-version', 'host-endian', 'slot', 'scope', 'proto', 'flag', 'dir'];
const BOOLEAN = ['batch', 'help'];

function parse(args: string[]): Parsed {
  const positionals: string[] = [];
  let after: string[] | undefined;
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' && after === undefined) {
      after = [];
      continue;
    }
    if (a === '-h') {
      opts.set('help', '');
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(a);
      const name = m?.[1];
      if (!m || name === undefined || (!VALUED.includes(name) && !BOOLEAN.includes(name))) {
        throw new UsageError(`unknown option ${a}; options: ${[...VALUED, ...BOOLEAN].map((o) => `--${o}`).join(', ')}`);
      }
      if (opts.has(name)) throw new UsageError(`--${name} is given twice`);
      if (BOOLEAN.includes(name)) {
        if (m[2] !== undefined) throw new UsageError(`--${name} takes no value`);
        opts.set(name, '');
        continue;
      }
      let v = m[2];
      if (v === undefined) {
        v = args[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
      }
      opts.set(name, v);
      continue;
    }
    (after ?? positionals).push(a);
  }
  return { positionals, after, opts };
}

function specOf(mapArg: string | undefined, opts: Map<string, string>): MapSpec {
  if (mapArg === undefined) throw new UsageError('no map given (e.g. ipcache, lxc, lb4-services, lb4-backends, lb4-revnat)');
  const endian = opts.get('host-endian') ?? 'le';
  if (endian !== 'le' && endian !== 'be') throw new UsageError(`--host-endian must be le or be, got "${endian}"`);
  return resolveMap(mapArg, opts.get('cilium-version'), { endian: endian as Endian });
}

function commandOptions(mapArg: string, opts: Map<string, string>): { map: string; copts: CommandOptions } {
  const copts: CommandOptions = {};
  const pin = opts.get('pin');
  const dir = opts.get('pin-dir');
  // An unset $PIN (`--pin "$PIN"`) must not silently target the default map.
  if (pin === '') throw new UsageError('--pin needs a path; it was given an empty one (an unset variable?)');
  if (dir === '') throw new UsageError('--pin-dir needs a directory; it was given an empty one (an unset variable?)');
  if (pin !== undefined) copts.pin = pin;
  if (dir !== undefined) copts.pinDir = dir;
  return { map: mapArg, copts };
}

function render(map: string, op: MapOperation, copts: CommandOptions, batch: boolean): string {
  return batch ? batchLine(map, op, copts) : shellCommand(['bpftool', ...mapCommandArgs(map, op, copts)]);
}

function refuse(opts: Map<string, string>, cmd: string, names: string[]): void {
  for (const n of names) if (opts.has(n)) throw new UsageError(`--${n} does not apply to "decode-map ${cmd}"`);
}

function keyOptions(opts: Map<string, string>): KeyArgOptions {
  const o: KeyArgOptions = {};
  if (opts.has('slot')) o.slot = opts.get('slot');
  if (opts.has('scope')) o.scope = opts.get('scope');
  if (opts.has('proto')) o.proto = opts.get('proto');
  if (opts.has('dir')) o.dir = opts.get('dir');
  return o;
}

/** The map as given on the command line when it is a path, so commands use that path; else the catalogue name. */
function mapHandle(mapArg: string, spec: MapSpec): string {
  return mapArg.includes('/') ? mapArg : spec.name;
}

/**
 * Runs `decode-map key|value|update ARGS...`; resolves to the exit code.
 *
 * @throws {@link UsageError} for bad arguments (the dispatcher prints it and exits 2).
 */
export async function runKeygen(cmd: 'key' | 'value' | 'update', args: string[], io: CliIO): Promise<number> {
  const p = parse(args);
  if (p.opts.has('help')) {
    io.stdout.write(USAGE);
    return EXIT.OK;
  }
  try {
    const [mapArg, ...rest] = p.positionals;
    const spec = specOf(mapArg, p.opts);
    const { map, copts } = commandOptions(mapHandle(mapArg!, spec), p.opts);
    const batch = p.opts.has('batch');
    if (cmd === 'key') {
      if (p.after !== undefined) throw new UsageError('"--" separates key and value arguments of "decode-map update"; "decode-map key" takes key arguments only');
      refuse(p.opts, cmd, ['flag']);
      const key = encodeKeyArgs(spec, rest, keyOptions(p.opts));
      const op = p.opts.get('cmd');
      if (op === undefined) {
        refuse(p.opts, `${cmd} (without --cmd)`, ['pin', 'pin-dir', 'batch']);
        io.stdout.write(`${bytesToHex(key)}\n`);
      } else if (op === 'lookup' || op === 'delete' || op === 'getnext') {
        io.stdout.write(`${render(map, { op, key }, copts, batch)}\n`);
      } else if (op === 'update') {
        throw new UsageError('--cmd update needs a value: use "decode-map update MAP KEYARGS... -- FIELD=VALUE..."');
      } else {
        throw new UsageError(`--cmd must be lookup, delete or getnext, got "${op}"`);
      }
      return EXIT.OK;
    }
    if (cmd === 'value') {
      refuse(p.opts, cmd, ['cmd', 'pin', 'pin-dir', 'batch', 'flag', 'slot', 'scope', 'proto', 'dir']);
      if (p.after !== undefined) throw new UsageError('"decode-map value" takes FIELD=VALUE pairs only; "--" belongs to "decode-map update"');
      if (rest.length === 0) throw new UsageError(`no value fields given for ${spec.name}; e.g. ${example(spec)}`);
      io.stdout.write(`${bytesToHex(encodeValueArgs(spec, rest))}\n`);
      return EXIT.OK;
    }
    refuse(p.opts, cmd, ['cmd']);
    if (p.after === undefined) throw new UsageError(`update needs "--" between the key and the value: decode-map update ${mapArg} KEYARGS... -- FIELD=VALUE...`);
    if (p.after.length === 0) throw new UsageError(`no value fields after "--"; e.g. ${example(spec)}`);
    const flag = p.opts.get('flag');
    if (flag !== undefined && !UPDATE_FLAGS.includes(flag as UpdateFlag)) throw new UsageError(`--flag must be any, exist or noexist, got "${flag}"`);
    const key = encodeKeyArgs(spec, rest, keyOptions(p.opts));
    const value = encodeValueArgs(spec, p.after);
    io.stdout.write(`${render(map, { op: 'update', key, value, flag: flag as UpdateFlag | undefined }, copts, batch)}\n`);
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CodecError) throw new UsageError(e.message.replace(/^cilium-map-codec: /, ''));
    throw e;
  }
}

function example(spec: MapSpec): string {
  switch (spec.def.kind) {
    case 'ipcache':
      return 'sec_identity=10388 tunnel_endpoint=172.18.0.4';
    case 'endpoint':
      return 'ifindex=11 lxc_id=1587 mac=ea:c4:71:d6:4f:a0 node_mac=f6:87:b6:c3:a6:45';
    case 'service':
      return 'count=1 rev_nat_index=2 flags=routable';
    case 'backend':
      return 'address=10.0.2.230 port=53 proto=udp';
    case 'revnat':
      return 'address=10.96.0.10 port=53';
    case 'ct':
      return 'packets=10 bytes=1500 lifetime=1407400 flags=seen_non_syn tx_flags_seen=0x1b';
    case 'nat':
      return 'created=1407143 to_addr=172.18.0.2 to_port=48291';
    case 'metrics':
      return 'count=10 bytes=1500';
  }
}

function keygenVerb(name: 'key' | 'value' | 'update', usage: string, summary: string): Verb {
  return { name, usage, summary, help: USAGE, run: (args, io) => runKeygen(name, args, io) };
}

/** `decode-map key`, `value` and `update`: one help text, one runner. */
export const keyVerb = keygenVerb('key', 'key MAP ARGS... [--cmd lookup|delete|getnext] [--pin PATH]', 'key hex (or a whole bpftool command) for MAP');
export const valueVerb = keygenVerb('value', 'value MAP FIELD=VALUE...', 'value hex for MAP');
export const updateVerb = keygenVerb('update', 'update MAP KEYARGS... -- FIELD=VALUE...', 'a bpftool map update command');
