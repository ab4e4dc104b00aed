/**
 * `cilium_metrics` (PERCPU_HASH): key `struct metrics_key` (8 bytes) in two variants, value
 * `struct metrics_value` (16 bytes) once per possible CPU (docs/layouts.md). Must be in sync with
 * `bpf/lib/common.h` (≤ v1.18) / `bpf/lib/metrics.h` (v1.19 →); Go `pkg/maps/metricsmap/metricsmap.go`.
 *
 * | off | MK-A v1.10 – v1.15 | MK-B v1.16 → main (c0676e6d6d) |
 * |---|---|---|
 * | 0 | `reason` u8 (0 forwarded, 1–15 forward reasons, ≥ 130 drop code) | same |
 * | 1 | `dir` u8 (bits 0–1: 1 INGRESS, 2 EGRESS, 3 SERVICE) | same |
 * | 2 | reserved | `line` u16 host order (`__MAGIC_LINE__`) |
 * | 4 | reserved | `file` u8 (`__MAGIC_FILE__` id) |
 * | 5 | reserved | reserved (3) |
 *
 * Derived: `reason_name`, `direction` and (MK-B) `file_name`, from the tables of the key's Cilium
 * version (`metrics-names.ts`). The value's `count` and `bytes` are per CPU; {@link sumMetricsValues}
 * adds them up as `cilium-dbg bpf metrics list` does.
 */
import { defineStruct, pad, u8, u16, u64, type Decoded, type Encodable } from '../schema/index';
import { bpfFileName, dropReasonName, metricDirection } from './metrics-names';

type Minor = { minor: number };

function mkA(v: Minor, versions: string) {
  return defineStruct({
    name: 'metrics_key',
    variant: 'MK-A',
    header: `bpf/lib/common.h @ ${versions}`,
    sizeof: 8,
    derive: (rec: { reason: number; dir: number }) => ({ reason_name: dropReasonName(rec.reason, v), direction: metricDirection(rec.dir) }),
    fields: { reason: u8, dir: u8, reserved: pad(6) },
  });
}

function mkB(v: Minor, versions: string) {
  return defineStruct({
    name: 'metrics_key',
    variant: 'MK-B',
    header: `bpf/lib/common.h, bpf/lib/metrics.h @ ${versions}`,
    sizeof: 8,
    derive: (rec: { reason: number; dir: number; file: number }) => ({
      reason_name: dropReasonName(rec.reason, v),
      direction: metricDirection(rec.dir),
      file_name: bpfFileName(rec.file, v),
    }),
    fields: { reason: u8, dir: u8, line: u16, file: u8, reserved: pad(3) },
  });
}

/** MK-A with the v1.10 reason names (v1.10 – v1.11). */
export const metricsKeyMKA110 = mkA({ minor: 10 }, 'v1.10.0 … v1.11');
/** MK-A with the later reason names (v1.12 – v1.15). */
export const metricsKeyMKA = mkA({ minor: 12 }, 'v1.12.0 … v1.15');
/** MK-B with the v1.16 file IDs (v1.16 – v1.18). */
export const metricsKeyMKB116 = mkB({ minor: 16 }, 'v1.16.0 … v1.18');
/** MK-B with main's file IDs (v1.19 → main). */
export const metricsKeyMKB = mkB({ minor: 19 }, 'v1.19 → main');

/** `struct metrics_value`: one CPU's packet `count` and `bytes` (host order). */
export const metricsValue = defineStruct({
  name: 'metrics_value',
  header: 'bpf/lib/common.h; bpf/lib/metrics.h',
  sizeof: 16,
  fields: { count: u64, bytes: u64 },
});

/** The per-CPU values summed (`metricsmap.Values.Count()` / `Bytes()`), as u64 (wrapping like Go). */
export function sumMetricsValues(values: readonly { value: Record<string, unknown> }[]): { count: bigint; bytes: bigint } {
  let count = 0n;
  let bytes = 0n;
  for (const v of values) {
    count += v.value.count as bigint;
    bytes += v.value.bytes as bigint;
  }
  return { count: BigInt.asUintN(64, count), bytes: BigInt.asUintN(64, bytes) };
}

/** Decoded metrics key (newest layout). */
export type MetricsKey = Decoded<typeof metricsKeyMKB>;
/** Decoded metrics key, v1.10 – v1.15. */
export type MetricsKeyMKA = Decoded<typeof metricsKeyMKA>;
/** Decoded per-CPU metrics value. */
export type MetricsValue = Decoded<typeof metricsValue>;
/** Encodable metrics key (newest layout). */
export type MetricsKeyInput = Encodable<typeof metricsKeyMKB>;
