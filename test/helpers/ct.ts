/** Decoded CT/NAT/metrics fields as the fixtures' truth writes them: u64 as decimal strings, flags as the raw number. */
export function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return String(v);
  if (v && typeof v === 'object' && 'raw' in v) return (v as { raw: number }).raw;
  return v;
}
