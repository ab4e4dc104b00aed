/** Cilium's own list text (`cilium-dbg bpf … list`, `cilium map get`) as input. */
export { CiliumTextReader, readCiliumText, looksLikeCiliumText, type CiliumTextReaderOptions, type CiliumTextSummary } from './reader';
export { parseRow, serviceFlagsFromText, type ParsedRow, type RowFields } from './rows';
