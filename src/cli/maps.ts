/** `decode-map maps`: the known maps, their sizes and their layouts per Cilium version. */
import { MAPS, knownVersionsText, layoutsOf } from '../index';
import { EXIT, UsageError } from './io';
import type { Verb } from './verb';

export const mapsVerb: Verb = {
  name: 'maps',
  usage: 'maps',
  summary: 'list known maps, sizes and layouts per Cilium version',
  help: `Usage: decode-map maps

Lists every map the codec knows: its type, key and value sizes, max_entries, flags and aliases, then
each layout (key and value struct variant) with the Cilium releases that use it.
Known releases: ${knownVersionsText()}.
`,
  async run(args, io) {
    if (args.length) throw new UsageError(`maps takes no arguments, got ${args.join(' ')}`);
    let out = '';
    for (const m of MAPS) {
      out += `${m.name}  (${m.type}, key ${m.keySize}B, value ${m.valueSize}B, max_entries ${m.maxEntries}, flags 0x${m.flags.toString(16)}; aliases: ${m.aliases.join(', ')})\n`;
      if (m.note) out += `    note: ${m.note}\n`;
      for (const l of layoutsOf(m)) out += `    key ${l.key.padEnd(26)} value ${l.value.padEnd(32)} ${l.versions}\n`;
    }
    io.stdout.write(out);
    return EXIT.OK;
  },
};
