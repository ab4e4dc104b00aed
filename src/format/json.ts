/**
 * Records as JSON: `{"key": {...}, "value": {...}}` (per-CPU: `"values": [{"cpu": 0, "value": {...}}]`),
 * u64 as decimal strings because `JSON.stringify` throws on bigint and JSON numbers lose
 * precision past 2^53. Field names are the C names and are an API.
 */
import type { DecodedRecord } from '../decode/dump-decoder';
import { ByteSink, literal } from '../schema/byte-sink';
import { createJsonWriter } from './json-text';

/** The JSON shape of one record (no input line numbers). */
export function recordToJSON(r: DecodedRecord): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (r.map !== undefined) o.map = r.map;
  o.key = r.key;
  if (r.value !== undefined) o.value = r.value;
  if (r.values !== undefined) o.values = r.values;
  if (r.sum !== undefined) o.sum = r.sum;
  if (r.next_key !== undefined) o.next_key = r.next_key;
  return o;
}

const bigintReplacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);
const shared = createJsonWriter();
// Keys and values have a serializer each, so neither evicts the other's cached shape.
const sharedKey = createJsonWriter();
const sharedValue = createJsonWriter();
/**
 * The framing of `-o json` (one record per line inside an array): before the first record,
 * between records, after the last, and for no records at all. The CLI's writers, the transcoder
 * and the sysdump verb all frame with these.
 */
export const JSON_ARRAY = { open: '[\n', sep: ',\n', close: '\n]\n', empty: '[]\n' } as const;

/** The record wrapper's text before the key and between key and value (`{"key":…,"value":…}`). */
export const ENTRY_KEY = literal('{"key":');
export const ENTRY_VALUE = literal(',"value":');
const scratch = new ByteSink(1024);

/** Appends the JSON text of a record's key (or next key) object, as {@link writeRecordJSON} writes it. */
export function writeKeyJSON(key: Record<string, unknown>, sink: ByteSink): void {
  sharedKey(key, sink);
}

/** Appends the JSON text of a record's value object, as {@link writeRecordJSON} writes it. */
export function writeValueJSON(value: Record<string, unknown>, sink: ByteSink): void {
  sharedValue(value, sink);
}

/**
 * Appends one record's JSON text to `sink`: the same bytes as `JSON.stringify(recordToJSON(r))`
 * with bigint as decimal strings (UTF-8), written by the shape-cached serializer.
 */
export function writeRecordJSON(r: DecodedRecord, sink: ByteSink): void {
  // The common record, `{"key": ..., "value": ...}`, without building the wrapper object.
  if (r.map === undefined && r.values === undefined && r.next_key === undefined && isObject(r.key) && isObject(r.value)) {
    sink.bytes(ENTRY_KEY);
    sharedKey(r.key, sink);
    sink.bytes(ENTRY_VALUE);
    sharedValue(r.value, sink);
    sink.byte(125);
    return;
  }
  shared(recordToJSON(r), sink);
}

/**
 * One record as JSON text: the same text as `JSON.stringify(recordToJSON(r))` with bigint as
 * decimal strings; `indent` as JSON.stringify's.
 */
export function recordToJSONText(r: DecodedRecord, indent?: number): string {
  if (indent !== undefined) return JSON.stringify(recordToJSON(r), bigintReplacer, indent);
  writeRecordJSON(r, scratch);
  return scratch.text();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
