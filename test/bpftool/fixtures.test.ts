/**
 * Every real bpftool v7.1.0 capture in shared/fixtures/bpftool-formats/ (index.json gives each
 * file's command, exit code and stderr) parses into the expected events.
 *
 * Three layers: hand-written expectations for the important captures; an independent oracle
 * (JSON.parse) for every valid-JSON capture; and plain ⇄ -j ⇄ -p agreement for the same map.
 */
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../../src/bpftool/parse';
import type { BtfNode, DumpEvent } from '../../src/bpftool/events';
import { bytesToHex } from '../../src/bpftool/hex';
import { readShared } from '../helpers/shared';

interface Capture {
  name: string;
  cmd: string;
  rc: number;
  stdout_file: string;
  stdout_bytes: number;
  stderr: string;
}

const index = JSON.parse(readShared('fixtures', 'bpftool-formats', 'index.json')) as Capture[];
const byName = new Map(index.map((c) => [c.name, c]));
const stdout = (name: string): string => readShared('fixtures', 'bpftool-formats', byName.get(name)!.stdout_file);
const parse = (name: string): DumpEvent[] => parseDumpText(stdout(name));

/** One line per event; bytes as bpftool-style hex. */
function sum(e: DumpEvent): string {
  switch (e.kind) {
    case 'entry': {
      const x = e.entry;
      let s = `entry@${x.line} ${bytesToHex(x.key)}`;
      if (x.value) s += ` = ${bytesToHex(x.value)}`;
      if (x.values) s += ' = ' + x.values.map((v) => `cpu${v.cpu}:${bytesToHex(v.value)}`).join(' | ');
      if (x.error !== undefined) s += ` ! ${x.error}`;
      if (x.map) s += ` [map ${x.map.id}]`;
      return s;
    }
    case 'btf':
      return `btf@${e.line}${e.map ? ` [map ${e.map.id}]` : ''}`;
    case 'getnext':
      return `getnext@${e.line} ${e.key ? bytesToHex(e.key) : 'None'} -> ${bytesToHex(e.nextKey)}`;
    case 'not-found':
      return `not-found@${e.line}${e.key ? ' ' + bytesToHex(e.key) : ''}`;
    case 'trailer':
      return `trailer@${e.line} ${e.count}`;
    case 'map':
      return `map@${e.line} ${e.header.id} ${e.header.type} ${e.header.name ?? '-'} ${e.header.flags}`;
    case 'error':
      return `error@${e.line} ${e.message}`;
    case 'noise':
      return `noise@${e.line} ${e.text}`;
    case 'malformed':
      return `malformed@${e.line} ${e.reason}`;
    case 'binary':
      return `binary@${e.line} ${e.offset}`;
  }
}

/** The same without line numbers, for comparing plain, -j and -p outputs of one map. */
const content = (events: DumpEvent[]): string[] =>
  events.filter((e) => e.kind !== 'trailer').map((e) => sum(e).replace(/@\d+/, ''));

const LXC_VALUE =
  '0c 00 00 00 00 00 d2 04 00 00 00 00 00 00 00 00 a2 3c 11 22 33 44 00 00 b6 1d 55 66 77 88 00 00 39 30 00 00 00 00 00 00 00 00 00 00 00 00 00 00';
const LXC_KEY4 = '0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00';
const LXC_KEY6 = 'fd 00 00 00 00 00 00 00 00 00 00 00 00 01 00 05 02 00 00 00';
const SVC1 = '0a 60 00 0a 00 35 01 00 11 00 00 00 = 07 00 00 00 00 00 05 00 00 00 00 00';
const SVC0 = '0a 60 00 0a 00 35 00 00 11 00 00 00 = 00 00 00 00 02 00 05 00 00 00 00 00';

/** Hand-checked against the .out files: the complete event list of each capture. */
const expected: Record<string, string[]> = {
  dump_ipcache: [
    'entry@1 40 00 00 00 00 00 00 01 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00 = 39 30 00 00 ac 12 00 03 00 00 00 00',
    'entry@6 20 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 = 02 00 00 00 00 00 00 00 00 00 00 00',
    'entry@11 a0 00 00 00 00 00 00 02 fd 00 00 00 00 00 00 00 00 00 00 00 00 01 00 05 = 39 30 00 00 ac 12 00 03 00 00 00 00',
    'trailer@16 3',
  ],
  dump_small: ['entry@1 02 00 00 00 = aa bb cc dd ee ff 00 01', 'entry@2 01 00 00 00 = 11 22 33 44 55 66 77 88', 'trailer@3 2'],
  dump_byid: ['entry@1 02 00 00 00 = aa bb cc dd ee ff 00 01', 'entry@2 01 00 00 00 = 11 22 33 44 55 66 77 88', 'trailer@3 2'],
  dump_lxc: [`entry@1 ${LXC_KEY6} = ${LXC_VALUE}`, `entry@8 ${LXC_KEY4} = ${LXC_VALUE}`, 'trailer@15 2'],
  dump_svc: [`entry@1 ${SVC1}`, `entry@2 ${SVC0}`, 'trailer@3 2'],
  dump_be2: ['entry@1 07 00 00 00 = 0a 00 01 05 00 35 11 00', 'trailer@2 1'],
  dump_be3: ['entry@1 07 00 00 00 = 0a 00 01 05 00 35 11 00 00 00 00 00', 'trailer@2 1'],
  dump_empty: ['trailer@1 0'],
  dump_pcpu: ['entry@1 01 00 00 00 = cpu0:11 22 33 44 55 66 77 88 | cpu1:11 22 33 44 55 66 77 88', 'trailer@5 1'],
  dump_pcpu_big: [
    `entry@1 ${LXC_KEY4} = cpu0:01 02 03 04 05 06 07 08 09 0a 0b 0c | cpu1:01 02 03 04 05 06 07 08 09 0a 0b 0c`,
    'trailer@6 1',
  ],
  dump_arr: [
    'entry@1 00 00 00 00 = 00 00 00 00 00 00 00 00',
    'entry@2 01 00 00 00 = 11 22 33 44 55 66 77 88',
    'entry@3 02 00 00 00 = 00 00 00 00 00 00 00 00',
    'entry@4 03 00 00 00 = 00 00 00 00 00 00 00 00',
    'trailer@5 4',
  ],
  dump_arr_big: [
    `entry@1 00 00 00 00 = ${Array(48).fill('00').join(' ')}`,
    `entry@7 01 00 00 00 = ${Array(48).fill('00').join(' ')}`,
    `entry@13 02 00 00 00 = ${LXC_VALUE}`,
    'trailer@19 3',
  ],
  dump_byname_multi: [
    'map@1 29 hash cilium_lb4_serv 0',
    `entry@2 ${SVC1} [map 29]`,
    `entry@3 ${SVC0} [map 29]`,
    'trailer@4 2',
    'map@6 38 hash cilium_lb4_serv 0',
    'trailer@7 0',
    'map@9 41 hash cilium_lb4_serv 0',
    `entry@10 ${SVC1} [map 41]`,
    `entry@11 ${SVC0} [map 41]`,
    'trailer@12 2',
  ],
  dump_byname_one: [
    'map@1 27 hash cilium_lxc 0',
    `entry@2 ${LXC_KEY6} = ${LXC_VALUE} [map 27]`,
    `entry@9 ${LXC_KEY4} = ${LXC_VALUE} [map 27]`,
    'trailer@16 2',
    'map@18 39 hash cilium_lxc 0',
    `entry@19 ${LXC_KEY4} = ${LXC_VALUE} [map 39]`,
    `entry@26 ${LXC_KEY6} = ${LXC_VALUE} [map 39]`,
    'trailer@33 2',
  ],
  btf_dump_byname_multi: [
    'map@1 30 hash cilium_lb4_back 0',
    'entry@2 07 00 00 00 = 0a 00 01 05 00 35 11 00 [map 30]',
    'trailer@3 1',
    'map@5 42 hash cilium_lb4_back 0',
    'entry@6 07 00 00 00 = 0a 00 01 05 00 35 11 00 [map 42]',
    'trailer@7 1',
    'map@9 43 hash cilium_lb4_back 0',
    'entry@10 07 00 00 00 = 0a 00 01 05 00 35 11 00 01 00 02 00 [map 43]',
    'trailer@11 1',
  ],
  // The layouts of print_entry_plain (§1.2): A single line, B two lines, C broken names.
  shape_k1v1: ['entry@1 01 = a0', 'trailer@2 1'],
  shape_k8v16: ['entry@1 01 02 03 04 05 06 07 08 = a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af', 'trailer@2 1'],
  shape_k16v8: ['entry@1 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 = a0 a1 a2 a3 a4 a5 a6 a7', 'trailer@2 1'],
  shape_k12v16: ['entry@1 01 02 03 04 05 06 07 08 09 0a 0b 0c = a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af', 'trailer@3 1'],
  shape_k16v16: [
    'entry@1 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 = a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af',
    'trailer@3 1',
  ],
  shape_k4v17: ['entry@1 01 02 03 04 = a0 a1 a2 a3 a4 a5 a6 a7 a8 a9 aa ab ac ad ae af b0', 'trailer@6 1'],
  shape_k17v4: ['entry@1 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 = a0 a1 a2 a3', 'trailer@6 1'],
  shape_k32v40: [
    'entry@1 ' +
      Array.from({ length: 32 }, (_, i) => (i + 1).toString(16).padStart(2, '0')).join(' ') +
      ' = ' +
      Array.from({ length: 40 }, (_, i) => (0xa0 + i).toString(16)).join(' '),
    'trailer@8 1',
  ],
  // lookup (§3.1): an entry without trailer; the key printed is the one given (LPM: 8.8.8.8).
  lookup_small: ['entry@1 01 00 00 00 = 11 22 33 44 55 66 77 88'],
  lookup_dec: ['entry@1 01 00 00 00 = 11 22 33 44 55 66 77 88'],
  lookup_arr: ['entry@1 01 00 00 00 = 11 22 33 44 55 66 77 88'],
  lookup_svc: [`entry@1 ${SVC0}`],
  lookup_lxc: [`entry@1 ${LXC_KEY4} = ${LXC_VALUE}`],
  lookup_ipcache_exact: ['entry@1 40 00 00 00 00 00 00 01 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00 = 39 30 00 00 ac 12 00 03 00 00 00 00'],
  lookup_ipcache_lpm: ['entry@1 40 00 00 00 00 00 00 01 08 08 08 08 00 00 00 00 00 00 00 00 00 00 00 00 = 02 00 00 00 00 00 00 00 00 00 00 00'],
  lookup_pcpu: ['entry@1 01 00 00 00 = cpu0:11 22 33 44 55 66 77 88 | cpu1:11 22 33 44 55 66 77 88'],
  lookup_pcpu_big: [`entry@1 ${LXC_KEY4} = cpu0:01 02 03 04 05 06 07 08 09 0a 0b 0c | cpu1:01 02 03 04 05 06 07 08 09 0a 0b 0c`],
  jlookup_small: ['entry@1 01 00 00 00 = 11 22 33 44 55 66 77 88'],
  plookup_small: ['entry@1 01 00 00 00 = 11 22 33 44 55 66 77 88'],
  // Misses (§3.1): plain `key:\n..\n\nNot found` on stdout, JSON `null`.
  err_lookup_missing: ['not-found@1 09 00 00 00'],
  err_arr_oob: ['not-found@1 09 00 00 00'],
  err_lpm_missing: ['not-found@1 40 00 00 00 00 00 00 02 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00'],
  btf_lookup_missing: ['not-found@1 06 00'],
  err_jlookup_missing: ['not-found@1'],
  err_plookup_missing: ['not-found@1'],
  // getnext (§3.2).
  getnext_small: ['getnext@1 02 00 00 00 -> 01 00 00 00'],
  getnext_small_first: ['getnext@1 None -> 02 00 00 00'],
  getnext_missingkey: ['getnext@1 09 00 00 00 -> 02 00 00 00'],
  getnext_lxc: [`getnext@1 None -> ${LXC_KEY6}`],
  getnext_ipcache: ['getnext@1 None -> 40 00 00 00 00 00 00 01 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00'],
  jgetnext_small: ['getnext@1 02 00 00 00 -> 01 00 00 00'],
  pgetnext_small: ['getnext@1 02 00 00 00 -> 01 00 00 00'],
  jgetnext_small_first: ['getnext@1 None -> 02 00 00 00'],
  // JSON errors go to stdout (§5).
  jgetnext_small_last: ["error@1 can't get next key: No such file or directory"],
  err_jdump_nopin: ['error@1 bpf obj get (/sys/fs/bpf/fmtlab/nonexistent): No such file or directory'],
  err_pdump_nopin: ['error@1 bpf obj get (/sys/fs/bpf/fmtlab/nonexistent): No such file or directory'],
  err_jlookup_short: ['error@1 key expected 4 bytes got 3'],
  jdelete_missing: ['error@1 delete failed: No such file or directory'],
  // Empty maps: plain has only the trailer; JSON `[]` gives nothing.
  jdump_empty: ['trailer@1 0'], // `[]`: an empty dump, like `Found 0 elements`
  pdump_empty: ['trailer@1 0'], // `[]`: an empty dump, like `Found 0 elements`
  btf_dump_empty: ['trailer@1 0'], // `[]`: an empty dump, like `Found 0 elements`
  btf_jdump_empty: ['trailer@1 0'], // `[]`: an empty dump, like `Found 0 elements`
  btf_pdump_empty: ['trailer@1 0'], // `[]`: an empty dump, like `Found 0 elements`
  // Multi-map JSON (§1.9): a map event, then its entries with `map` set.
  jdump_byname_multi: [
    'map@1 29 hash cilium_lb4_serv 0',
    `entry@1 ${SVC1} [map 29]`,
    `entry@1 ${SVC0} [map 29]`,
    'map@1 38 hash cilium_lb4_serv 0',
    'map@1 41 hash cilium_lb4_serv 0',
    `entry@1 ${SVC1} [map 41]`,
    `entry@1 ${SVC0} [map 41]`,
  ],
  pdump_byname_multi: [
    'map@1 29 hash cilium_lb4_serv 0',
    `entry@6 ${SVC1} [map 29]`,
    `entry@11 ${SVC0} [map 29]`,
    'map@18 38 hash cilium_lb4_serv 0',
    'map@24 41 hash cilium_lb4_serv 0',
    `entry@29 ${SVC1} [map 41]`,
    `entry@58 ${SVC0} [map 41]`,
  ],
  pdump_small: ['entry@1 02 00 00 00 = aa bb cc dd ee ff 00 01', 'entry@6 01 00 00 00 = 11 22 33 44 55 66 77 88'],
  jdump_pcpu: ['entry@1 01 00 00 00 = cpu0:11 22 33 44 55 66 77 88 | cpu1:11 22 33 44 55 66 77 88'],
  pdump_pcpu: ['entry@1 01 00 00 00 = cpu0:11 22 33 44 55 66 77 88 | cpu1:11 22 33 44 55 66 77 88'],
  // BTF plain form (§4.2): typed trees, no bytes, no trailer.
  btf_dump_btf_misc: ['btf@1', 'btf@24'],
  btf_dump_cilium_lb4_services_v2: ['btf@1', 'btf@24'],
  btf_dump_cilium_lb4_backends_v2: ['btf@1'],
  btf_dump_cilium_lb4_backends_v3: ['btf@1'],
  btf_dump_cilium_lb4_reverse_nat: ['btf@1'],
  btf_dump_cilium_metrics: ['btf@1'],
  btf_dump_ipcache: ['btf@1', 'btf@41', 'btf@81'],
  btf_dump_lxc: ['btf@1', 'btf@40'],
  btf_lookup_be3: ['btf@1'],
  btf_lookup_lxc: ['btf@1'],
  btf_lookup_metrics: ['btf@1'],
  // -j/-p of BTF maps: bytes from the hex arrays, "formatted" skipped (§4.3).
  btf_jdump_metrics: [
    'entry@1 00 01 00 00 00 00 00 00 = cpu0:0a 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00 | cpu1:0a 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00',
  ],
  btf_pdump_metrics: [
    'entry@1 00 01 00 00 00 00 00 00 = cpu0:0a 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00 | cpu1:0a 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00',
  ],
  // batch (§3.5): plain prints `processed N commands`; -j wraps outputs.
  batch_plain: ['entry@1 03 00 00 00 = 01 02 03 04 05 06 07 08', 'noise@2 processed 3 commands'],
  batch_json: ['entry@1 03 00 00 00 = 01 02 03 04 05 06 07 08'],
  version: ['noise@1 bpftool v7.1.0', 'noise@2 using libbpf v1.1', 'noise@3 features: libbpf_strict'],
  show_ipcache: ['map@1 28 lpm_trie cilium_ipcache 1', 'noise@2 key 24B  value 12B  max_entries 16  memlock 168B'],
};

describe('bpftool-formats captures', () => {
  it('index.json lists the captures this test knows', () => {
    expect(index.length).toBeGreaterThanOrEqual(130);
    for (const name of Object.keys(expected)) expect(byName.has(name), name).toBe(true);
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: ${byName.get(name)?.cmd ?? ''}`, () => {
      expect(parse(name).map(sum)).toEqual(want);
    });
  }

  it('every capture parses without throwing and without malformed events', () => {
    for (const c of index) {
      const events = parse(c.name);
      const bad = events.filter((e) => e.kind === 'malformed');
      expect(bad, c.name).toEqual([]);
    }
  });

  it('captures whose error went to stderr (plain mode) give an error event when stderr is merged in', () => {
    let seen = 0;
    for (const c of index) {
      if (c.rc === 0 || !c.stderr.startsWith('Error: ')) continue;
      seen++;
      const events = parseDumpText(stdout(c.name) + c.stderr);
      const errors = events.filter((e) => e.kind === 'error');
      expect(errors.length, c.name).toBe(1);
      expect((errors[0] as { message: string }).message).toBe(c.stderr.split('\n')[0].slice('Error: '.length));
      // Usage text after the error (err_dump_badopt) is noise, never malformed.
      expect(events.filter((e) => e.kind === 'malformed'), c.name).toEqual([]);
    }
    expect(seen).toBeGreaterThanOrEqual(12);
  });

  it('a dump that exits non-zero with no message (queue maps, §5) still parses as what it printed', () => {
    // The parser reports what is on stdout; exit codes are the caller's business.
    expect(parseDumpText('Found 0 elements\n').map(sum)).toEqual(['trailer@1 0']);
    expect(parseDumpText('[]\n').map(sum)).toEqual(['trailer@1 0']);
  });
});

describe('JSON captures against JSON.parse as an oracle', () => {
  const hex = (a: string[]): string => a.map((x) => x.slice(2)).join(' ');
  type J = Record<string, unknown>;
  function oracleEntry(o: J, map?: number): string {
    let s = `entry ${hex(o.key as string[])}`;
    if (Array.isArray(o.value)) s += ` = ${hex(o.value as string[])}`;
    else if (o.value && typeof o.value === 'object') s += ` ! ${(o.value as J).error as string}`;
    if (Array.isArray(o.values)) s += ' = ' + (o.values as J[]).map((v) => `cpu${v.cpu as number}:${hex(v.value as string[])}`).join(' | ');
    if (map !== undefined) s += ` [map ${map}]`;
    return s;
  }
  function oracle(doc: unknown): string[] {
    if (doc === null) return ['not-found'];
    const items = Array.isArray(doc) ? (doc as J[]) : [doc as J];
    const out: string[] = [];
    for (const o of items) {
      if ('elements' in o) {
        out.push(`map ${o.id as number} ${o.type as string} ${o.name as string} ${o.flags as number}`);
        for (const e of o.elements as J[]) out.push(oracleEntry(e, o.id as number));
      } else if ('next_key' in o) {
        out.push(`getnext ${o.key === null ? 'None' : hex(o.key as string[])} -> ${hex(o.next_key as string[])}`);
      } else if ('key' in o) out.push(oracleEntry(o));
      else if ('error' in o) out.push(`error ${o.error as string}`);
    }
    return out;
  }
  const jsonCaptures = index.filter((c) => / -[jp] /.test(c.cmd) && / map (dump|lookup|getnext|delete) /.test(c.cmd));

  it('covers the -j/-p map captures', () => {
    expect(jsonCaptures.length).toBeGreaterThanOrEqual(35);
  });

  for (const c of jsonCaptures) {
    it(`${c.name} agrees with JSON.parse`, () => {
      const text = stdout(c.name);
      expect(content(parseDumpText(text))).toEqual(oracle(JSON.parse(text)));
    });
  }
});

describe('plain, -j and -p of the same map agree', () => {
  const groups = [
    ['dump_small', 'jdump_small', 'pdump_small', 'dump_byid'],
    ['dump_lxc', 'jdump_lxc', 'pdump_lxc'],
    ['dump_ipcache', 'jdump_ipcache', 'pdump_ipcache'],
    ['dump_svc', 'jdump_svc', 'pdump_svc'],
    ['dump_pcpu', 'jdump_pcpu', 'pdump_pcpu'],
    ['dump_pcpu_big', 'jdump_pcpu_big', 'pdump_pcpu_big'],
    ['dump_arr', 'jdump_arr', 'pdump_arr'],
    ['dump_be3', 'pdump_be3'],
    ['dump_byname_multi', 'jdump_byname_multi', 'pdump_byname_multi'],
    ['lookup_small', 'jlookup_small', 'plookup_small'],
    ['lookup_lxc', 'jlookup_lxc'],
    ['lookup_pcpu', 'jlookup_pcpu'],
    ['getnext_small', 'jgetnext_small', 'pgetnext_small'],
    ['getnext_small_first', 'jgetnext_small_first'],
    ['btf_jdump_ipcache', 'btf_pdump_ipcache'],
    ['btf_jdump_metrics', 'btf_pdump_metrics'],
    ['btf_jdump_misc', 'btf_pdump_misc'],
    ['dump_empty', 'jdump_empty', 'pdump_empty'],
  ];
  for (const g of groups) {
    it(g.join(' = '), () => {
      const first = content(parse(g[0]));
      for (const other of g.slice(1)) expect(content(parse(other)), other).toEqual(first);
    });
  }
});

describe('BTF plain form details (§4.4)', () => {
  const btf = (name: string) => parse(name).filter((e): e is Extract<DumpEvent, { kind: 'btf' }> => e.kind === 'btf');
  const get = (n: BtfNode | undefined, ...path: string[]): BtfNode | undefined => {
    for (const p of path) {
      if (n?.kind !== 'object') return undefined;
      n = n.members.find(([k]) => k === p)?.[1];
    }
    return n;
  };

  it('btf_misc keeps bare hex bitfields, u64 past 2^53, negative numbers, (nil) and 0xdeadbeef as text', () => {
    const [e0, e1] = btf('btf_dump_btf_misc');
    expect(e0.key).toEqual({ kind: 'number', text: '0' });
    expect(get(e0.value, 'ptr')).toEqual({ kind: 'string', value: '(nil)', bare: true });
    expect(get(e0.value, 'bits', 'a')).toEqual({ kind: 'number', text: '0x0' });
    expect(get(e1.value, 'name')).toEqual({ kind: 'string', value: 'eth0' });
    expect(get(e1.value, 'state')).toEqual({ kind: 'string', value: 'MISC_DOWN' });
    expect(get(e1.value, 'up')).toEqual({ kind: 'bool', value: true });
    expect(get(e1.value, 's32')).toEqual({ kind: 'number', text: '-3' });
    expect(get(e1.value, 'big')).toEqual({ kind: 'number', text: '18446744073709551615' });
    expect(get(e1.value, 'bits', 'c')).toEqual({ kind: 'number', text: '0xabc' });
    expect(get(e1.value, 'ptr')).toEqual({ kind: 'number', text: '0xdeadbeef' });
    expect(get(e1.value, 'bytes')).toEqual({
      kind: 'array',
      items: ['1', '2', '3', '4'].map((text) => ({ kind: 'number', text })),
    });
  });

  it('lxc keeps the duplicate "" members of anonymous unions in order, and d2 past 2^53', () => {
    const [, v6] = btf('btf_dump_lxc');
    const ip6 = get(v6.key, '', 'ip6');
    expect(ip6?.kind).toBe('object');
    const members = (ip6 as Extract<BtfNode, { kind: 'object' }>).members;
    expect(members.map(([k]) => k)).toEqual(['', '', 'addr']);
    expect(get(members[1][1], 'd2')).toEqual({ kind: 'number', text: '360289069701267456' });
    const addr = get(ip6, 'addr') as Extract<BtfNode, { kind: 'array' }>;
    expect(addr.items.map((x) => (x as { text: string }).text).join(',')).toBe('253,0,0,0,0,0,0,0,0,0,0,0,0,1,0,5');
    expect(get(v6.value, 'mac')).toEqual({ kind: 'number', text: '74986405575842' });
  });

  it('per-CPU BTF values come out as {cpu, value} pairs', () => {
    const [m] = btf('btf_dump_cilium_metrics');
    expect(m.values?.map((v) => [v.cpu, get(v.value, 'count')])).toEqual([
      [0, { kind: 'number', text: '10' }],
      [1, { kind: 'number', text: '10' }],
    ]);
    expect(get(m.key, 'dir')).toEqual({ kind: 'number', text: '0x1' });
    expect(m.value).toBeUndefined();
  });

  it('-j of a BTF map decodes the bytes and never builds "formatted"', () => {
    const e = parse('btf_jdump_misc').filter((x) => x.kind === 'entry');
    expect(e).toHaveLength(2);
    const v = (e[1] as Extract<DumpEvent, { kind: 'entry' }>).entry.value!;
    expect(bytesToHex(v.subarray(0, 8))).toBe('65 74 68 30 00 00 00 00'); // "eth0"
    expect(bytesToHex(v.subarray(24, 40))).toBe('fc ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff');
  });

  it('show/list/version captures are reported (maps, noise), never decoded as entries', () => {
    for (const name of ['show_all', 'list_all', 'bare_map', 'flist_all', 'jlist_all', 'plist_all', 'jshow_ipcache', 'pshow_ipcache', 'jversion', 'btf_fpshow_lxc']) {
      const kinds = new Set(parse(name).map((e) => e.kind));
      for (const k of kinds) expect(['map', 'noise'], `${name}: ${k}`).toContain(k);
    }
  });
});
