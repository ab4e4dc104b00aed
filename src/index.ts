/**
 * cilium-map-codec: Cilium's eBPF map entries, from raw bytes (or bpftool output) to typed records
 * and back, for every layout from Cilium v1.10 to main.
 *
 * @packageDocumentation
 */
export * from './schema/index';
export * from './cilium/index';
