/**
 * A dump given as one long string (decodeDumpText) is encoded a slice at a time: whatever falls
 * on a slice boundary — a surrogate pair, a multi-byte character, the middle of an entry — the
 * records and summary are those of the same text given as UTF-8 bytes.
 */
import { describe, expect, it } from 'vitest';
import { DumpPipeline, decodeDumpText, resolveMap } from '../../src/index';
import { plainEntry } from '../helpers/bpftool-text';
import { makeValid } from '../helpers/valid-bytes';

function viaBytes(text: string) {
  const p = new DumpPipeline({ map: 'cilium_ipcache' });
  const bytes = new TextEncoder().encode(text);
  const records = [];
  for (let i = 0; i < bytes.length; i += 65536) records.push(...p.push(bytes.subarray(i, i + 65536)));
  records.push(...p.end());
  return { records, summary: p.finish() };
}

describe('decodeDumpText on a string longer than one slice (256 Ki characters)', () => {
  it('surrogate pairs across slice boundaries and multi-byte characters ending slices, at the boundaries the slicer really uses', () => {
    const spec = resolveMap('cilium_ipcache');
    let text = '';
    // Where the slicer's next slice ends: it backs off one character when a slice would end on a
    // pair's first half, so every later boundary moves; the noise is placed by that same rule.
    let sliceStart = 0;
    let placed = 0;
    for (let i = 0; text.length < 1_100_000; i++) {
      const raw = Uint8Array.from({ length: 64 }, (_, k) => (i * 7 + k * 13) & 0xff);
      const key = makeValid(spec.key, raw.subarray(0, 24), i);
      key[0] = 64; // a /32: distinct keys by their address bytes
      key[7] = 1;
      key.set([10, (i >> 16) & 255, (i >> 8) & 255, i & 255], 8);
      text += plainEntry(key, makeValid(spec.value, raw.subarray(52), i));
      // Noise (after blank lines) at each slice end: alternately a surrogate pair across it (the
      // slice then ends one character early) and a 2-byte character as its last character.
      const boundary = sliceStart + 262_144;
      if (boundary - text.length < 120 && boundary - text.length > 1) {
        const pair = placed % 2 === 0;
        text += `${'\n'.repeat(boundary - text.length - 1)}${pair ? '😀é' : 'é😀'} noise\n`;
        sliceStart = pair ? boundary - 1 : boundary;
        placed++;
      }
    }
    // The slicing rule replayed on the text: how often it had to back off from a split pair.
    let backedOff = 0;
    for (let at = 0; at + 262_144 < text.length; ) {
      const c = text.charCodeAt(at + 262_143);
      const split = c >= 0xd800 && c <= 0xdbff;
      if (split) backedOff++;
      at += split ? 262_143 : 262_144;
    }
    expect(placed).toBe(4);
    expect(backedOff).toBe(2);
    expect(text[262_143]).toBe('\ud83d'); // the first slice ends on a pair's first half
    const got = decodeDumpText(text, { map: 'cilium_ipcache' });
    const want = viaBytes(text);
    expect(got.records.length).toBeGreaterThan(8000);
    expect(got.records).toEqual(want.records);
    expect(got.summary).toEqual(want.summary);
    expect(got.summary.issues.find((i) => i.kind === 'noise')?.message).toContain('😀é noise');
    expect(got.summary.issues.find((i) => i.kind === 'noise')?.count).toBe(4);
  });
});
