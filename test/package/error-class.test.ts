/**
 * One error class across the ESM and CommonJS builds: an application that ends up with both
 * copies (one dependency imports the package, another requires it) can still tell our errors
 * apart with `instanceof`, whichever copy threw. Run against the built dist/ files.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ensureCliBuilt } from '../integration/cli';
import { repoRoot } from '../helpers/shared';

type Lib = typeof import('../../src/index');
let esm: Lib;
let cjs: Lib;

beforeAll(async () => {
  ensureCliBuilt();
  esm = (await import(pathToFileURL(join(repoRoot, 'dist', 'index.js')).href)) as Lib;
  cjs = createRequire(import.meta.url)(join(repoRoot, 'dist', 'index.cjs')) as Lib;
}, 180_000);

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('errors are one class across the ESM and CJS builds', () => {
  it('the two builds really are two copies (a plain prototype check would fail)', () => {
    expect(esm.CodecError).not.toBe(cjs.CodecError);
    const e = thrown(() => cjs.resolveMap('cilium_nonsense'));
    expect(Object.prototype.isPrototypeOf.call(esm.CodecError.prototype, e as object)).toBe(false);
  });

  it('a CatalogError thrown by the require copy is a CodecError, VersionError and CatalogError of the import copy', () => {
    const e = thrown(() => cjs.resolveMap('cilium_nonsense'));
    expect(e instanceof esm.CodecError).toBe(true);
    expect(e instanceof esm.VersionError).toBe(true);
    expect(e instanceof esm.CatalogError).toBe(true);
    expect(e instanceof esm.DecodeError).toBe(false);
    expect(e instanceof Error).toBe(true);
  });

  it('decode and encode errors keep their class, both ways', () => {
    const d = thrown(() => cjs.resolveMap('ipcache').key.decode(new Uint8Array(3)));
    expect(d instanceof esm.DecodeError).toBe(true);
    expect(d instanceof esm.EncodeError).toBe(false);
    const en = thrown(() => esm.resolveMap('ipcache').key.encode({ cidr: 'not an address' }));
    expect(en instanceof cjs.EncodeError).toBe(true);
    expect(en instanceof cjs.CodecError).toBe(true);
    expect(en instanceof cjs.DecodeError).toBe(false);
  });

  it('foreign errors are not ours, whatever their name', () => {
    const fake = Object.assign(new Error('x'), { name: 'CodecError' });
    expect(fake instanceof esm.CodecError).toBe(false);
    expect(new RangeError('x') instanceof cjs.CodecError).toBe(false);
    expect((null as unknown) instanceof esm.CodecError).toBe(false);
  });

  it('instanceof still narrows to the subclass type', () => {
    const e: unknown = thrown(() => esm.resolveMap('ipcache').key.decode(new Uint8Array(3)));
    if (e instanceof esm.DecodeError) expectTypeOf(e.offset).toEqualTypeOf<number>();
    expect(e instanceof esm.DecodeError && e.expected).toBe(24);
  });
});
