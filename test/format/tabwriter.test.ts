/**
 * The Go text/tabwriter port against hand-computed Go output (NewWriter(w, 5, 0, 3, ' ', 0) unless
 * stated), and Cilium's two table printers built on it (cilium-layouts.md §9.1).
 */
import { describe, expect, it } from 'vitest';
import { resolveMap } from '../../src/cilium/catalog';
import { ciliumKeyString, ciliumValueString } from '../../src/format/cilium-text';
import { ciliumMapGetTable, ciliumRow, ciliumTable, TabWriter, tabwrite } from '../../src/format/tabwriter';
import { h } from '../helpers/bytes';

const sp = (n: number) => ' '.repeat(n);

describe('Go text/tabwriter semantics', () => {
  it('column width = widest cell + padding, at least minwidth; the trailing cell is not padded', () => {
    // col 0: max(1, 2, 3) + 3 = 6; col 1: max(1, 2, 3) + 3 = 6
    expect(tabwrite('k\tv\tx\nkk\tvv\ty\nkkk\tvvv\tz\n')).toBe(`k${sp(5)}v${sp(5)}x\nkk${sp(4)}vv${sp(4)}y\nkkk${sp(3)}vvv${sp(3)}z\n`);
    expect(tabwrite('a\tb\t\n')).toBe(`a${sp(4)}b${sp(4)}\n`);
  });
  it('a line with fewer cells ends the block of the columns it lacks', () => {
    // col 2 has two one-line blocks: [line 0] (x → minwidth 5) and [line 2] (8 + 3 = 11)
    expect(tabwrite('k\tv\tx\t\nkk\tvv\t\nkkk\tvvv\tyyyyyyyy\t\n')).toBe(
      `k${sp(5)}v${sp(5)}x${sp(4)}\n` + `kk${sp(4)}vv${sp(4)}\n` + `kkk${sp(3)}vvv${sp(3)}yyyyyyyy${sp(3)}\n`,
    );
  });
  it('a line without tabs flushes: the blocks above and below it are sized separately', () => {
    expect(tabwrite('a\tb\t\nno tabs here\nlonger-key\tc\t\n')).toBe(`a${sp(4)}b${sp(4)}\nno tabs here\nlonger-key${sp(3)}c${sp(4)}\n`);
  });
  it('empty cells are padded to the full width', () => {
    expect(tabwrite('key\tfirst\t\n\tsecond-longer\t\n')).toBe(`key${sp(3)}first${sp(11)}\n${sp(6)}second-longer${sp(3)}\n`);
  });
  it('widths count code points, not UTF-16 units', () => {
    expect(tabwrite('ä€😀\tx\t\nabcdef\ty\t\n')).toBe(`ä€😀${sp(6)}x${sp(4)}\nabcdef${sp(3)}y${sp(4)}\n`);
  });
  it('text after the last newline is flushed as is', () => {
    expect(tabwrite('a\tb')).toBe(`a${sp(4)}b`);
    expect(tabwrite('')).toBe('');
  });
  it('tab padding (NewWriter(w, 0, 8, 1, \'\\t\', 0)) rounds cells up to tab stops', () => {
    // col 0 = 10 → 16 (two tab stops): "a" needs 2 tabs, "aaaaaaaaa" 1; col 1 = 2 → 8
    expect(tabwrite('a\tb\t\naaaaaaaaa\tc\t\n', { minwidth: 0, tabwidth: 8, padding: 1, padchar: '\t' })).toBe('a\t\tb\t\naaaaaaaaa\tc\t\n');
  });
  it('writes may split cells anywhere; the output is the same', () => {
    const text = 'IP ADDRESS\tINFO\n10.0.1.51:0\tid=51\t\n10.0.0.1:0\t(localhost)\t\n';
    const w = new TabWriter();
    for (const chunk of text.match(/.{1,3}/gs)!) w.write(chunk);
    expect(w.flush()).toBe(tabwrite(text));
    expect(w.flush()).toBe('');
  });
  it('rejects nonsense options', () => {
    expect(() => new TabWriter({ padding: -1 })).toThrow(RangeError);
    expect(() => new TabWriter({ padchar: '' })).toThrow(RangeError);
  });
});

describe('ciliumTable (TablePrinter of cilium-dbg bpf … list)', () => {
  it('header "%s\\t%s\\n": the second title is trailing text and does not widen the column', () => {
    const out = ciliumTable('IP ADDRESS', 'LOCAL ENDPOINT INFO', [
      ['10.0.1.51:0', 'id=51'],
      ['10.0.0.1:0', '(localhost)'],
    ]);
    expect(out).toBe(
      `IP ADDRESS${sp(4)}LOCAL ENDPOINT INFO\n` + // col 0 = 11 + 3
        `10.0.1.51:0${sp(3)}id=51${sp(9)}\n` + // col 1 = 11 + 3 (rows only)
        `10.0.0.1:0${sp(4)}(localhost)${sp(3)}\n`,
    );
  });
  it('header "%s\\t%s\\t\\n" (pre-SPDX helpers.go): the title is padded and sizes the column', () => {
    const out = ciliumTable('IP ADDRESS', 'LOCAL ENDPOINT INFO', [['10.0.1.51:0', 'id=51'], ['10.0.0.1:0', '(localhost)']], { headerTabTerminated: true });
    expect(out).toBe(`IP ADDRESS${sp(4)}LOCAL ENDPOINT INFO${sp(3)}\n10.0.1.51:0${sp(3)}id=51${sp(17)}\n10.0.0.1:0${sp(4)}(localhost)${sp(11)}\n`);
  });
  it('several values per key: continuation rows with an empty, fully padded first cell; a wide cell', () => {
    const out = ciliumTable('SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)', [
      ['10.96.0.10:53', ['0.0.0.0:0 (2) (0) [ClusterIP, non-routable]', '10.0.2.230:53 (2) (1)']],
      ['10.96.0.1:443', ['172.18.0.3:6443 (1) (1)']],
    ]);
    // col 0 = 15 ("SERVICE ADDRESS") + 3 = 18; col 1 = 43 + 3 = 46
    expect(out).toBe(
      `SERVICE ADDRESS${sp(3)}BACKEND ADDRESS (REVNAT_ID) (SLOT)\n` +
        `10.96.0.10:53${sp(5)}0.0.0.0:0 (2) (0) [ClusterIP, non-routable]${sp(3)}\n` +
        `${sp(18)}10.0.2.230:53 (2) (1)${sp(25)}\n` +
        `10.96.0.1:443${sp(5)}172.18.0.3:6443 (1) (1)${sp(23)}\n`,
    );
  });
  it('takes a Map (Go map[string][]string); a key without values prints nothing', () => {
    expect(ciliumTable('ID', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)', new Map([['2', ['10.96.0.10:53']], ['3', []]]))).toBe(
      `ID${sp(3)}BACKEND ADDRESS (REVNAT_ID) (SLOT)\n2${sp(4)}10.96.0.10:53${sp(3)}\n`,
    );
    expect(ciliumTable('ID', 'X', [])).toBe(`ID${sp(3)}X\n`);
  });
  it('bpf ipcache list with values decoded from bytes (v1.18)', () => {
    const spec = resolveMap('cilium_ipcache_v2', '1.18');
    const rows = [
      ['40000000 0000 00 01 0a00029e' + '00'.repeat(12), 'dd350000 ac120005' + '00'.repeat(12) + '0000 00 02'],
      ['20000000 0000 00 01' + '00'.repeat(16), '02000000' + '00'.repeat(16) + '0000 00 00'],
    ].map(([k, v]) => {
      const key = spec.key.decode(h(k!));
      return [ciliumKeyString(spec, key), ciliumValueString(spec, spec.value.decode(h(v!)), key)] as const;
    });
    expect(ciliumTable('IP PREFIX/ADDRESS', 'IDENTITY', rows)).toBe(
      `IP PREFIX/ADDRESS${sp(3)}IDENTITY\n` +
        `10.0.2.158/32${sp(7)}identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5 flags=hastunnel${sp(3)}\n` +
        `0.0.0.0/0${sp(11)}identity=2 encryptkey=0 tunnelendpoint=0.0.0.0 flags=<none>${sp(13)}\n`,
    );
  });
});

describe('ciliumMapGetTable (cilium map get)', () => {
  it('reproduces the v1.12 blog rows of cilium map get cilium_ipcache (plus the trailing spaces the blog trimmed)', () => {
    const spec = resolveMap('cilium_ipcache', '1.12');
    const entries = [
      ['40000000 000000 01 0a00029e' + '00'.repeat(12), 'dd350000 ac120005 00000000'],
      ['20000000 000000 01' + '00'.repeat(16), '02000000 00000000 00000000'],
    ].map(([k, v]) => {
      const key = spec.key.decode(h(k!));
      return { key: ciliumKeyString(spec, key), value: ciliumValueString(spec, spec.value.decode(h(v!)), key) };
    });
    const lines = ciliumMapGetTable(entries).split('\n');
    // State: "State" + 3 = 8 wide, so "sync" is followed by four spaces and the empty Error cell
    expect(lines).toEqual([
      `Key${sp(13)}Value${sp(51)}State${sp(3)}Error`,
      '10.0.2.158/32   identity=13789 encryptkey=0 tunnelendpoint=172.18.0.5   sync    ',
      '0.0.0.0/0       identity=2 encryptkey=0 tunnelendpoint=0.0.0.0          sync    ',
      '',
    ]);
  });
  it('the v1.12 lxc blog row (with a 12-character key elsewhere in the table, as in the blog)', () => {
    const spec = resolveMap('cilium_lxc', '1.12');
    const key = spec.key.decode(h('0a000133' + '00'.repeat(12) + '01000000'));
    const value = spec.value.decode(h('08000000 0000 3300 00000000 00000000 ae3a52a3ecb30000 0a5adeb8d8f40000' + '00'.repeat(16)));
    const out = ciliumMapGetTable([
      { key: ciliumKeyString(spec, key), value: ciliumValueString(spec, value, key) },
      { key: '10.0.1.100:0', value: '(localhost)' },
    ]);
    expect(out.split('\n')[1]).toBe('10.0.1.51:0    id=51    flags=0x0000 ifindex=8   mac=AE:3A:52:A3:EC:B3 nodemac=0A:5A:DE:B8:D8:F4   sync    ');
  });
  it('other states and errors; the Error cell is never padded', () => {
    const out = ciliumMapGetTable([
      { key: '10.0.1.51:0', value: 'id=51' },
      { key: 'f00d::a0f:0:0:1234:0', value: '(localhost)', state: 'to-be-deleted', error: 'boom' },
      { key: '1', value: 'x', state: '' },
    ]);
    // col 0 = 20 + 3 = 23; col 1 = 11 + 3 = 14; col 2 = 13 + 3 = 16
    expect(out).toBe(
      `Key${sp(20)}Value${sp(9)}State${sp(11)}Error\n` +
        `10.0.1.51:0${sp(12)}id=51${sp(9)}sync${sp(12)}\n` +
        `f00d::a0f:0:0:1234:0${sp(3)}(localhost)${sp(3)}to-be-deleted${sp(3)}boom\n` +
        `1${sp(22)}x${sp(13)}${sp(16)}\n`,
    );
  });
  it('an empty cache prints Go\'s message', () => {
    expect(ciliumMapGetTable([])).toBe('Cache is empty\n\n');
  });
});

describe('ciliumRow (streaming -o cilium)', () => {
  it('is key TAB value, and aligns like TablePrinter once all rows are known', () => {
    expect(ciliumRow('10.0.1.51:0', 'id=51')).toBe('10.0.1.51:0\tid=51');
    const rows = [ciliumRow('10.0.1.51:0', 'id=51'), ciliumRow('10.0.0.1:0', '(localhost)')];
    expect(tabwrite(rows.map((r) => `${r}\t\n`).join(''))).toBe(ciliumTable('', '', [['10.0.1.51:0', 'id=51'], ['10.0.0.1:0', '(localhost)']]).slice(`${sp(14)}\n`.length));
  });
});
