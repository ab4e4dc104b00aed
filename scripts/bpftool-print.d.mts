export function fprintHex(b: Uint8Array, off?: number, n?: number): string;
export function plainEntry(key: Uint8Array, value: Uint8Array): string;
export function trailer(n: number): string;
export function jsonEntry(key: Uint8Array, value: Uint8Array): string;
export function writeDump(n: number, form: string, entryBytes: (i: number) => [Uint8Array, Uint8Array]): void;
