/**
 * The verbs of `decode-map`, one entry each: a new verb is a file exporting a {@link Verb} and one
 * line in {@link VERBS}. Decoding (no verb, or `decode`) lives in run.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestWord } from '../index';
import { decodeHelp, mainHelp } from './help';
import { EXIT, UsageError } from './io';
import { keyVerb, updateVerb, valueVerb } from './keygen';
import { lookupVerb } from './lookup';
import { mapsVerb } from './maps';
import { sysdumpVerb } from './sysdump';
import type { Verb } from './verb';

/** The package version, from the package.json next to the build. */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    dir = dirname(dir);
  }
  return 'unknown';
}

const helpVerb: Verb = {
  name: 'help',
  usage: 'help [VERB]',
  summary: 'this overview, or the help of a verb',
  help: `Usage: decode-map help [VERB]\n\nWithout VERB: the overview (the same as decode-map --help). With VERB: that verb's help.\n`,
  async run(args, io) {
    if (args.length > 1) throw new UsageError(`help takes at most one verb, got ${args.join(' ')}`);
    const name = args[0];
    if (name === undefined) {
      io.stdout.write(mainHelp());
      return EXIT.OK;
    }
    if (name === 'decode') {
      io.stdout.write(decodeHelp());
      return EXIT.OK;
    }
    const verb = VERBS.find((v) => v.name === name);
    if (!verb) {
      const near = suggestVerb(name);
      throw new UsageError(`unknown verb "${name}"${near ? `; did you mean ${near}?` : ''}; verbs: decode, ${VERBS.map((v) => v.name).join(', ')}`);
    }
    io.stdout.write(verb.help);
    return EXIT.OK;
  },
};

const versionVerb: Verb = {
  name: 'version',
  usage: 'version',
  summary: 'the package version (also -V, --version)',
  help: `Usage: decode-map version\n\nPrints the version of cilium-map-codec.\n`,
  async run(args, io) {
    if (args.length) throw new UsageError(`version takes no arguments, got ${args.join(' ')}`);
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.OK;
  },
};

/** Every verb besides decode, in the order the main help lists them. */
export const VERBS: readonly Verb[] = [mapsVerb, sysdumpVerb, keyVerb, valueVerb, updateVerb, lookupVerb, helpVerb, versionVerb];

/** The verb one edit away from `word` (two for longer verbs), if any: `lokup` → `lookup`. */
export function suggestVerb(word: string): string | undefined {
  const near = nearestWord(word, ['decode', ...VERBS.map((v) => v.name)]);
  return near && near.distance <= (near.word.length > 4 ? 2 : 1) ? near.word : undefined;
}
