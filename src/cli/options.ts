/**
 * Options shared by the verbs that read bpftool output and print records (decode, lookup): their
 * definitions for `node:util` parseArgs and their checks, so both verbs spell and refuse them alike.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Endian } from '../index';
import { UsageError } from './io';
import { outputFormat, type OutputFormat } from './output';

/** `-o`, `--no-headers`, `--cilium-version`, `--host-endian`, `--input-format`. */
export const READ_OPTIONS = {
  output: { type: 'string', short: 'o', default: 'table' },
  'no-headers': { type: 'boolean', default: false },
  'cilium-version': { type: 'string' },
  'host-endian': { type: 'string', default: 'le' },
  'input-format': { type: 'string', default: 'auto' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** parseArgs with positionals; its errors (unknown option, missing value) are usage errors. */
export function parseVerbArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>> {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The checked values of {@link READ_OPTIONS}. */
export interface ReadOptions {
  output: OutputFormat;
  headers: boolean;
  endian: Endian;
  inputFormat: 'auto' | 'plain' | 'json' | 'cilium-text';
  version: string | undefined;
}

/** Checks the values of {@link READ_OPTIONS}. */
export function readOptions(o: { output?: string; 'no-headers'?: boolean; 'cilium-version'?: string; 'host-endian'?: string; 'input-format'?: string }): ReadOptions {
  const endian = o['host-endian'] ?? 'le';
  if (endian !== 'le' && endian !== 'be') throw new UsageError(`--host-endian must be le or be, got "${endian}"`);
  const inputFormat = o['input-format'] ?? 'auto';
  if (inputFormat !== 'auto' && inputFormat !== 'plain' && inputFormat !== 'json' && inputFormat !== 'cilium-text') throw new UsageError(`--input-format must be auto, plain, json or cilium-text, got "${inputFormat}"`);
  return { output: outputFormat(o.output), headers: !o['no-headers'], endian, inputFormat, version: o['cilium-version'] };
}
