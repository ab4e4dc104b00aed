/**
 * Whether generated code may run: `new Function` is refused by a Content-Security-Policy without
 * `unsafe-eval` (restructure #22/#36, binary-parser #258) and by some embedded runtimes. The
 * answer is probed once; `CILIUM_MAP_CODEC_NO_EVAL=1` in the environment forces the no-eval
 * decoder even where eval works (read at each compile, so tests and tools can flip it).
 */

/** Environment variable that selects the no-eval (closure) decoder for every schema. */
export const NO_EVAL_ENV = 'CILIUM_MAP_CODEC_NO_EVAL';

let evalWorks: boolean | undefined;

/** Whether `new Function` can be called here (probed once, then cached). */
export function canEval(): boolean {
  if (evalWorks === undefined) {
    try {
      evalWorks = new Function('return 2')() === 2;
    } catch {
      evalWorks = false;
    }
  }
  return evalWorks;
}

/** Whether the environment asks for the no-eval decoder (`CILIUM_MAP_CODEC_NO_EVAL` set, not `0`/`false`). */
export function noEvalRequested(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.[NO_EVAL_ENV];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** @internal Forgets the cached probe (tests simulate a CSP host by replacing `Function`). */
export function resetEvalProbe(): void {
  evalWorks = undefined;
}
