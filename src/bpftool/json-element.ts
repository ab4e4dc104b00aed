/**
 * One complete element object of bpftool's JSON output → its event (the shapes of the
 * captures in test/fixtures/bpftool-formats): a dump entry (hex arrays, an error value, per-CPU values), a getnext pair, a BTF-
 * formatted entry, bpftool's `{"error": ..}`, a `-j batch` item, or valid JSON that is not
 * map output (noise). A repeated member counts last, as with JSON.parse and jq, and is reported.
 */
import type { BtfNode, CpuValue, DumpEvent, MapHeader, RawEntry } from './events';
import { asBytes, member, numberValue, render, stringValue, toBtf, type BuildObject, type Node } from './json-tree';

type Emit = (e: DumpEvent) => void;

/** The members that make an element what it is. */
const ELEMENT_MEMBERS = new Set(['key', 'value', 'values', 'next_key', 'error']);

/** One element object is complete: classify it (by shape) and emit its event(s). */
export function elementEvents(members: [string, Node][], line: number, map: MapHeader | undefined, emit: Emit): void {
  const repeated = classify(members, line, map, emit);
  if (repeated !== undefined) {
    emit({
      kind: 'malformed',
      reason: `the member "${repeated}" appears twice in one element; the last one was used (as JSON.parse and jq do)`,
      text: render({ kind: 'object', members } as BuildObject as BtfNode, { left: 200 }),
      line,
      stray: true,
    });
  }
}

/** Emits the event of one element; returns the name of a member it repeats, if any. */
function classify(members: [string, Node][], line: number, map: MapHeader | undefined, emit: Emit): string | undefined {
  // The last of a repeated member counts, as with JSON.parse and jq; it is reported after the event.
  const got = new Map<string, Node>();
  let repeated: string | undefined;
  let seen = 0;
  for (let k = 0; k < members.length; k++) {
    const [name, v] = members[k]!;
    if (ELEMENT_MEMBERS.has(name)) {
      if (got.has(name)) repeated ??= name;
      got.set(name, v);
    } else if (name === 'elements') seen |= 1;
    else if (name === 'output') seen |= 2;
  }
  const key = got.get('key');
  const value = got.get('value');
  const values = got.get('values');
  const nextKey = got.get('next_key');
  const error = got.get('error');
  if (seen & 1) return undefined; // a multi-map object: its `map` event and entries are already out
  if (seen & 2) {
    // `-j batch` item: an `output` object was handled as its own element; `null` output of a
    // lookup is a miss, of an update/delete a success.
    const out = member(members, 'output');
    const cmd = member(members, 'command');
    if (out?.kind === 'null' && cmd?.kind === 'array' && cmd.items.some((x) => x.kind === 'string' && x.value === 'lookup')) {
      emit({ kind: 'not-found', line });
    }
    return repeated;
  }
  if (nextKey !== undefined && key !== undefined) {
    const nk = asBytes(nextKey);
    const k = key.kind === 'null' ? null : asBytes(key);
    if (nk !== undefined && k !== undefined) {
      emit({ kind: 'getnext', key: k, nextKey: nk, line });
      return repeated;
    }
  }
  if (key !== undefined) {
    const kb = asBytes(key);
    if (kb !== undefined) {
      const entry: RawEntry = { key: kb, line };
      if (value !== undefined) {
        const vb = asBytes(value);
        if (vb !== undefined) entry.value = vb;
        else {
          const err = value.kind === 'object' ? stringValue(member(value.members as [string, Node][], 'error')) : undefined;
          if (err !== undefined) entry.error = err;
        }
      } else if (values !== undefined && values.kind === 'array') {
        const list: CpuValue[] = [];
        for (let k = 0; k < values.items.length; k++) {
          const it = values.items[k] as Node;
          if (it.kind !== 'object') break;
          const m = it.members as [string, Node][];
          const vb = asBytes(member(m, 'value'));
          if (vb === undefined) break;
          list.push({ cpu: numberValue(member(m, 'cpu')) ?? k, value: vb });
        }
        if (list.length === values.items.length) entry.values = list;
      }
      if (entry.value !== undefined || entry.error !== undefined || entry.values !== undefined) {
        if (map !== undefined) entry.map = map;
        const formatted = member(members, 'formatted');
        if (formatted !== undefined && formatted.kind === 'object') entry.formatted = toBtf(formatted);
        emit({ kind: 'entry', entry });
        return repeated;
      }
      if (value === undefined && values === undefined) {
        emit({ kind: 'malformed', reason: 'entry has a key but no value', text: render({ kind: 'object', members } as BuildObject as BtfNode, { left: 200 }), line });
        return repeated;
      }
    }
    // BTF plain form: typed trees instead of byte arrays.
    const ev: Extract<DumpEvent, { kind: 'btf' }> = { kind: 'btf', key: toBtf(key), line };
    if (value !== undefined) ev.value = toBtf(value);
    if (values !== undefined) {
      const list: { cpu: number; value: BtfNode }[] = [];
      const items = values.kind === 'array' ? (values.items as Node[]) : [];
      for (let k = 0; k < items.length; k++) {
        const it = items[k];
        const m = it.kind === 'object' ? (it.members as [string, Node][]) : [];
        const v = member(m, 'value');
        list.push({ cpu: numberValue(member(m, 'cpu')) ?? k, value: v === undefined ? toBtf(it) : toBtf(v) });
      }
      ev.values = list;
    }
    if (map !== undefined) ev.map = map;
    emit(ev);
    return repeated;
  }
  if (error !== undefined && error.kind === 'string') {
    // `{"error":"..."}`: the JSON form of bpftool's `Error: ...`.
    emit({ kind: 'error', message: error.value, line });
    return repeated;
  }
  if (value !== undefined || values !== undefined) {
    // A value without a key: an element whose `"key"` name was mangled (`{"]key":[..],..}`).
    emit({ kind: 'malformed', reason: 'an element has a value but no "key" member', text: render({ kind: 'object', members } as BuildObject as BtfNode, { left: 200 }), line });
    return repeated;
  }
  // Valid JSON, but not map contents (`map show -j`, `version -j`, ...): reported, not decoded.
  emit({ kind: 'noise', text: render({ kind: 'object', members } as BuildObject as BtfNode, { left: 200 }), line });
  return repeated;
}
