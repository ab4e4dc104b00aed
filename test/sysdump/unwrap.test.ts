/** BugtoolUnwrap: what bugtool adds is taken off, whatever the chunking; the output is untouched. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BugtoolUnwrap } from '../../src/sysdump/unwrap';
import { bugtoolOutput } from './archive';

const DUMP = 'key: 0a 00 00 01  value: 01 00 00 00\nkey: 0a 00 00 02  value: 02 00 00 00\nFound 2 elements\n';
const PROMPT = 'bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_x';

function run(text: string, cuts: number[]): { out: string; u: BugtoolUnwrap } {
  const u = new BugtoolUnwrap();
  const bytes = new TextEncoder().encode(text);
  const at = [0, ...[...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length];
  let out = '';
  const dec = new TextDecoder();
  for (let i = 0; i + 1 < at.length; i++) for (const p of u.push(bytes.subarray(at[i]!, at[i + 1]!))) out += dec.decode(p, { stream: true });
  for (const p of u.end()) out += dec.decode(p);
  return { out, u };
}

const chunkings = fc.array(fc.nat({ max: 200 }), { maxLength: 12 });

describe('BugtoolUnwrap', () => {
  it('passes plain output through unchanged', () => {
    fc.assert(
      fc.property(chunkings, (cuts) => {
        const { out, u } = run(DUMP, cuts);
        expect(out).toBe(DUMP);
        expect(u.markdown).toBe(false);
        expect(u.commandErrors).toEqual([]);
      }),
    );
  });
  it('takes off the markdown wrapping', () => {
    fc.assert(
      fc.property(chunkings, (cuts) => {
        const { out, u } = run(bugtoolOutput(PROMPT, DUMP, { markdown: true }), cuts);
        expect(out.trim()).toBe(DUMP.trim());
        expect(u.markdown).toBe(true);
      }),
    );
  });
  it('splits an error glued to a cut line off it, at any chunking', () => {
    const cut = DUMP.slice(0, 30); // inside the second entry's value
    fc.assert(
      fc.property(chunkings, (cuts) => {
        const { out, u } = run(bugtoolOutput(PROMPT, cut, { error: 'signal: killed' }), cuts);
        expect(out.replace(/\n+$/, '')).toBe(cut);
        expect(u.commandErrors).toEqual(['signal: killed']);
        expect(u.cutMidLine).toBe(true);
      }),
    );
  });
  it('an error on its own line (v1.10 writes it first) and bpftool Error lines', () => {
    const text = `> Error while running '${PROMPT}':  exit status 255\n\nError: bpf obj get (/sys/fs/bpf/tc/globals): No such file or directory\n`;
    fc.assert(
      fc.property(chunkings, (cuts) => {
        const { out, u } = run(text, cuts);
        expect(out.trim()).toBe('');
        expect(u.commandErrors).toEqual(['exit status 255']);
        expect(u.bpftoolErrors).toEqual(['bpf obj get (/sys/fs/bpf/tc/globals): No such file or directory']);
        expect(u.cutMidLine).toBe(false);
      }),
    );
  });
});
