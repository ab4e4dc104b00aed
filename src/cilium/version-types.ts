/**
 * Cilium versions at the type level: which layouts of a map a literal version string selects, by
 * the same rules as {@link inRange} and {@link parseVersion} (`1.12` = the newest 1.12.x, `1.16.0`
 * that patch, `main` the newest). Anything the types cannot read (a `string`, a pre-release
 * suffix, a number past 99) selects every layout, never a wrong one.
 */
import type { VersionRange } from './versions';

type Num<S extends string> = S extends `${infer N extends number}` ? N : never;
/** Minor and patch; `'inf'` above every number. */
type Point = [number | 'inf', number | 'inf'];

/** `1.16` → [16, inf], `v1.16.0` → [16, 0], `main` → [inf, inf]; never when not a version. */
type ParseUser<S extends string> =
  Lowercase<S> extends 'main' | 'latest' | 'newest'
    ? ['inf', 'inf']
    : Lowercase<S> extends `v${infer R}`
      ? ParseUser<R>
      : S extends `1.${infer M}.${infer P}`
        ? [Num<M>, Num<P>] extends [number, number] ? [Num<M>, Num<P>] : never
        : S extends `1.${infer M}`
          ? [Num<M>] extends [number] ? [Num<M>, 'inf'] : never
          : never;

/** A range bound: `1.12` starts at 1.12.0 and ends after the last 1.12.x. */
type Bound<S extends string, End extends 'from' | 'to'> = S extends 'main'
  ? ['inf', 'inf']
  : S extends `1.${infer M extends number}.${infer P extends number}`
    ? [M, P]
    : S extends `1.${infer M extends number}`
      ? [M, End extends 'from' ? 0 : 'inf']
      : never;

type Tup<N extends number, T extends unknown[] = []> = T['length'] extends N ? T : Tup<N, [...T, 0]>;
/** Three or more digits: larger than any bound in the catalogue (bounds have at most two). */
type Big<N extends number> = `${N}` extends `${infer _A}${infer _B}${infer _C}${infer _Rest}` ? true : false;
type LeN<A extends number | 'inf', B extends number | 'inf'> = B extends 'inf'
  ? true
  : A extends 'inf'
    ? false
    : A extends number
      ? B extends number
        ? Big<A> extends true
          ? false
          : Tup<B> extends [...Tup<A>, ...unknown[]]
            ? true
            : false
        : never
      : never;
type Le<A extends Point, B extends Point> = [A[0]] extends [B[0]] ? ([B[0]] extends [A[0]] ? LeN<A[1], B[1]> : LeN<A[0], B[0]>) : LeN<A[0], B[0]>;

type InRange<V extends Point, R> = R extends VersionRange
  ? Le<Bound<R['from'], 'from'>, V> extends true
    ? Le<V, Bound<R['to'], 'to'>>
    : false
  : false;

/** The layouts (`{ versions, key, value }`) of `L` that version text `V` selects. */
export type LayoutsForVersion<L, V extends string> = [ParseUser<V>] extends [never]
  ? L
  : L extends { readonly versions: readonly (infer R)[] }
    ? true extends InRange<ParseUser<V> & Point, R>
      ? L
      : never
    : never;
