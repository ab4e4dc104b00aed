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
  it('surrogate pairs and multi-byte characters across every slice boundary', () => {
    const spec = resolveMap('cilium_ipcache');
    let text = '';
    for (let i = 0; text.length < 1_100_000; i++) {
      const raw = Uint8Array.from({ length: 64 }, (_, k) => (i * 7 + k * 13) & 0xff);
      const key = makeValid(spec.key, raw.subarray(0, 24), i);
      key[0] = 64; // a /32: distinct keys by their address bytes
      key[7] = 1;
      key.set([10, (i >> 16) & 255, (i >> 8) & 255, i & 255], 8);
      text += plainEntry(key, makeValid(spec.value, raw.subarray(52), i));
      // Noise with a surrogate pair and a 2-byte character, placed (after blank lines) so the pair
      // straddles each slice boundary; the first one's text is in the summary.
      const boundary = Math.ceil((text.length + 1) / 262_144) * 262_144;
      if (boundary - text.length < 120) text += `${'\n'.repeat(boundary - text.length - 1)}😀é noise\n`;
    }
    const got = decodeDumpText(text, { map: 'cilium_ipcache' });
    const want = viaBytes(text);
    expect(got.records.length).toBeGreaterThan(8000);
    expect(got.records).toEqual(want.records);
    expect(got.summary).toEqual(want.summary);
    expect(got.summary.issues.find((i) => i.kind === 'noise')?.message).toContain('😀é noise');
  });
});
