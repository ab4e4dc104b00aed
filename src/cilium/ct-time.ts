/**
 * Times in the conntrack and NAT maps. `lifetime`, `last_tx_report`,
 * `last_rx_report` and NAT `created` are `bpf_mono_now()` values: CLOCK_MONOTONIC seconds by
 * default (`ktime`), or `jiffies >> 8` when the agent runs the jiffies clock (`BPF_MONO_SCALER 8`;
 * `cilium status` prints `Clock Source for BPF: jiffies [250 Hz]`). A dump carries no "now": the
 * caller gives it, in the same units (`now` = the node's `bpf_mono_now()` when the dump was taken;
 * for ktime, the node's monotonic clock in seconds).
 */

/** The BPF clock source of the node. */
export type BpfClock = { source: 'ktime' } | { source: 'jiffies'; hz: number };

/** The default clock source (`ktime_get_ns() / 1e9`). */
export const KTIME: BpfClock = { source: 'ktime' };

/**
 * `a - b` in seconds, for two `bpf_mono_now()` values (negative when `a` is earlier). With the
 * jiffies clock, `(diff << 8) / HZ`, truncated toward zero.
 */
export function monoDiffSeconds(a: number, b: number, clock: BpfClock = KTIME): number {
  const d = a - b;
  if (clock.source === 'ktime') return d;
  return Math.trunc((d * 256) / clock.hz);
}

/** Time fields derived for a CT value, given now. */
export interface CtTimes {
  /** Seconds until `lifetime` (negative: expired, waiting for CT garbage collection). */
  expires_in: number;
  /** Seconds since `last_tx_report` (undefined when it is 0: never reported). */
  last_tx_report_age?: number;
  /** Seconds since `last_rx_report` (undefined when it is 0). */
  last_rx_report_age?: number;
}

/** `expires_in` and report ages of a decoded CT value (`lifetime`, `last_tx_report`, `last_rx_report`). */
export function ctTimes(value: { lifetime: number; last_tx_report: number; last_rx_report: number }, now: number, clock: BpfClock = KTIME): CtTimes {
  const out: CtTimes = { expires_in: monoDiffSeconds(value.lifetime, now, clock) };
  if (value.last_tx_report !== 0) out.last_tx_report_age = monoDiffSeconds(now, value.last_tx_report, clock);
  if (value.last_rx_report !== 0) out.last_rx_report_age = monoDiffSeconds(now, value.last_rx_report, clock);
  return out;
}

/** Seconds since a NAT entry's `created` (a u64, decoded as bigint). */
export function natAge(created: bigint | number, now: number, clock: BpfClock = KTIME): number {
  return monoDiffSeconds(now, Number(created), clock);
}

/**
 * Parses a `--bpf-clock` value: `ktime`, or `jiffies:HZ` / `jiffies[HZ]` (e.g. `jiffies:250`).
 * @throws Error with the accepted forms.
 */
export function parseBpfClock(text: string): BpfClock {
  const t = text.trim().toLowerCase();
  if (t === 'ktime') return KTIME;
  const m = /^jiffies(?::|\s*\[)?\s*(\d+)\s*(?:hz)?\]?$/.exec(t);
  if (m && Number(m[1]) > 0) return { source: 'jiffies', hz: Number(m[1]) };
  throw new Error(`BPF clock ${JSON.stringify(text)} is not ktime or jiffies:HZ (e.g. jiffies:250)`);
}

/**
 * The time fields `--now` adds to a decoded CT (`expires_in`, report ages) or NAT (`created_age`)
 * value; undefined for other maps.
 */
export function entryTimes(kind: string, value: Record<string, unknown>, now: number, clock: BpfClock = KTIME): Record<string, number> | undefined {
  if (kind === 'ct') return { ...ctTimes(value as { lifetime: number; last_tx_report: number; last_rx_report: number }, now, clock) };
  if (kind === 'nat') return { created_age: natAge(value.created as bigint, now, clock) };
  return undefined;
}
