/**
 * The `-o` formats of the CLI, shared by the verbs that print records (decode, lookup):
 * `table` (kubectl-like, the default), `wide` (every field), `json` (one array, always closed),
 * `ndjson`, `cilium` (the text cilium-dbg prints).
 */
import { ByteSink, CiliumDatapathText, JSON_ARRAY, TableWriter, writeRecordJSON, type DecodedRecord, type MapSpec, type parseBpfClock } from '../index';
import { writeCiliumRow } from './cilium-output';
import { once } from 'node:events';
import { UsageError, type CliIO } from './io';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'ndjson', 'cilium'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Help text of `-o` and `--no-headers`, for every verb that prints records. */
export const OUTPUT_HELP = `  -o, --output FORMAT        table (default: the columns that matter), wide (every field), json,
                             ndjson, cilium (the key/value text cilium-dbg prints, tab-separated)
      --no-headers           table/wide: no header line (as kubectl)`;

/** Checks an `-o` value. */
export function outputFormat(text: string | undefined): OutputFormat {
  const o = text ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(o)) throw new UsageError(`--output must be ${OUTPUT_FORMATS.join(', ')}; got ${JSON.stringify(o)}`);
  return o as OutputFormat;
}

/**
 * Turns batches of records into text (a string, or its UTF-8 bytes: the JSON formats write bytes,
 * see src/schema/byte-sink.ts, as a view of a reused buffer that is valid until the next `write`);
 * `end` closes the document (the JSON array, held-back table rows).
 */
export interface Writer {
  write(records: readonly DecodedRecord[]): string | Uint8Array;
  end(): string;
}

/** The writer of a format. `spec` is asked when the first records arrive (the map may be identified from them). */
/** `--now` / `--bpf-clock`: the node's monotonic clock at dump time and its BPF clock source. */
export type Times = { now?: number; clock: ReturnType<typeof parseBpfClock> };

export function makeWriter(format: OutputFormat, spec: () => MapSpec | undefined, opts: { headers?: boolean; times?: Times } = {}): Writer {
  switch (format) {
    case 'ndjson': {
      const sink = new ByteSink();
      return {
        write: (rs) => {
          for (const r of rs) {
            writeRecordJSON(r, sink);
            sink.byte(10);
          }
          return sink.view();
        },
        end: () => '',
      };
    }
    case 'json': {
      const sink = new ByteSink();
      let first = true;
      return {
        write: (rs) => {
          for (const r of rs) {
            sink.ascii(first ? JSON_ARRAY.open : JSON_ARRAY.sep);
            writeRecordJSON(r, sink);
            first = false;
          }
          return sink.view();
        },
        end: () => (first ? JSON_ARRAY.empty : JSON_ARRAY.close),
      };
    }
    case 'table':
    case 'wide': {
      const t = new TableWriter({ view: format === 'wide' ? 'wide' : 'default', headers: opts.headers !== false, spec });
      const sink = new ByteSink();
      return {
        write: (rs) => {
          t.writeTo(rs, sink);
          return sink.view();
        },
        end: () => t.end(),
      };
    }
    case 'cilium': {
      // CT, NAT and metrics print as cilium-dbg's own list commands do (src/format/cilium-text-ct.ts).
      const datapath = new CiliumDatapathText(opts.times);
      const sink = new ByteSink();
      return {
        write: (rs) => {
          const s = spec()!;
          for (const r of rs) if (!datapath.addTo(s, r, sink)) writeCiliumRow(s, r, sink);
          return sink.view();
        },
        end: () => datapath.end(),
      };
    }
  }
}

/** Writes text, waiting for a full pipe to drain. */
export async function put(io: CliIO, text: string | Uint8Array): Promise<void> {
  if (!text.length) return;
  if (typeof text !== 'string') {
    if (io.writeOut?.(text)) return;
    text = text.slice(); // a view of the writer's reused buffer: the stream may keep it
  }
  if (!io.stdout.write(text)) await once(io.stdout, 'drain');
}
