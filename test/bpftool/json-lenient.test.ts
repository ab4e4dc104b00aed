/**
 * The JSON reader's leniency and shapes (bpftool-formats.md §2, §3.5, §4): bpftool's `\'` escape,
 * bare hex and pointer words of the BTF plain form, duplicate member names, numbers past 2^53,
 * documents back to back, batch output, multi-map BTF output, and skipping `"formatted"` safely.
 */
import { describe, expect, it } from 'vitest';
import { parseDumpText } from '../../src/bpftool/parse';
import type { BtfNode, DumpEvent } from '../../src/bpftool/events';

const num = (text: string): BtfNode => ({ kind: 'number', text });
const str = (value: string): BtfNode => ({ kind: 'string', value });

describe('lenient JSON', () => {
  it("decodes escapes, including bpftool's \\' (jsonw_puts, §2.2)", () => {
    const events = parseDumpText(`{"error":"can\\'t get \\"next\\" key: caf\\u00e9\\tx\\\\y\\/z"}\n`);
    expect(events).toEqual([{ kind: 'error', message: 'can\'t get "next" key: café\tx\\y/z', line: 1 }]);
  });

  it('keeps bare hex, pointers, negative and huge numbers as text, and duplicate "" members in order', () => {
    const text = '{\n    "key": 0x1f,\n    "value": {\n        "": {"a": 1},\n        "": {"b": 18446744073709551615},\n        "p": (nil),\n        "q": 0xdeadbeef,\n        "r": -3,\n        "s": 1e5,\n        "t": null,\n        "u": [\n        ]\n    }\n}\n';
    expect(parseDumpText(text)).toEqual([
      {
        kind: 'btf',
        key: num('0x1f'),
        value: {
          kind: 'object',
          members: [
            ['', { kind: 'object', members: [['a', num('1')]] }],
            ['', { kind: 'object', members: [['b', num('18446744073709551615')]] }],
            ['p', { kind: 'string', value: '(nil)', bare: true }],
            ['q', num('0xdeadbeef')],
            ['r', num('-3')],
            ['s', num('1e5')],
            ['t', { kind: 'null' }],
            ['u', { kind: 'array', items: [] }],
          ],
        },
        line: 1,
      },
    ]);
  });

  it('several documents back to back, on one line or separated by noise', () => {
    const text = '{"error":"a"}{"error":"b"} null\n[]\n  [ ]\nnoise\n{"key":["0x01"],"value":["0x02"]}\n';
    expect(parseDumpText(text).map((e) => `${e.kind}@${e.kind === 'entry' ? e.entry.line : e.line}`)).toEqual(['error@1', 'error@1', 'not-found@1', 'trailer@2', 'trailer@3', 'noise@4', 'entry@5']);
  });

  it('skips "formatted" even when its strings hold brackets and escaped quotes', () => {
    const text = '[{"key":["0x01"],"value":["0x02"],"formatted":{"name":"a}]\\"[{b","x":[1,{"y":"}"}]}},{"key":["0x03"],"value":["0x04"],"formatted":7}]\n';
    const e = parseDumpText(text);
    expect(e.map((x) => (x.kind === 'entry' ? [Array.from(x.entry.key), Array.from(x.entry.value!)] : x.kind))).toEqual([
      [[1], [2]],
      [[3], [4]],
    ]);
  });

  it('multi-map BTF plain output: a map event, then btf events carrying the map', () => {
    const text = '[{\n        "id": 7,\n        "type": "hash",\n        "name": "m",\n        "flags": 0,\n        "elements": [{\n                "key": 5,\n                "value": {"a": 0x1}\n            }\n        ]\n    }\n]\n';
    const map = { id: 7, type: 'hash', name: 'm', flags: 0 };
    expect(parseDumpText(text)).toEqual([
      { kind: 'map', header: map, line: 1 },
      { kind: 'btf', key: num('5'), value: { kind: 'object', members: [['a', num('0x1')]] }, line: 6, map },
    ]);
  });

  it('batch -j (§3.5): outputs are elements; a null lookup output is a miss, a null update output is not', () => {
    const text =
      '[{"command":["map","update","pinned","/x","key","hex","03","00"],"output":null},' +
      '{"command":["map","lookup","pinned","/x","key","hex","03","00"],"output":{"key":["0x03","0x00"],"value":["0x01"]}},' +
      '{"command":["map","lookup","pinned","/x","key","hex","04","00"],"output":null},' +
      '{"command":["map","delete","pinned","/x","key","hex","09","00"],"output":{"error":"delete failed: No such file or directory"}}]\n';
    expect(parseDumpText(text).map((e) => e.kind)).toEqual(['entry', 'not-found', 'error']);
  });

  it('arrays that are not all "0xNN" strings stay generic (and uppercase 0X works)', () => {
    const text = '{"key":["0X0A","0x0b"],"value":{"pinned":["/sys/fs/bpf/x","0x01"],"n":["0x01",2]}}\n';
    expect(parseDumpText(text)).toEqual([
      {
        kind: 'btf',
        key: { kind: 'array', items: [str('0x0a'), str('0x0b')] },
        value: {
          kind: 'object',
          members: [
            ['pinned', { kind: 'array', items: [str('/sys/fs/bpf/x'), str('0x01')] }],
            ['n', { kind: 'array', items: [str('0x01'), num('2')] }],
          ],
        },
        line: 1,
      },
    ]);
    const ok = parseDumpText('{"key":["0X0A","0x0B"],"value":[]}');
    expect(ok).toEqual([{ kind: 'entry', entry: { key: Uint8Array.of(10, 11), value: new Uint8Array(0), line: 1 } }]);
  });

  it('reports odd shapes instead of guessing', () => {
    const kinds = (t: string) => parseDumpText(t).map((e) => (e.kind === 'malformed' ? `malformed: ${e.reason}` : e.kind));
    expect(kinds('{"key":["0x01"]}')).toEqual(['malformed: entry has a key but no value']);
    expect(kinds('["x",{"key":["0x01"],"value":["0x02"]}]')).toEqual(['malformed: an item of a dump array is not an object', 'entry']);
    // bpftool's arrays never start with a number or a word: such a line is another tool's.
    expect(kinds('[1,"x",{"key":["0x01"],"value":["0x02"]}]')).toEqual(['noise']);
    expect(kinds('{"version":"7.1.0"}')).toEqual(['noise']);
    expect(kinds('{}')).toEqual(['noise']);
    expect(kinds('{"key":["0x01"] "value":["0x02"]}')).toEqual(["malformed: expected ',' or '}' after a member"]);
    expect(kinds('{"key":["0x01"],"value":["0x02",]}')).toEqual(["malformed: unexpected ']'"]);
    expect(kinds('{"key" ["0x01"]}')).toEqual(["malformed: unexpected '['"]);
    expect(kinds('[' + '['.repeat(300) + ']'.repeat(300) + ']')).toEqual(['malformed: nesting deeper than 256 levels']);
  });

  it('per-CPU BTF values without "cpu" fall back to their index', () => {
    const e = parseDumpText('{"key": 1, "values": [{"value": 2}, {"value": 3}]}') as Extract<DumpEvent, { kind: 'btf' }>[];
    expect(e[0].values).toEqual([
      { cpu: 0, value: num('2') },
      { cpu: 1, value: num('3') },
    ]);
  });
});
