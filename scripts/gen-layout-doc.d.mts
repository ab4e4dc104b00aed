/** The byte-layout reference (docs/layouts.md) for a package namespace (`src/index` or `dist/index.js`). */
export function layoutDoc(pkg: { MAPS: readonly unknown[]; formatRange(r: { from: string; to: string }): string }): string;
