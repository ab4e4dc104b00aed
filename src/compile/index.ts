/**
 * The compiled fast path: a decoder specialised per schema (generated code, or closures where
 * eval is refused) and a field writer for encoding. `Schema.decode`/`decodeAt`/`encode` use them
 * on first call; this barrel is for inspecting them (`compileDecoder(schema).source`) and for
 * choosing the no-eval mode explicitly.
 */
export { compileDecoder, type CompileMode, type CompileOptions, type CompiledDecoder, type CompilableSchema } from './compile-decoder';
export { compileJsonWriter, type JsonWriter } from './json-writer';
export { NO_EVAL_ENV } from './eval-policy';
export type { PaddingOptions, PaddingReport } from './runtime';
