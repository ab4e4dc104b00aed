/**
 * bpftool text in, records out: the parser (the text fast path by default, the general parser
 * for everything irregular) feeding a {@link DumpDecoder}, in input order. The one loop behind
 * `decodeDump`, `decodeDumpText` and the CLI.
 */
import type { DumpEvent } from '../bpftool/events';
import { createFastDumpParser } from '../bpftool/fast-parser';
import { createDumpParser, type DumpParser, type ParseOptions } from '../bpftool/parse';
import { CodecError } from '../schema/errors';
import { DumpDecoder, type DecodedRecord, type DumpDecoderOptions, type DumpSummary } from './dump-decoder';

/** Options of {@link DumpPipeline}. */
export interface DumpPipelineOptions extends DumpDecoderOptions, ParseOptions {
  /** Use the fixed-layout text fast path where the input allows (default true). */
  fast?: boolean;
}

/** Push chunks of bpftool output, get the records decoded from each. */
export class DumpPipeline {
  /** The decoder (its `spec` is known once the map is). */
  readonly decoder: DumpDecoder;
  private readonly parser: DumpParser & { setSizes?(k: number, v: number): void };
  private out: DecodedRecord[] = [];
  private sized = false;
  /**
   * An error that stopped the run (unknown or ambiguous map, binary input, strict mode), held
   * until the records decoded before it have been handed out: thrown by the next call.
   */
  private failure: unknown;
  private failed = false;

  constructor(opts: DumpPipelineOptions = {}) {
    this.decoder = new DumpDecoder(opts);
    const one: DumpEvent[] = [undefined as never];
    const onEvent = (e: DumpEvent): void => {
      one[0] = e;
      this.decoder.push(one, this.out);
      if (!this.sized) this.tellSizes();
    };
    if (opts.fast === false) {
      this.parser = createDumpParser(onEvent, opts);
    } else {
      const spec = this.decoder.spec;
      this.parser = createFastDumpParser(
        { entry: (k, v, line) => this.decoder.pushEntry(k, v, line, this.out), event: onEvent },
        opts,
        spec ? { keySize: spec.key.sizeof, valueSize: spec.value.sizeof } : undefined,
      );
      this.sized = spec !== undefined;
    }
  }

  private tellSizes(): void {
    const spec = this.decoder.spec;
    if (!spec || !this.parser.setSizes) return;
    this.parser.setSizes(spec.key.sizeof, spec.value.sizeof);
    this.sized = true;
  }

  /**
   * Feeds a chunk; returns the records it completed. The chunk is not kept: the caller may
   * overwrite it (read the next input into the same buffer) as soon as this returns.
   */
  push(chunk: string | Uint8Array): DecodedRecord[] {
    this.rethrow();
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new CodecError(`DumpPipeline.push: a chunk must be a string or a Uint8Array, got ${chunk === null ? 'null' : typeof chunk}`);
    }
    try {
      this.parser.push(chunk);
    } catch (e) {
      this.hold(e);
    }
    return this.take();
  }

  /** Ends the input; returns the last records. */
  end(): DecodedRecord[] {
    this.rethrow();
    try {
      this.parser.end();
    } catch (e) {
      this.hold(e);
    }
    return this.take();
  }

  /** The summary (call after `end`); throws the error that stopped the run, if one did. */
  finish(): DumpSummary {
    this.rethrow();
    return this.decoder.finish();
  }

  /**
   * Everything decoded before a fatal error is handed out first (a concatenated dump whose second
   * section is ambiguous keeps the first section's records); the error comes with the next call.
   */
  private hold(e: unknown): void {
    if (!(e instanceof CodecError)) throw e;
    this.failure = e;
    this.failed = true;
  }

  private rethrow(): void {
    if (this.failed) throw this.failure;
  }

  private take(): DecodedRecord[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
