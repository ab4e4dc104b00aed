// Private, minimal typings for the parts of restructure 3.0.x this package uses. restructure ships
// none (its issue #55; PR #56 unmerged), and its classes must never appear in our public .d.ts.
declare module 'restructure' {
  export interface RField {
    decode(stream: DecodeStream, parent?: unknown): unknown;
    encode?(stream: EncodeStream, value: unknown, parent?: unknown): void;
    size(value?: unknown, parent?: unknown): number;
  }
  export class DecodeStream {
    constructor(buffer: Uint8Array);
    buffer: Uint8Array;
    view: DataView;
    pos: number;
    length: number;
  }
  export class EncodeStream {
    constructor(buffer: Uint8Array);
    buffer: Uint8Array;
    view: DataView;
    pos: number;
  }
  export class Struct implements RField {
    constructor(fields: Record<string, RField>);
    decode(stream: DecodeStream, parent?: unknown): Record<string, unknown>;
    encode(stream: EncodeStream, value: unknown, parent?: unknown): void;
    size(value?: unknown, parent?: unknown): number;
  }
}
