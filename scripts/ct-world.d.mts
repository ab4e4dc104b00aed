/** Types of scripts/ct-world.mjs (the generator shared by the capture script and the kernel test). */
export interface CtWorldApi {
  resolveMap(name: string, version?: string): { key: { encode(i: Record<string, unknown>): Uint8Array; inputNames: readonly string[] }; value: { encode(i: Record<string, unknown>): Uint8Array; inputNames: readonly string[] } };
  ctKeyFromText(text: string, dir?: 'OUT' | 'IN' | 'SVC'): Record<string, unknown>;
  natKeyFromText(text: string, dir?: 'OUT' | 'IN' | 'SVC'): Record<string, unknown>;
}
export interface CtWorldEntry {
  map: string;
  kind: string;
  scenario: string;
  conn: number;
  key: Record<string, unknown>;
  value: Record<string, unknown>;
  keyBytes: Uint8Array;
  valueBytes: Uint8Array;
  client?: string;
  server?: string;
  from?: string;
  to?: string;
  direction: 'OUT' | 'IN' | 'SVC';
  related?: boolean;
}
export interface CtWorldMetric {
  map: 'cilium_metrics';
  kind: string;
  key: Record<string, unknown>;
  keyBytes: Uint8Array;
  values: { cpu: number; count: string; bytes: string }[];
  valueBytes: Uint8Array[];
}
export function prng(seed: number): { next(): number; int(lo: number, hi: number): number; pick<T>(xs: readonly T[]): T; bool(p?: number): boolean };
export function ctWorld(
  api: CtWorldApi,
  opts?: { version?: string; seed?: number; connections?: number; monoNow?: number; cpus?: number },
): { entries: CtWorldEntry[]; metrics: CtWorldMetric[] };
