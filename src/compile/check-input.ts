/**
 * The input of a schema's declared `check` (`checkReading`: the integer fields it reads) read
 * straight from bytes, for `encode`'s promise that it never hands out bytes the decoder refuses:
 * the check runs on those few fields instead of a whole decode (address text, derived strings),
 * which was a third of a friendly ipcache key encode. Same byte arithmetic as the decoder
 * (`uintSource`), from the same plan.
 */
import { overlayOf } from '../schema/overlay';
import { declaredReads, textFormOf } from '../schema/text-form';
import type { CompilableSchema } from './compile-decoder';
import { uintSource } from './codegen';
import { canEval, noEvalRequested } from './eval-policy';
import { isSafeKey, keyText } from './ident';
import { planLayout, type LayoutField } from './plan';

/** Reads the fields a check declares from a struct's bytes at offset `o`. */
export type CheckInput = (b: Uint8Array, o: number) => Record<string, number>;

/**
 * The reader of the fields `schema.definition.check` declares, or null when the decode has to
 * run instead: the check declares no reads, reads a non-integer field or (probed on a zeroed
 * record) a field it did not declare; `derive` is a function that might throw on some bytes; or
 * eval is refused. `deriveText` and `deriveOverlay` read every record the same way: a declaration
 * that throws (a `cases` part over a u64) throws for the zeroed record too, in `derivedKeys()`,
 * which every encode calls first.
 */
export function compileCheckInput(schema: CompilableSchema): CheckInput | null {
  const { check, derive } = schema.definition as { check?: unknown; derive?: unknown };
  if (derive !== undefined && textFormOf(derive) === undefined && overlayOf(derive) === undefined) return null;
  if (noEvalRequested() || !canEval()) return null;
  const planned = planLayout(schema.layout as readonly LayoutField[], schema.sizeof, schema.endian);
  if (!planned.ok) return null;
  // Declared, and a probe finds the check reading no other field.
  const reads = declaredReads(check, planned.plan.fields.filter((f) => f.data).map((f) => f.name));
  if (!reads) return null;
  const props: string[] = [];
  for (const name of reads) {
    const f = isSafeKey(name) ? planned.plan.fields.find((x) => x.name === name && x.data) : undefined;
    if (!f || f.node.op !== 'uint') return null;
    props.push(`${keyText(name)}: ${uintSource(f.offset, f.node.bytes, f.node.le)}`);
  }
  try {
    return (new Function(`"use strict";\nreturn function checkInput(b, o) {\n  return { ${props.join(', ')} };\n};`) as () => CheckInput)();
  } catch {
    return null; // eval refused after all: decode
  }
}
