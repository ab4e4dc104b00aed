/**
 * bpftool command lines (src/bpftool/commands.ts): exact text, pin paths, POSIX quoting through a
 * real `sh -c`, and batch-file quoting against a copy of bpftool's own line splitter.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BATCH_LINE_MAX,
  CILIUM_PIN_DIR,
  CommandError,
  batchLine,
  batchQuote,
  deleteCommand,
  getnextCommand,
  lookupCommand,
  mapCommandArgs,
  pinnedPath,
  shellCommand,
  shellQuote,
  updateCommand,
} from '../../src/bpftool/commands';
import { parseHex } from '../../src/bpftool/hex';

const ipcacheKey = parseHex('40 00 00 00 00 00 00 01 0a 0a 01 9b 00 00 00 00 00 00 00 00 00 00 00 00');
const ipcacheValue = parseHex('94 28 00 00 ac 12 00 04 00 00 00 00');
const K = '40 00 00 00 00 00 00 01 0a 0a 01 9b 00 00 00 00 00 00 00 00 00 00 00 00';

describe('command text', () => {
  it('pins bare names under /sys/fs/bpf/tc/globals (cilium-layouts.md §1)', () => {
    expect(CILIUM_PIN_DIR).toBe('/sys/fs/bpf/tc/globals');
    expect(pinnedPath('cilium_ipcache')).toBe('/sys/fs/bpf/tc/globals/cilium_ipcache');
    expect(pinnedPath('cilium_ipcache', { pinDir: '/run/cilium/bpffs/tc/globals/' })).toBe('/run/cilium/bpffs/tc/globals/cilium_ipcache');
    expect(pinnedPath('cilium_ipcache', { pin: '/tmp/x' })).toBe('/tmp/x');
    expect(pinnedPath('/sys/fs/bpf/other/cilium_lxc')).toBe('/sys/fs/bpf/other/cilium_lxc');
    expect(() => pinnedPath('')).toThrow(CommandError);
  });
  it('lookup, delete, getnext, update', () => {
    expect(lookupCommand('cilium_ipcache', ipcacheKey)).toBe(`bpftool map lookup pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K}`);
    expect(deleteCommand('cilium_ipcache', ipcacheKey)).toBe(`bpftool map delete pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K}`);
    expect(getnextCommand('cilium_ipcache', ipcacheKey)).toBe(`bpftool map getnext pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K}`);
    expect(getnextCommand('cilium_ipcache')).toBe('bpftool map getnext pinned /sys/fs/bpf/tc/globals/cilium_ipcache');
    expect(updateCommand('cilium_ipcache', ipcacheKey, ipcacheValue)).toBe(
      `bpftool map update pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K} value hex 94 28 00 00 ac 12 00 04 00 00 00 00`,
    );
    expect(updateCommand('cilium_ipcache', ipcacheKey, ipcacheValue, { flag: 'noexist' })).toMatch(/ value hex 94 28 00 00 ac 12 00 04 00 00 00 00 noexist$/);
  });
  it('kubectl prefix, other bpftool, quoted pin paths', () => {
    expect(lookupCommand('cilium_lb4_reverse_nat', new Uint8Array([0, 2]), { prefix: ['kubectl', 'exec', '-n', 'kube-system', 'ds/cilium', '--'] })).toBe(
      'kubectl exec -n kube-system ds/cilium -- bpftool map lookup pinned /sys/fs/bpf/tc/globals/cilium_lb4_reverse_nat key hex 00 02',
    );
    expect(lookupCommand('x', new Uint8Array([1]), { pin: "/sys/fs/bpf/it's here", bpftool: '/usr/sbin/bpftool' })).toBe(
      `/usr/sbin/bpftool map lookup pinned '/sys/fs/bpf/it'\\''s here' key hex 01`,
    );
  });
  it('argument vectors and errors', () => {
    expect(mapCommandArgs('m', { op: 'update', key: new Uint8Array([1]), value: new Uint8Array([0xff]), flag: 'exist' })).toEqual([
      'map', 'update', 'pinned', '/sys/fs/bpf/tc/globals/m', 'key', 'hex', '01', 'value', 'hex', 'ff', 'exist',
    ]);
    expect(() => lookupCommand('m', new Uint8Array(0))).toThrow(/key: bpftool needs at least one byte/);
    expect(() => mapCommandArgs('m', { op: 'update', key: new Uint8Array([1]), value: new Uint8Array([1]), flag: 'sometimes' as never })).toThrow(/update flag "sometimes"/);
    expect(() => mapCommandArgs('m', { op: 'frobnicate' } as never)).toThrow(/unknown map operation/);
  });
  it('batch lines leave out bpftool and quote the bpftool way', () => {
    expect(batchLine('cilium_ipcache', { op: 'update', key: ipcacheKey, value: ipcacheValue, flag: 'any' })).toBe(
      `map update pinned /sys/fs/bpf/tc/globals/cilium_ipcache key hex ${K} value hex 94 28 00 00 ac 12 00 04 00 00 00 00 any`,
    );
    expect(batchLine('x', { op: 'lookup', key: new Uint8Array([1]) }, { pin: '/sys/fs/bpf/a dir/m' })).toBe("map lookup pinned '/sys/fs/bpf/a dir/m' key hex 01");
    expect(batchLine('x', { op: 'lookup', key: new Uint8Array([1]) }, { pin: "/sys/fs/bpf/it's here/m" })).toBe(`map lookup pinned "/sys/fs/bpf/it's here/m" key hex 01`);
    expect(() => batchLine('x', { op: 'getnext' }, { pin: '/sys/fs/bpf/#1' })).toThrow(CommandError);
    expect(() => batchLine('x', { op: 'lookup', key: new Uint8Array(BATCH_LINE_MAX / 3) })).toThrow(/longer than bpftool reads/);
  });
});

describe('shell quoting', () => {
  it('quotes only when needed', () => {
    expect(shellQuote('/sys/fs/bpf/tc/globals/cilium_lxc')).toBe('/sys/fs/bpf/tc/globals/cilium_lxc');
    expect(shellQuote('a=b,c:d@e%f+g')).toBe('a=b,c:d@e%f+g');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote('~')).toBe("'~'");
    expect(shellCommand(['echo', 'a b', '*'])).toBe("echo 'a b' '*'");
    expect(() => shellQuote('a\0b')).toThrow(CommandError);
  });

  // Characters the shell treats specially, plus ordinary and non-ASCII ones; no NUL (argv cannot hold it).
  const special = [..." \t\n'\"\\$`!*?[]{}()<>|&;#~=%,:@^/-_.", 'a', 'Z', '0', 'é', '日', '😀'];
  const word = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...special), maxLength: 12 }));

  it('survives a round trip through sh -c (property)', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        const r = spawnSync('sh', ['-c', shellCommand(['printf', '%s\\000', ...words])], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(r.stdout.split('\0').slice(0, -1)).toEqual(words);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * bpftool's batch line splitter, `make_args` in src/main.c (v7.1.0), transcribed as a test oracle:
 * blanks separate words; a word starting with ' or " runs to the next same quote, no escapes.
 * (do_batch cuts the line at the first '#' before calling it.)
 */
function makeArgs(line: string): string[] {
  const ws = ' \t\r\n';
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && ws.includes(line[i]!)) i++;
    if (i >= line.length) break;
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated quoted string');
      out.push(line.slice(i + 1, end));
      i = end;
    } else {
      let j = i;
      while (j < line.length && !ws.includes(line[j]!)) j++;
      out.push(line.slice(i, j));
      i = j;
    }
    i++; // `*cp++ = 0`: the blank after a word, or the closing quote, becomes the terminator
  }
  return out;
}

describe('batch quoting', () => {
  it('matches what make_args reads back (property)', () => {
    const chars = [...' \t\'"abc/-_.:=é', '日'];
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom(...chars), maxLength: 10 }), { minLength: 1, maxLength: 8 }), (words) => {
        let quoted: string[];
        try {
          quoted = words.map(batchQuote);
        } catch (e) {
          // Only words with a blank (or a leading quote) and both quote characters are refused.
          expect(e).toBeInstanceOf(CommandError);
          expect(words.some((w) => w.includes("'") && w.includes('"'))).toBe(true);
          return;
        }
        expect(makeArgs(quoted.join(' '))).toEqual(words);
      }),
      { numRuns: 300 },
    );
  });
  it('refuses what a batch file cannot carry', () => {
    for (const w of ['a#b', 'a\nb', 'a\\', `a '"b`, 'x\0']) expect(() => batchQuote(w), JSON.stringify(w)).toThrow(CommandError);
    expect(batchQuote('')).toBe("''");
    expect(batchQuote("'lead")).toBe(`"'lead"`);
    expect(batchQuote("mid'quote")).toBe("mid'quote");
  });
});
