/**
 * Whole bpftool command lines for one map element: `lookup`, `update`, `delete`, `getnext`.
 *
 * bpftool is told nothing about Cilium: these functions take a map name or pinned path and byte
 * arrays. Keys and values are written `key hex 40 00 …`, one token per byte, which is what
 * bpftool's `parse_bytes` reads (map.c; test/fixtures/bpftool-formats). A bare map name is pinned where
 * Cilium pins every map, `<bpffs>/tc/globals/<name>` (`MapPath`/`TCGlobalsPath` in
 * `pkg/bpf/bpffs_linux.go` and `pkg/defaults`).
 *
 * Two renderings of the same argument vector:
 * - {@link shellCommand}: POSIX shell words, quoted only when needed (single quotes, `'` written
 *   `'\''`), so the line pastes into a shell and after `kubectl exec … --`.
 * - {@link batchLine}: a line of a `bpftool batch file` (no leading `bpftool`). bpftool splits
 *   those lines itself (`make_args` in bpftool's main.c): words are separated by blanks; a word that
 *   *starts* with `'` or `"` runs to the next same quote, with no escapes; a `#` anywhere starts a
 *   comment; a line ending in `\` continues on the next.
 */
import { CodecError } from '../schema/errors';
import { bytesToHex } from './hex';

/** Where Cilium pins its maps (bpffs mounted at `/sys/fs/bpf`, then `tc/globals`). */
export const CILIUM_PIN_DIR = '/sys/fs/bpf/tc/globals';

/** `bpftool map update` flags: `BPF_ANY`, `BPF_EXIST`, `BPF_NOEXIST`. */
export type UpdateFlag = 'any' | 'exist' | 'noexist';

/** The update flags bpftool knows (`parse_elem` in map.c). */
export const UPDATE_FLAGS: readonly UpdateFlag[] = ['any', 'exist', 'noexist'];

/** One element operation. */
export type MapOperation =
  | { op: 'lookup'; key: Uint8Array }
  | { op: 'delete'; key: Uint8Array }
  /** Without a key, bpftool prints the first key (`key: None`). */
  | { op: 'getnext'; key?: Uint8Array }
  | { op: 'update'; key: Uint8Array; value: Uint8Array; flag?: UpdateFlag };

/** Where the map is and how to call bpftool. */
export interface CommandOptions {
  /** The map's full pinned path; overrides the name given and `pinDir`. */
  pin?: string;
  /** Directory of pinned maps for a bare map name. Default {@link CILIUM_PIN_DIR}. */
  pinDir?: string;
  /** The bpftool executable for {@link shellCommand} forms. Default `bpftool`. */
  bpftool?: string;
  /** Words put before the bpftool command, e.g. `['kubectl', 'exec', '-n', 'kube-system', 'ds/cilium', '--']`. */
  prefix?: readonly string[];
}

/** An argument that no command line can carry (a NUL byte, a `#` in a batch line, …). */
export class CommandError extends CodecError {
  override name = 'CommandError';
}

/**
 * The pinned path bpftool is given: `opts.pin`, a `map` that already is a path (contains `/`),
 * or `<pinDir>/<map>` (default `/sys/fs/bpf/tc/globals/<map>`).
 */
export function pinnedPath(map: string, opts: CommandOptions = {}): string {
  if (opts === null || typeof opts !== 'object') throw new CommandError(`options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  if (opts.pin !== undefined && typeof opts.pin !== 'string') throw new CommandError(`pin must be a path string, got ${typeof opts.pin}`);
  if (opts.pinDir !== undefined && typeof opts.pinDir !== 'string') throw new CommandError(`pinDir must be a directory string, got ${typeof opts.pinDir}`);
  if (opts.pin !== undefined && opts.pin !== '') return opts.pin;
  if (typeof map !== 'string') throw new CommandError(`the map must be a name or pinned path string, got ${map === null ? 'null' : typeof map}`);
  if (map === '') throw new CommandError('no map name or pinned path given');
  if (map.includes('/')) return map;
  const dir = opts.pinDir ?? CILIUM_PIN_DIR;
  return `${dir.replace(/\/+$/, '')}/${map}`;
}

function hexWords(label: 'key' | 'value', bytes: Uint8Array | undefined): string[] {
  if (!(bytes instanceof Uint8Array)) throw new CommandError(`${label}: expected a Uint8Array of bytes`);
  if (bytes.length === 0) throw new CommandError(`${label}: bpftool needs at least one byte`);
  return [label, 'hex', ...bytesToHex(bytes).split(' ')];
}

/**
 * The argument vector after `bpftool`: `map lookup pinned PATH key hex 40 00 …`, and for updates
 * `… value hex … [any|exist|noexist]`.
 */
export function mapCommandArgs(map: string, operation: MapOperation, opts: CommandOptions = {}): string[] {
  if (operation === null || typeof operation !== 'object') throw new CommandError(`expected a map operation object ({ op, key, … }), got ${operation === null ? 'null' : typeof operation}`);
  const out = ['map', operation.op, 'pinned', pinnedPath(map, opts)];
  switch (operation.op) {
    case 'lookup':
    case 'delete':
      out.push(...hexWords('key', operation.key));
      break;
    case 'getnext':
      if (operation.key !== undefined) out.push(...hexWords('key', operation.key));
      break;
    case 'update':
      out.push(...hexWords('key', operation.key), ...hexWords('value', operation.value));
      if (operation.flag !== undefined) {
        if (!UPDATE_FLAGS.includes(operation.flag)) throw new CommandError(`update flag ${JSON.stringify(operation.flag)} is not one of ${UPDATE_FLAGS.join(', ')}`);
        out.push(operation.flag);
      }
      break;
    default:
      throw new CommandError(`unknown map operation ${JSON.stringify((operation as { op: unknown }).op)}`);
  }
  return out;
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One POSIX shell word: unchanged when it has only safe characters, otherwise in single quotes
 * with each `'` written `'\''` (POSIX XCU 2.2.2: nothing inside single quotes is special).
 */
export function shellQuote(word: string): string {
  if (typeof word !== 'string') throw new CommandError(`a shell word must be a string, got ${word === null ? 'null' : typeof word}`);
  if (word.includes('\0')) throw new CommandError('a shell word cannot contain a NUL byte');
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Shell words joined by spaces, each quoted by {@link shellQuote}. */
export function shellCommand(words: readonly string[]): string {
  if (!Array.isArray(words)) throw new CommandError('expected an array of words');
  return words.map(shellQuote).join(' ');
}

/**
 * One word of a `bpftool batch file` line. bpftool's `make_args` has no escapes, so a word with a
 * blank (or one that starts with a quote) is wrapped in whichever quote it does not contain.
 *
 * @throws {@link CommandError} for words bpftool cannot read back: with both quote kinds and a
 *   blank, with `#` (cut as a comment before splitting), a newline, a `\` (a trailing one joins
 *   lines), or a NUL.
 */
export function batchQuote(word: string): string {
  if (typeof word !== 'string') throw new CommandError(`a batch word must be a string, got ${word === null ? 'null' : typeof word}`);
  if (/[\0\n#\\]/.test(word)) throw new CommandError(`${JSON.stringify(word)} cannot be written in a bpftool batch file (it has a NUL, newline, "#" or "\\")`);
  const needs = word === '' || /[ \t\r]/.test(word) || word.startsWith("'") || word.startsWith('"');
  if (!needs) return word;
  if (!word.includes("'")) return `'${word}'`;
  if (!word.includes('"')) return `"${word}"`;
  throw new CommandError(`${JSON.stringify(word)} has blanks and both quote characters; bpftool batch files cannot carry it`);
}

/**
 * The longest batch line, newline not counted: bpftool reads lines into a `BATCH_LINE_LEN_MAX`
 * (65536) buffer with `fgets` and gives up (E2BIG) when one fills it to 65535 characters.
 */
export const BATCH_LINE_MAX = 65533;

/**
 * A line for `bpftool batch file F` (no leading `bpftool`): `map update pinned PATH key hex … value hex …`.
 * Write one per line; bpftool stops at the first failing line and prints `processed N commands`
 * only when all succeeded (test/fixtures/bpftool-formats).
 */
export function batchLine(map: string, operation: MapOperation, opts: CommandOptions = {}): string {
  const line = mapCommandArgs(map, operation, opts).map(batchQuote).join(' ');
  if (line.length > BATCH_LINE_MAX) throw new CommandError(`batch line of ${line.length} characters is longer than bpftool reads (${BATCH_LINE_MAX})`);
  return line;
}

function full(map: string, operation: MapOperation, opts: CommandOptions): string {
  const args = mapCommandArgs(map, operation, opts);
  if (opts.prefix !== undefined && !Array.isArray(opts.prefix)) throw new CommandError('prefix must be an array of words');
  return shellCommand([...(opts.prefix ?? []), opts.bpftool ?? 'bpftool', ...args]);
}

/** `bpftool map lookup pinned /sys/fs/bpf/tc/globals/<map> key hex …` (a miss prints `Not found`, rc 254). */
export function lookupCommand(map: string, key: Uint8Array, opts: CommandOptions = {}): string {
  return full(map, { op: 'lookup', key }, opts);
}

/** `bpftool map delete pinned … key hex …` (a missing key fails with rc 254). */
export function deleteCommand(map: string, key: Uint8Array, opts: CommandOptions = {}): string {
  return full(map, { op: 'delete', key }, opts);
}

/** `bpftool map getnext pinned … [key hex …]`: the key after `key`, or the first key without one. */
export function getnextCommand(map: string, key?: Uint8Array, opts: CommandOptions = {}): string {
  return full(map, key === undefined ? { op: 'getnext' } : { op: 'getnext', key }, opts);
}

/** Options of {@link updateCommand}. */
export interface UpdateOptions extends CommandOptions {
  /** `any` (create or replace; bpftool's default), `exist` (replace only), `noexist` (create only). */
  flag?: UpdateFlag;
}

/** `bpftool map update pinned … key hex … value hex … [any|exist|noexist]`. */
export function updateCommand(map: string, key: Uint8Array, value: Uint8Array, opts: UpdateOptions = {}): string {
  return full(map, { op: 'update', key, value, flag: opts.flag }, opts);
}
