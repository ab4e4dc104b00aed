/**
 * From bpftool events to typed records: picks the map (named, or identified by key/value sizes),
 * decodes keys and values with the catalogue's layout, de-duplicates repeated keys, and keeps a
 * summary of everything that was skipped or odd. Synchronous and batch-oriented so the streaming
 * wrapper adds no per-entry async cost.
 */
import type { DumpEvent, MapHeader, RawEntry } from '../bpftool/events';
import { MAPS, layoutsOf, mapsBySize, resolveMap, usedBy, withEntryFields, type MapDefinition, type MapSpec } from '../cilium/catalog';
import { formatRange, parseVersion } from '../cilium/versions';
import type { AnySchema, DecodeOptions, Endian, PaddingNotice } from '../schema/index';
import { CodecError } from '../schema/errors';
import type { BtfNode } from '../bpftool/events';
import { btfToBytes, type UnplacedMember } from './btf-bytes';
import { chooseByBtf } from './btf-layout';
import { KeySet, Seen } from './key-set';
import { DumpError, FirstOccurrences, IssueLog, safeText, type DumpIssue, type PaddingIssue } from './diagnostics';

/**
 * One decoded map element. `K`/`V` are the key and value record types: those of the map's
 * schemas when the map is named by a literal (see {@link MapRecord}), plain records otherwise.
 */
export interface DecodedRecord<K = Record<string, unknown>, V = Record<string, unknown>> {
  key: K;
  /** Ordinary maps. */
  value?: V;
  /** Per-CPU maps. */
  values?: { cpu: number; value: V }[];
  /** Per-CPU maps whose catalogue entry sums the CPUs (`cilium_metrics`): the total. */
  sum?: V;
  /** `map getnext` output: the key after `key`. */
  next_key?: K;
  /** Catalogue name of the map, set only for multi-map dumps. */
  map?: string;
  /** 1-based input line where the entry started. */
  line: number;
}

/** Options of {@link DumpDecoder}. */
export interface DumpDecoderOptions {
  /** Map name, alias or pinned path. Omitted: identified from the key/value sizes. */
  map?: string;
  /** Cilium version (`1.12`, `1.16.0`, `main`); default the newest layout of the map. */
  version?: string;
  /** Host byte order of the node the dump came from. */
  endian?: Endian;
  /** Any skipped or malformed entry, or non-zero padding, throws a DumpError. */
  strict?: boolean;
  /** Drop repeated keys (a dump of a changing map repeats them). Default true. */
  dedupe?: boolean;
  /**
   * Size in bytes of the whole input, when known (a file's size): the de-duplication set is then
   * sized once for the entries that many bytes of plain bpftool text can hold, instead of being
   * grown by doubling (113 ms of a 512k-entry ipcache run). Only a hint: any size is correct.
   */
  inputBytes?: number;
  /**
   * Hands each entry that is due to be decoded (right sizes, not a repeat; one value, not per-CPU)
   * to the caller instead of decoding it: the caller decodes it elsewhere (a worker thread,
   * parallel.ts) and reports back with {@link DumpDecoder.countDeferred} or, for an entry that
   * needs the decoder's bookkeeping (a padding notice, a decode error), {@link DumpDecoder.decodeDeferred}.
   * `key`/`value` are scratch buffers: copy them before returning; `order` is the entry's place
   * in the input, to give back with it. `out` holds the records
   * decoded here since the caller last took them, all of which come before this entry: take them
   * now to keep input order. Ignored in strict mode (which must stop at the first problem).
   */
  defer?: (spec: MapSpec, key: Uint8Array, value: Uint8Array, line: number, order: number, out: DecodedRecord[]) => void;
}

/**
 * Entries that `bytes` of bpftool output can hold at most, for a `keySize`/`valueSize` map:
 * plain text spends 3 characters per byte (`0a `) and 12 on `key:`/`value:` lines (JSON more).
 * Capped so a huge hint cannot reserve more than 2^22 entries up front.
 */
function entriesIn(bytes: number | undefined, keySize: number, valueSize: number): number | undefined {
  if (bytes === undefined || !(bytes > 0)) return undefined;
  return Math.min(2 ** 22, Math.ceil(bytes / (3 * (keySize + valueSize) + 12)));
}

/** What happened in a whole dump. */
export interface DumpSummary {
  /** The map (or maps, for a multi-map dump) the entries were decoded as. */
  maps: { name: string; key: string; value: string; versions: string }[];
  /** Records produced. */
  records: number;
  /** Entries whose key had already been seen with the same value (dropped). */
  repeatedKeys: number;
  /** Entries whose key had been seen with a different value (emitted again: the later one wins). */
  changedKeys: number;
  /** Sum of `Found N` trailers, if any were seen. */
  found?: number;
  /** Entries that were not decoded. */
  skipped: number;
  issues: DumpIssue[];
  padding: PaddingIssue[];
}

interface Section {
  spec?: MapSpec;
  header?: MapHeader;
  raw: number; // entries with values, as bpftool counts for `Found N`
  /** The layout was looked up by BTF member names already (once per section). */
  byNames?: boolean;
}

/** Decodes bpftool events into records. Feed event batches with `push`, then call `finish`. */
export class DumpDecoder {
  private readonly opts: DumpDecoderOptions;
  private readonly fixed?: MapSpec;
  private section: Section = { raw: 0 };
  private multi = false;
  private readonly issues = new IssueLog();
  private readonly padding = new FirstOccurrences<PaddingIssue>();
  // Seen keys per map — the kernel map id of a multi-map dump's header, else the catalogue map (a
  // multi-map dump may hold equal keys in two maps: neither is a repeat of the other) — then per
  // key and value size.
  private readonly seen = new Map<string, Map<number, KeySet>>();
  private seenFor: { map: string | undefined; sets: Map<number, KeySet> } = { map: undefined, sets: new Map() };
  private readonly usedMaps = new Map<string, DumpSummary['maps'][number]>();
  private records = 0;
  private repeated = 0;
  private changed = 0;
  private found?: number;
  private foundMismatch: string[] = [];
  private skipped = 0;
  /** Events that only bpftool prints were seen (entries, trailers, headers, its errors, ...). */
  private bpftoolSeen = false;
  private line = 0;
  private readonly decodeOpts: DecodeOptions;
  private padSchema?: AnySchema;
  private padRole: 'key' | 'value' = 'key';
  /** Two per entry: issues of entry n are at 2n, those of the lines after it at 2n + 1 (IssueLog.at). */
  private order = 0;
  /** The spec of the entry being decoded (deferred entries carry their own). */
  private padSpec?: MapSpec;
  private readonly defer?: DumpDecoderOptions['defer'];

  constructor(opts: DumpDecoderOptions = {}) {
    this.opts = opts;
    if (opts.version !== undefined) parseVersion(opts.version); // usage errors surface at once
    if (opts.map !== undefined) this.fixed = resolveMap(opts.map, opts.version, { endian: opts.endian });
    this.section.spec = this.fixed;
    this.decodeOpts = { onPadding: (n) => this.onPadding(n) };
    if (!opts.strict) this.defer = opts.defer;
  }

  /** The map spec in use (after the first entry when the map was not named). */
  get spec(): MapSpec | undefined {
    return this.section.spec;
  }

  /** Decodes a batch of events, appending records to `out`. */
  push(events: readonly DumpEvent[], out: DecodedRecord[]): void {
    for (const ev of events) {
      this.issues.at = this.order + 1;
      if (ev.kind !== 'noise') this.bpftoolSeen = true;
      switch (ev.kind) {
        case 'entry':
          this.entry(ev.entry, out);
          break;
        case 'trailer':
          this.trailer(ev.count, ev.line);
          break;
        case 'map':
          this.multi = true;
          this.section = { header: ev.header, raw: 0, spec: this.fixed };
          break;
        case 'not-found':
          this.issue('not-found', 'nf', ev.line, false, () => `line ${ev.line}: bpftool found no entry for the key it was given (map lookup: Not found)`);
          break;
        case 'getnext':
          this.getnext(ev.key, ev.nextKey, ev.line, out);
          break;
        case 'error':
          this.issue('bpftool-error', ev.message, ev.line, false, () => `line ${ev.line}: bpftool reported an error: ${ev.message}`);
          break;
        case 'noise':
          this.issues.add('noise', 'noise', ev.line, false, () => `line ${ev.line}: not bpftool output, ignored: ${JSON.stringify(ev.text.slice(0, 80))}`);
          break;
        case 'malformed': {
          const message = (): string => `line ${ev.line}: ${ev.reason}${ev.text ? `: ${JSON.stringify(ev.text.slice(0, 80))}` : ''}`;
          // Stray text broke the input but cost no entry: reported (and fails the run), not counted as skipped.
          if (ev.stray) this.issue('malformed', ev.reason, ev.line, false, message);
          else this.skip('malformed', ev.reason, ev.line, message);
          break;
        }
        case 'binary':
          throw new DumpError(`line ${ev.line}: the input is binary, not bpftool's text output (a NUL byte at offset ${ev.offset}); reading stopped there`, ev.line, 'binary');
        case 'btf':
          this.btf(ev, out);
          break;
      }
    }
  }

  private entry(e: RawEntry, out: DecodedRecord[]): void {
    if (e.error !== undefined) {
      this.line = e.line;
      this.skip('lookup-error', e.error, e.line, () => `line ${e.line}: bpftool could not read the value of this key (${e.error}); the entry was deleted while the map was dumped`);
      return;
    }
    if (e.formatted && !this.section.byNames && e.formatted.kind === 'object') {
      const m = e.formatted.members;
      const key = m.find(([n]) => n === 'key')?.[1];
      const value = m.find(([n]) => n === 'value')?.[1] ?? firstCpuValue(m.find(([n]) => n === 'values')?.[1]);
      if (key) this.pickByNames(key, value, e.line, e.map);
    }
    this.decodeEntry(e.key, e.value, e.values, e.line, e.map, out);
  }

  /**
   * BTF member names (plain BTF dumps, the `formatted` part of `-j`/`-p`) pick the map's layout,
   * once per section: the names are what the binary was built with. A named version that the
   * names contradict is reported, and the names win.
   */
  private pickByNames(key: BtfNode, value: BtfNode | undefined, line: number, entryMap: MapHeader | undefined): void {
    this.section.byNames = true;
    const header = this.section.header ?? entryMap;
    let maps = this.fixed ? [this.fixed.def] : MAPS;
    if (!this.fixed && header?.name) {
      const byName = MAPS.filter((m) => m.name.startsWith(header.name!));
      if (byName.length > 0) maps = byName;
    }
    const choice = chooseByBtf(maps, key, value, this.opts.endian ?? 'le');
    if (!choice || (choice.ties > 0 && !this.fixed)) return;
    const was = this.section.spec;
    const named = this.opts.version !== undefined && was !== undefined;
    if (named && (choice.spec.key.label !== was.key.label || choice.spec.value.label !== was.value.label || choice.spec.name !== was.name)) {
      const chosen = choice.spec;
      this.issue('btf', 'version', line, false, () =>
        `line ${line}: the BTF member names fit ${chosen.name} ${chosen.key.label} / ${chosen.value.label} (Cilium ${chosen.layoutVersions.map(formatRange).join(', ')}), not the layout of Cilium ${this.opts.version} (${was.key.label} / ${was.value.label}); decoded by the names`,
      );
    }
    this.section.spec = choice.spec;
  }

  /**
   * One entry from the text fast path: `key`/`value` are scratch buffers the parser reuses, so
   * everything is decoded (and the key copied into the de-duplication set) before returning.
   */
  pushEntry(key: Uint8Array, value: Uint8Array, line: number, out: DecodedRecord[]): void {
    this.decodeEntry(key, value, undefined, line, undefined, out);
  }

  private decodeEntry(keyBytes: Uint8Array, valueBytes: Uint8Array | undefined, cpuValues: RawEntry['values'], line: number, header: MapHeader | undefined, out: DecodedRecord[]): void {
    this.line = line;
    this.bpftoolSeen = true;
    this.section.raw++;
    this.order += 2;
    this.issues.at = this.order;
    const spec = this.section.spec ?? this.identify(keyBytes, valueBytes, cpuValues, line, header);
    if (!spec) return;
    // Every CPU's value must have the size too: the longest or shortest one is the one reported.
    let valueLen = valueBytes ? valueBytes.length : cpuValues?.[0]?.value.length ?? 0;
    if (cpuValues) for (const cv of cpuValues) if (cv.value.length !== spec.value.sizeof) valueLen = cv.value.length;
    if (keyBytes.length !== spec.key.sizeof || valueLen !== spec.value.sizeof) {
      this.skip('size', `${keyBytes.length}/${valueLen}`, line, () => sizeMessage(spec, line, keyBytes.length, valueLen));
      return;
    }
    // De-duplicate: a dump restarted by get_next_key on a changing map repeats keys
    // (test/fixtures/bpftool-formats). Keys live in a compact byte-arena hash set (key-set.ts).
    if (this.opts.dedupe !== false) {
      // Repeats compare the whole value (every CPU's, for per-CPU maps), never a hash of it.
      const value = valueBytes ?? joinValues(cpuValues!);
      const sizes = keyBytes.length * 0x1000000 + value.length;
      const hdr = this.section.header ?? header;
      const map = hdr ? `id ${hdr.id}` : spec.def.name;
      if (this.seenFor.map !== map) {
        let sets = this.seen.get(map);
        if (!sets) this.seen.set(map, (sets = new Map()));
        this.seenFor = { map, sets };
      }
      const sets = this.seenFor.sets;
      let set = sets.get(sizes);
      if (!set) sets.set(sizes, (set = new KeySet(keyBytes.length, value.length, entriesIn(this.opts.inputBytes, keyBytes.length, value.length))));
      const seen = set.add(keyBytes, value);
      if (seen === Seen.SameValue) {
        this.repeated++;
        return;
      }
      if (seen === Seen.ChangedValue) this.changed++;
    }
    if (valueBytes && this.defer && !this.multi) {
      this.defer(spec, keyBytes, valueBytes, line, this.order, out);
      return;
    }
    this.decodeBytes(spec, keyBytes, valueBytes, cpuValues, line, out);
  }

  /**
   * Decodes an entry that {@link DumpDecoderOptions.defer} was given, with the decoder's own
   * bookkeeping (padding notices, decode errors at `line`); the record, if any, goes to `out`.
   */
  decodeDeferred(spec: MapSpec, key: Uint8Array, value: Uint8Array, line: number, order: number, out: DecodedRecord[]): void {
    this.issues.at = order;
    this.decodeBytes(spec, key, value, undefined, line, out);
    this.issues.at = this.order + 1;
  }

  /** Counts `n` deferred entries that were decoded elsewhere without any notice, as records. */
  countDeferred(n: number): void {
    this.records += n;
  }

  private decodeBytes(spec: MapSpec, keyBytes: Uint8Array, valueBytes: Uint8Array | undefined, cpuValues: RawEntry['values'], line: number, out: DecodedRecord[]): void {
    this.line = line;
    this.padSpec = spec;
    let rec: DecodedRecord;
    try {
      this.padSchema = spec.key;
      this.padRole = 'key';
      const key = spec.key.decode(keyBytes, this.decodeOpts) as Record<string, unknown>;
      this.padSchema = spec.value;
      this.padRole = 'value';
      if (valueBytes) {
        const value = withEntryFields(spec, key, spec.value.decode(valueBytes, this.decodeOpts) as Record<string, unknown>);
        rec = { key, value, line };
      } else {
        const values = cpuValues!.map((cv) => ({ cpu: cv.cpu, value: spec.value.decode(cv.value, this.decodeOpts) as Record<string, unknown> }));
        rec = { key, values, line };
        if (spec.sumValues) rec.sum = spec.sumValues(values);
      }
    } catch (err) {
      if (err instanceof DumpError) throw err;
      if (!(err instanceof CodecError)) throw err;
      this.skip('decode', err.message.replace(/^cilium-map-codec: /, '').replace(/ @ offset.*$/, ''), line, () => `line ${line}: cannot decode as ${spec.name}: ${err.message.replace(/^cilium-map-codec: /, '')}`);
      return;
    }
    if (this.multi) rec.map = spec.name;
    this.records++;
    out.push(rec);
  }

  /** A BTF-formatted entry: rebuild its bytes by member name, then decode like any entry. */
  private btf(ev: Extract<DumpEvent, { kind: 'btf' }>, out: DecodedRecord[]): void {
    if (!this.section.byNames) this.pickByNames(ev.key, ev.value ?? ev.values?.[0]?.value, ev.line, ev.map);
    const spec = this.section.spec;
    if (!spec) {
      this.skip('btf', 'no-map', ev.line, () => `line ${ev.line}: the member names of this BTF-formatted output (typed JSON without raw bytes) fit no single known map; name the map (e.g. decode-map cilium_lxc)`);
      return;
    }
    let entry: RawEntry;
    const unplacedKey: UnplacedMember[] = [];
    const unplacedValue: UnplacedMember[] = [];
    try {
      const endian = this.opts.endian ?? 'le';
      const key = btfToBytes(ev.key, spec.key, endian, unplacedKey);
      if (ev.values) entry = { key, values: ev.values.map((cv) => ({ cpu: cv.cpu, value: btfToBytes(cv.value, spec.value, endian, unplacedValue) })), line: ev.line };
      else if (ev.value) entry = { key, value: btfToBytes(ev.value, spec.value, endian, unplacedValue), line: ev.line };
      else {
        this.skip('btf', 'no-value', ev.line, () => `line ${ev.line}: BTF-formatted entry without a value`);
        return;
      }
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      this.skip('btf', err.message, ev.line, () => `line ${ev.line}: cannot map the BTF-formatted entry onto ${spec.name}: ${err.message.replace(/^cilium-map-codec: /, '')}`);
      return;
    }
    // Members the layout has no field for are reported like non-zero padding: same data, no place.
    this.line = ev.line;
    this.padSpec = spec;
    for (const [role, list, schema] of [['key', unplacedKey, spec.key], ['value', unplacedValue, spec.value]] as const) {
      this.padRole = role;
      this.padSchema = schema;
      for (const u of list) this.onPadding({ schema: schema.label, field: `${u.name} (BTF member = ${u.text})`, offset: -1, size: 0, bytes: new Uint8Array(0) }, u.name);
    }
    this.entry(entry, out);
  }

  private getnext(key: Uint8Array | null, next: Uint8Array, line: number, out: DecodedRecord[]): void {
    const spec = this.section.spec;
    if (!spec) {
      this.skip('decode', 'getnext', line, () => `line ${line}: getnext output has no value to identify the map by; name the map`);
      return;
    }
    try {
      const rec: DecodedRecord = { key: key ? (spec.key.decode(key) as Record<string, unknown>) : {}, next_key: spec.key.decode(next) as Record<string, unknown>, line };
      this.records++;
      out.push(rec);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      this.skip('decode', 'getnext', line, () => `line ${line}: cannot decode getnext keys as ${spec.name}: ${err.message}`);
    }
  }

  private trailer(count: number, line: number): void {
    this.found = (this.found ?? 0) + count;
    if (count !== this.section.raw) {
      this.foundMismatch.push(`line ${line}: bpftool said "Found ${count} element${count === 1 ? '' : 's'}" but ${this.section.raw} entries with values were read${this.section.raw < count ? ' (input cut short?)' : ''}`);
    }
    // The trailer ends one dump; another may follow (several outputs concatenated).
    this.section.raw = 0;
  }

  /** Picks the map from the entry's sizes (and the multi-map header's 15-character name). */
  private identify(keyBytes: Uint8Array, valueBytes: Uint8Array | undefined, cpuValues: RawEntry['values'], line: number, entryMap: MapHeader | undefined): MapSpec | undefined {
    const valueLen = valueBytes ? valueBytes.length : cpuValues?.[0]?.value.length ?? 0;
    let cands = mapsBySize(keyBytes.length, valueLen);
    const header = this.section.header ?? entryMap;
    // A `map show` header (`12: hash  name cilium_lb4_reve  flags 0x1`, plain or JSON) names the
    // map (cut to 15 characters by the kernel) and its type: both pick among maps of one size.
    if (header?.name && cands.length > 1) {
      const byName = cands.filter((m) => m.name.startsWith(header.name!));
      if (byName.length > 0) cands = byName;
    }
    if (header?.type && cands.length > 1) {
      const byType = cands.filter((m) => m.type === header.type);
      if (byType.length > 0) cands = byType;
    }
    if (this.opts.version !== undefined && cands.length > 1) {
      const v = parseVersion(this.opts.version);
      const byVersion = cands.filter((m) => usedBy(m, v));
      if (byVersion.length > 0) cands = byVersion;
    }
    if (cands.length === 1) {
      const spec = resolveMap(cands[0]!.name, this.opts.version, { endian: this.opts.endian });
      this.section.spec = spec;
      return spec;
    }
    if (cands.length === 0) {
      throw new DumpError(
        `line ${line}: no known Cilium map has ${keyBytes.length}-byte keys and ${valueLen}-byte values; known sizes: ${MAPS.map((m) => `${m.name} ${m.keySize}/${m.valueSize}`).join(', ')}`,
        line,
        'unknown-map',
      );
    }
    throw new DumpError(
      `line ${line}: ${keyBytes.length}-byte keys and ${valueLen}-byte values fit several maps: ${cands.map((m) => m.name).join(', ')}; name one (e.g. decode-map ${cands[0]!.aliases[0] ?? cands[0]!.name})`,
      line,
      'ambiguous-map',
    );
  }

  private onPadding(n: PaddingNotice, member?: string): void {
    const spec = this.padSpec ?? this.section.spec!;
    const id = `${n.schema}\u0000${member ?? n.field}`;
    // Deferred entries can be decoded after later ones: the earliest one is the one named.
    if (this.padding.again(id, this.line, this.issues.at)) return;
    const meaning = member !== undefined ? memberMeaning(spec.def, this.padRole, member) : paddingMeaning(spec.def, this.padRole, this.padSchema!, n.offset, n.size);
    const issue: PaddingIssue = { schema: n.schema, field: n.field, offset: n.offset, size: n.size, count: 1, line: this.line, meaning };
    if (this.opts.strict) {
      throw new DumpError(`line ${this.line}: ${paddingMessage(spec, issue)}`, this.line, 'padding');
    }
    this.padding.first(id, issue, this.issues.at);
  }

  private skip(kind: DumpIssue['kind'], sig: string, line: number, message: () => string): void {
    this.skipped++;
    if (this.opts.strict) throw new DumpError(message(), line, kind);
    this.issues.add(kind, sig, line, true, message);
  }

  private issue(kind: DumpIssue['kind'], sig: string, line: number, skipped: boolean, message: () => string): void {
    if (this.opts.strict && kind !== 'not-found') throw new DumpError(message(), line, kind);
    this.issues.add(kind, sig, line, skipped, message);
  }

  /** The summary of everything pushed so far. */
  finish(): DumpSummary {
    const issues = this.issues.list();
    for (const m of this.foundMismatch) {
      // Repeated keys are counted by bpftool every time, so only a shortfall is suspicious.
      issues.push({ kind: 'malformed', message: m, line: 0, count: 1, skipped: false });
    }
    if (!this.bpftoolSeen) {
      issues.push({ kind: 'no-entries', message: 'no bpftool entries found: the input holds no bpftool map output (map dump, lookup, getnext; plain, -j or -p)', line: 0, count: 1, skipped: false });
    }
    const spec = this.section.spec;
    if (spec) this.usedMaps.set(spec.name, describeSpec(spec));
    return {
      maps: [...this.usedMaps.values()],
      records: this.records,
      repeatedKeys: this.repeated,
      changedKeys: this.changed,
      found: this.found,
      skipped: this.skipped,
      issues,
      padding: this.padding.list(),
    };
  }

  /** Human-readable summary lines for stderr (empty when there is nothing to say). */
  static describe(summary: DumpSummary, spec?: MapSpec): string[] {
    const lines: string[] = [];
    for (const i of summary.issues) {
      lines.push(i.count > 1 ? `${i.message} (and ${i.count - 1} more like it)` : i.message);
    }
    if (summary.repeatedKeys > 0 || summary.changedKeys > 0) {
      lines.push(
        `${summary.repeatedKeys + summary.changedKeys} repeated key${summary.repeatedKeys + summary.changedKeys === 1 ? '' : 's'} (the map changed while bpftool walked it): ${summary.repeatedKeys} identical repeat${summary.repeatedKeys === 1 ? '' : 's'} dropped${summary.changedKeys ? `, ${summary.changedKeys} with a different value printed again (the later one wins)` : ''}; ${summary.records} distinct entries${summary.found !== undefined ? ` vs "Found ${summary.found}"` : ''}`,
      );
    }
    // Padding notes name BTF members, which come from the input.
    for (const p of summary.padding) lines.push(safeText(paddingMessage(spec, p)));
    if (summary.skipped > 0) lines.push(`${summary.skipped} entr${summary.skipped === 1 ? 'y was' : 'ies were'} skipped`);
    return lines;
  }
}

function describeSpec(spec: MapSpec): DumpSummary['maps'][number] {
  return { name: spec.name, key: spec.key.label, value: spec.value.label, versions: spec.layoutVersions.map(formatRange).join(', ') };
}

function sizeMessage(spec: MapSpec, line: number, k: number, v: number): string {
  const fits = mapsBySize(k, v).map((m) => m.name);
  const hint = fits.length ? `; those sizes fit ${fits.join(', ')} — try: decode-map ${fits[0]}` : '; no known map has those sizes (is the input cut or from another tool?)';
  return `line ${line}: ${spec.name} entries have ${spec.key.sizeof}-byte keys and ${spec.value.sizeof}-byte values (${spec.key.label}, ${spec.value.label}), but this entry has a ${k}-byte key and a ${v}-byte value${hint}`;
}

function paddingMessage(spec: MapSpec | undefined, p: PaddingIssue): string {
  const where = p.offset < 0 ? `${p.field}, which ${p.schema} has no field for` : `bytes ${p.offset}-${p.offset + p.size - 1} (${p.field}) of ${p.schema}`;
  const meaning = p.meaning.length
    ? `; in other Cilium versions they hold ${p.meaning.join('; ')} — check --cilium-version`
    : '; no known Cilium version uses them';
  return `${p.count} entr${p.count === 1 ? 'y has' : 'ies have'} non-zero ${p.offset < 0 ? 'data in' : 'padding in'} ${where}, first at line ${p.line}${meaning}${spec ? ` (decoded as ${spec.name} ${spec.version ? `for Cilium ${spec.version.text}` : 'with the newest layout'})` : ''}`;
}

/** Which fields other layouts of the map keep in a byte range that is padding in this one. */
export function paddingMeaning(def: MapDefinition, role: 'key' | 'value', schema: AnySchema, offset: number, size: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const described = layoutsOf(def);
  def.layouts.forEach((l, i) => {
    const s = role === 'key' ? l.key : l.value;
    if (s.label === schema.label && s.header === schema.header) return;
    for (const f of s.layout) {
      if (f.padding || f.offset + f.size <= offset || f.offset >= offset + size) continue;
      const text = `${f.name} in ${described[i]!.versions} (${s.label})`;
      if (!seen.has(text)) out.push(text);
      seen.add(text);
    }
  });
  return out;
}

/** Which layouts of the map have a field of this name. */
function memberMeaning(def: MapDefinition, role: 'key' | 'value', name: string): string[] {
  const described = layoutsOf(def);
  const out: string[] = [];
  def.layouts.forEach((l, i) => {
    const s = role === 'key' ? l.key : l.value;
    if (s.layout.some((f) => f.name === name && !f.padding)) out.push(`${name} in ${described[i]!.versions} (${s.label})`);
  });
  return out;
}

/** The first CPU's value of a BTF `values` array (`[{"cpu":0,"value":..},..]`). */
function firstCpuValue(values: BtfNode | undefined): BtfNode | undefined {
  const first = values?.kind === 'array' ? values.items[0] : undefined;
  return first?.kind === 'object' ? first.members.find(([n]) => n === 'value')?.[1] : undefined;
}

/** All CPUs' values as one byte string (CPU number, 4 bytes LE, then the value, per CPU). */
function joinValues(values: { cpu: number; value: Uint8Array }[]): Uint8Array {
  let n = 0;
  for (const v of values) n += 4 + v.value.length;
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (const v of values) {
    dv.setUint32(p, v.cpu >>> 0, true);
    out.set(v.value, p + 4);
    p += 4 + v.value.length;
  }
  return out;
}

