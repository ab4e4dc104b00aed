/**
 * cilium-map-codec: Cilium's eBPF map entries, from raw bytes (or bpftool output) to typed records
 * and back, for every layout from Cilium v1.10 to main.
 *
 * @packageDocumentation
 */
export * from './schema/index';
export * from './cilium/index';
export * from './bpftool/events';
export { createDumpParser, parseDump, parseDumpText, type DumpFormat, type ParseOptions, type DumpParser } from './bpftool/parse';
export { DumpDecoder, paddingMeaning, type DecodedRecord, type DumpDecoderOptions, type DumpSummary } from './decode/dump-decoder';
export { DumpError, type DumpIssue, type PaddingIssue, type IssueKind } from './decode/diagnostics';
export { decodeDump, decodeDumpText, type DecodeDumpOptions, type DecodeMapOptions, type MapRecord } from './decode/decode-dump';
export { recordToJSON, recordToJSONText, writeRecordJSON, JSON_ARRAY } from './format/json';
export { ByteSink } from './schema/byte-sink';
export { TableWriter, cellText, type TableOptions, type TableView } from './format/table';
export * from './cilium/friendly';
export * from './bpftool/commands';
export { HexError, bytesToHex, parseHex } from './bpftool/hex';
export { ciliumKeyString, ciliumValueString, ciliumKeyTo, ciliumValueTo, ciliumLbListEntry, ciliumListTitles, serviceFlagsText, type CiliumTextOptions } from './format/cilium-text';
export { ciliumCtKeyText, ciliumCtValueText, ciliumNatKeyText, ciliumNatValueText, ciliumMetricsTable, ctFlagsText, CiliumDatapathText, type CiliumTimeOptions } from './format/cilium-text-ct';
export { tabwrite, ciliumTable, ciliumMapGetTable, ciliumRow, type TabWriterOptions, type CiliumTableOptions, type CiliumMapGetRow } from './format/tabwriter';
export { DumpPipeline, type DumpPipelineOptions } from './decode/pipeline';
export * from './compile/index';
export { lookupEntry, EntryMatcher, type LookupHit, type AnyRecord } from './decode/lookup';
export * from './sysdump/index';
export * from './cilium-text/index';
export { DumpTranscoder, MAX_JOBS, transcodeDump, workersAvailable, type TranscodeOptions } from './transcode/parallel';
export { transcodeBatch, batchSpecOf, specFromBatch, type BatchFraming, type BatchSpec, type BatchText } from './transcode/batch';
