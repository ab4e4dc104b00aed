/**
 * Real-world dirt around bpftool output: kubectl chatter, CRLF, blank lines, indentation, dumps cut
 * by `| head`, stray and broken lines. Complete entries survive; everything else is reported as
 * `noise` or `malformed` with the right line, and the parser carries on.
 */
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../../src/bpftool/parse';
import type { DumpEvent } from '../../src/bpftool/events';
import { bytesToHex } from '../../src/bpftool/hex';
import { readShared } from '../helpers/shared';

const fixture = (f: string) => readShared('fixtures', 'bpftool-formats', f);
const KUBECTL =
  'Defaulted container "cilium-agent" out of: cilium-agent, config (init), mount-cgroup (init), apply-sysctl-overwrites (init), mount-bpf-fs (init), clean-cilium-state (init), install-cni-binaries (init)';

/** Compact form: `kind@line detail`. */
function brief(e: DumpEvent): string {
  switch (e.kind) {
    case 'entry':
      return `entry@${e.entry.line} ${bytesToHex(e.entry.key)}${e.entry.value ? ' = ' + bytesToHex(e.entry.value) : ''}${e.entry.error !== undefined ? ' ! ' + e.entry.error : ''}`;
    case 'noise':
      return `noise@${e.line} ${e.text}`;
    case 'malformed':
      return `malformed@${e.line} ${e.reason}`;
    case 'trailer':
      return `trailer@${e.line} ${e.count}`;
    case 'not-found':
      return `not-found@${e.line}${e.key ? ' ' + bytesToHex(e.key) : ''}`;
    case 'error':
      return `error@${e.line} ${e.message}`;
    default:
      return `${e.kind}@${e.line}`;
  }
}
const run = (text: string, format?: 'plain' | 'json') => parseDumpText(text, format ? { format } : undefined).map(brief);

const IPC = [
  'entry@L1 40 00 00 00 00 00 00 01 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00 = 39 30 00 00 ac 12 00 03 00 00 00 00',
  'entry@L2 20 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 = 02 00 00 00 00 00 00 00 00 00 00 00',
  'entry@L3 a0 00 00 00 00 00 00 02 fd 00 00 00 00 00 00 00 00 00 00 00 00 01 00 05 = 39 30 00 00 ac 12 00 03 00 00 00 00',
];
const ipc = (l1: number, l2: number, l3: number) => [IPC[0].replace('L1', `${l1}`), IPC[1].replace('L2', `${l2}`), IPC[2].replace('L3', `${l3}`)];

describe('noise around plain output', () => {
  it('kubectl "Defaulted container" line before the dump', () => {
    expect(run(`${KUBECTL}\n${fixture('dump_ipcache.out')}`)).toEqual([`noise@1 ${KUBECTL}`, ...ipc(2, 7, 12), 'trailer@17 3']);
  });

  it('CRLF line endings give the same events as LF', () => {
    const lf = parseDumpText(fixture('dump_lxc.out') + fixture('dump_pcpu.out'));
    const crlf = parseDumpText((fixture('dump_lxc.out') + fixture('dump_pcpu.out')).replace(/\n/g, '\r\n'));
    expect(crlf).toEqual(lf);
    expect(lf.filter((e) => e.kind === 'entry')).toHaveLength(3);
  });

  it('blank lines between entries and leading spaces/tabs are tolerated', () => {
    const text =
      '\n\n   key:\n\t40 00 00 00 00 00 00 01  0a 00 01 05 00 00 00 00\n  00 00 00 00 00 00 00 00\n\n  value:\n' +
      ' 39 30 00 00 ac 12 00 03  00 00 00 00\n\n\n  key: 01 02  value: 03 04\n\n   Found 2 elements\n';
    expect(run(text)).toEqual([ipc(3, 0, 0)[0], 'entry@11 01 02 = 03 04', 'trailer@13 2']);
  });

  it('a dump cut by `| head -n 7` (ipcache: 5 lines per entry) gives the complete entry and one malformed', () => {
    const cut = fixture('dump_ipcache.out').split('\n').slice(0, 7).join('\n') + '\n';
    expect(run(`${KUBECTL}\n${cut}`)).toEqual([`noise@1 ${KUBECTL}`, ipc(2, 0, 0)[0], 'malformed@7 input ended inside an entry: key without value']);
  });

  it('a form-C value cut after some of its lines is read as it stands: its size is for the decoder to refuse', () => {
    // The parser does not compare sizes with the entries before it: a wrong-size entry before a
    // good one made the good one look cut (issue 8, class 2).
    const lines = fixture('dump_lxc.out').split('\n');
    const events = parseDumpText(lines.slice(0, 13).join('\n') + '\n');
    expect(events.map((e) => e.kind)).toEqual(['entry', 'entry']);
    expect((events[1] as Extract<DumpEvent, { kind: 'entry' }>).entry).toMatchObject({ line: 8 });
    expect((events[1] as Extract<DumpEvent, { kind: 'entry' }>).entry.value).toHaveLength(32);
  });

  it('a dump cut mid-line (`head -c`) reports the broken hex', () => {
    const text = fixture('dump_ipcache.out').slice(0, 140); // inside the second key's first line
    const events = run(text);
    expect(events[0]).toBe(ipc(1, 0, 0)[0]);
    expect(events.slice(1)).toEqual(['malformed@7 bad hex byte "0" at column 13']);
  });

  it('lines that are not bpftool output become noise, with UTF-8 intact, and entries around them survive', () => {
    const text =
      'Unable to use a TTY - input is not a terminal or the right kind of file\n' +
      'key: 02 00 00 00  value: aa bb cc dd ee ff 00 01\n' +
      'warning: ünïcödé ✓ 🚀 noise\n' +
      'key: 01 00 00 00  value: 11 22 33 44 55 66 77 88\n' +
      'Found 2 elements\n' +
      'processed 3 commands\n';
    expect(run(text)).toEqual([
      'noise@1 Unable to use a TTY - input is not a terminal or the right kind of file',
      'entry@2 02 00 00 00 = aa bb cc dd ee ff 00 01',
      'noise@3 warning: ünïcödé ✓ 🚀 noise',
      'entry@4 01 00 00 00 = 11 22 33 44 55 66 77 88',
      'trailer@5 2',
      'noise@6 processed 3 commands',
    ]);
  });

  it('a broken entry is reported once and the parser resyncs at the next key:', () => {
    const text = [
      'key:',
      '40 00 00 00 00 00 00 01  0a 00 01 05 00 00 00 00',
      '00 00 00 00 00 0g 00 00', // bad hex byte
      'value:',
      '39 30 00 00 ac 12 00 03  00 00 00 00',
      'key:',
      '20 00 00 00 00 00 00 01  00 00 00 00 00 00 00 00',
      'some stray line', // inside an entry: the entry is incomplete
      'value:',
      '02 00 00 00 00 00 00 00  00 00 00 00',
      'key: 01 02  value: 03 04',
      '0a 0b 0c', // continues the value: read whole, so the decoder refuses its size (issue 8, class 1)
      'key: 05 06  value: 07 08',
      'Found 4 elements',
    ].join('\n');
    expect(run(text)).toEqual([
      'malformed@3 bad hex byte "0g" at column 16',
      'malformed@6 entry has a key but no value',
      'noise@8 some stray line',
      'entry@11 01 02 = 03 04 0a 0b 0c',
      'entry@13 05 06 = 07 08',
      'trailer@14 4',
    ]);
  });

  it('a value line without a key, and hex outside an entry, are malformed; orphaned Not found/Found still parse', () => {
    expect(run('value: 01 02\n0a 0b\nkey: 01  value: 02\n\nNot found\nFound 1 element\n')).toEqual([
      'malformed@1 a value: line without a key: line before it',
      'entry@3 01 = 02',
      'not-found@5',
      'trailer@6 1',
    ]);
  });
});

describe('noise around JSON output', () => {
  it('kubectl line, then -j, noise between documents, a lookup, null and an error', () => {
    const text = `${KUBECTL}\n${fixture('jdump_small.out')}some noise between\n${fixture('plookup_small.out')}null\n${fixture('err_jlookup_short.out')}`;
    expect(run(text)).toEqual([
      `noise@1 ${KUBECTL}`,
      'entry@2 02 00 00 00 = aa bb cc dd ee ff 00 01',
      'entry@2 01 00 00 00 = 11 22 33 44 55 66 77 88',
      'noise@3 some noise between',
      'entry@4 01 00 00 00 = 11 22 33 44 55 66 77 88',
      'not-found@10',
      'error@11 key expected 4 bytes got 3',
    ]);
  });

  it('CRLF and indentation in pretty output', () => {
    const text = fixture('pdump_small.out').replace(/\n/g, '\r\n');
    expect(run(text)).toEqual(['entry@1 02 00 00 00 = aa bb cc dd ee ff 00 01', 'entry@6 01 00 00 00 = 11 22 33 44 55 66 77 88']);
  });

  it('a -j dump cut mid-object gives the complete entries and one malformed', () => {
    const full = fixture('jdump_ipcache.out');
    const text = full.slice(0, full.indexOf('"value"', full.indexOf('"value"') + 1) + 20);
    expect(run(text)).toEqual([ipc(1, 0, 0)[0], 'malformed@1 input ended inside an entry: the JSON object opened on line 1 is not closed']);
  });

  it('a -p dump cut by `| head -n 13` gives the complete entries and one malformed', () => {
    const text = fixture('pdump_ipcache.out').split('\n').slice(0, 13).join('\n') + '\n';
    expect(run(text)).toEqual([...ipc(1, 6, 0).slice(0, 2), 'malformed@11 input ended inside an entry: the JSON object opened on line 11 is not closed']);
  });

  it('a -j dump cut between entries reports the unclosed array', () => {
    const full = fixture('jdump_small.out');
    const text = full.slice(0, full.indexOf('},{') + 2);
    expect(run(text)).toEqual(['entry@1 02 00 00 00 = aa bb cc dd ee ff 00 01', 'malformed@1 input ended inside a JSON document: the array opened on line 1 is not closed']);
  });

  it('a broken element inside a dump array is skipped: the parser resyncs at the next {"key"', () => {
    const text =
      '[{"key":["0x01","0x00"],"value":["0x0a"]},{"key":["0x02","0x00"],"value":["0x0b" @@garbage@@ ]},' +
      '{"key":["0x03","0x00"],"value":["0x0c"]}]\n' +
      'key: 09  value: 0a\n';
    expect(run(text)).toEqual([
      'entry@1 01 00 = 0a',
      'malformed@1 unexpected character "@"',
      'entry@1 03 00 = 0c',
      'entry@2 09 = 0a',
    ]);
  });

  it('a stray line inside a pretty document is malformed; the next entry and the following plain output survive', () => {
    const lines = fixture('pdump_small.out').split('\n');
    lines.splice(3, 0, 'Unable to use a TTY');
    const text = lines.join('\n') + fixture('dump_small.out');
    expect(run(text)).toEqual([
      'malformed@4 expected a member name, got Unable',
      'entry@7 01 00 00 00 = 11 22 33 44 55 66 77 88',
      'entry@14 02 00 00 00 = aa bb cc dd ee ff 00 01',
      'entry@15 01 00 00 00 = 11 22 33 44 55 66 77 88',
      'trailer@16 2',
    ]);
  });

  it('a truncated document followed by a new one at column 0 restarts there', () => {
    const text = '{"key":["0x01"],"value":["0x0\n' + fixture('jlookup_small.out');
    expect(run(text)).toEqual(['malformed@1 a string runs past the end of its line', 'entry@2 01 00 00 00 = 11 22 33 44 55 66 77 88']);
  });

  it('`[WARN] ...` style lines are not mistaken for JSON', () => {
    expect(run('[WARN] something\n{not json either\n' + fixture('dump_be2.out'))).toEqual([
      'noise@1 [WARN] something',
      'noise@2 {not json either',
      'entry@3 07 00 00 00 = 0a 00 01 05 00 35 11 00',
      'trailer@4 1',
    ]);
  });
});

describe('forced formats', () => {
  it('format: plain reads JSON lines as noise; format: json reads plain lines as noise', () => {
    expect(run(fixture('jlookup_small.out'), 'plain')).toEqual([`noise@1 ${fixture('jlookup_small.out').trim()}`]);
    expect(run(fixture('dump_be2.out'), 'json')).toEqual(['noise@1 key: 07 00 00 00  value: 0a 00 01 05 00 35 11 00', 'noise@2 Found 1 element']);
    expect(run(fixture('pdump_small.out'), 'json')).toHaveLength(2);
  });

  it('the detected format is exposed', async () => {
    const { createDumpParser } = await import('../../src/bpftool/parse');
    const p = createDumpParser(() => {});
    expect(p.format).toBeUndefined();
    p.push(`${KUBECTL}\n`);
    expect(p.format).toBeUndefined();
    p.push('[{"key":');
    expect(p.format).toBe('json');
    const q = createDumpParser(() => {});
    q.push('\n\nkey: 01  value: 02\n');
    expect(q.format).toBe('plain');
    expect(createDumpParser(() => {}, { format: 'json' }).format).toBe('json');
    expect(() => createDumpParser(() => {}, { format: 'xml' as 'json' })).toThrow(/unknown dump format/);
  });
});

describe('oversized input', () => {
  it('a plain line over 1 MiB is reported once and skipped, whatever the chunking', async () => {
    const { createDumpParser } = await import('../../src/bpftool/parse');
    const long = 'x'.repeat((1 << 20) + 5);
    const text = `key: 01  value: 02\n${long}\nkey: 03  value: 04\n`;
    const whole = run(text);
    expect(whole).toEqual(['entry@1 01 = 02', 'malformed@2 a line longer than 1 MiB', 'entry@3 03 = 04']);
    const got: DumpEvent[] = [];
    const p = createDumpParser((e) => got.push(e));
    for (let o = 0; o < text.length; o += 100_000) p.push(text.slice(o, o + 100_000));
    p.end();
    expect(got.map(brief)).toEqual(whole);
  });
});
