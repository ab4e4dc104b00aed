/**
 * The nodes the JSON reader builds while an element is open: bpftool's BTF trees (events.ts
 * BtfNode), byte arrays collected straight into bytes (`["0x0a",..]`), and placeholders for values
 * that were skipped or already turned into events; with the helpers that read members out of them.
 */
import type { BtfNode } from './events';
import { BYTE_TO_HEX } from './hex';

/** Bytes collected from an array of `"0xNN"` strings (bpftool's `print_hex_data_json`). */
export interface HexNode {
  kind: 'hex';
  bytes: Uint8Array;
}
/** Stand-ins for values that were skipped (`"formatted"`) or already turned into events. */
export interface Placeholder {
  kind: 'skipped' | 'emitted';
}
export type Node = BtfNode | HexNode | Placeholder;
/** A node inside a generic container while it is being built (may still hold hex nodes). */
export type BuildObject = { kind: 'object'; members: [string, Node][] };
export type BuildArray = { kind: 'array'; items: Node[] };

export const SKIPPED: Placeholder = { kind: 'skipped' };
export const EMITTED: Placeholder = { kind: 'emitted' };
export const NULL_NODE: BtfNode = { kind: 'null' };

export function numberValue(n: Node | undefined): number | undefined {
  if (n && n.kind === 'number') {
    const v = Number(n.text);
    return Number.isFinite(v) ? v : undefined;
  }
  return undefined;
}

export function stringValue(n: Node | undefined): string | undefined {
  return n && n.kind === 'string' ? n.value : undefined;
}

/** Bytes of a `["0x..",..]` member; an empty array is a zero-size key or value. */
export function asBytes(n: Node | undefined): Uint8Array | undefined {
  if (!n) return undefined;
  if (n.kind === 'hex') return n.bytes;
  if (n.kind === 'array' && n.items.length === 0) return new Uint8Array(0);
  return undefined;
}

export function member(members: [string, Node][], name: string): Node | undefined {
  for (let i = 0; i < members.length; i++) if (members[i][0] === name) return members[i][1];
  return undefined;
}

/** Internal node → public {@link BtfNode}: hex byte arrays become arrays of `"0xNN"` strings. */
export function toBtf(n: Node): BtfNode {
  switch (n.kind) {
    case 'hex':
      return { kind: 'array', items: Array.from(n.bytes, (b) => ({ kind: 'string', value: '0x' + BYTE_TO_HEX[b] }) as BtfNode) };
    case 'object':
      return { kind: 'object', members: n.members.map(([k, v]) => [k, toBtf(v as Node)] as [string, BtfNode]) };
    case 'array':
      return { kind: 'array', items: n.items.map((v) => toBtf(v as Node)) };
    case 'skipped':
    case 'emitted':
      return NULL_NODE;
    default:
      return n;
  }
}

/** Compact text of a node, for `noise` events about JSON values that are not map output. */
export function render(n: Node, budget: { left: number }): string {
  if (budget.left <= 0) return '…';
  let out: string;
  switch (n.kind) {
    case 'object':
      out = '{' + n.members.map(([k, v]) => JSON.stringify(k) + ':' + render(v as Node, budget)).join(',') + '}';
      break;
    case 'array':
      out = '[' + n.items.map((v) => render(v as Node, budget)).join(',') + ']';
      break;
    case 'hex':
      out = '[' + Array.from(n.bytes, (b) => `"0x${BYTE_TO_HEX[b]}"`).join(',') + ']';
      break;
    case 'number':
      out = n.text;
      break;
    case 'string':
      out = n.bare ? n.value : JSON.stringify(n.value);
      break;
    case 'bool':
      out = String(n.value);
      break;
    default:
      out = n.kind === 'null' ? 'null' : '';
  }
  budget.left -= out.length;
  return out;
}
