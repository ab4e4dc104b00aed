/**
 * One verb of `decode-map` (`key`, `lookup`, `maps`, …): its help and its run. A verb lives in one
 * file and is registered in the table of verbs.ts; the dispatcher (run.ts) answers `--help` for
 * every verb and points a verb's usage errors at that verb's help.
 */
import type { CliIO } from './io';

/** A `decode-map` verb. */
export interface Verb {
  /** The word after `decode-map`. */
  readonly name: string;
  /** The verb's arguments for the main help, e.g. `key MAP ARGS... [--cmd lookup|delete|getnext]`. */
  readonly usage: string;
  /** What it does, a few words for the main help. */
  readonly summary: string;
  /** What `decode-map VERB --help` prints. */
  readonly help: string;
  /** Runs the verb on the words after its name; resolves to the exit code. Throws UsageError for bad arguments. */
  run(args: string[], io: CliIO): Promise<number>;
}
