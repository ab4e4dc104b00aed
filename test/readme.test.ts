/**
 * Every `$ decode-map ...` example in the README's console blocks runs and prints what the README
 * says (a `...` line means "more output follows"), so the docs cannot drift from the tool.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath, ensureCliBuilt } from './integration/cli';
import { repoRoot } from './helpers/shared';

interface Example {
  cmd: string;
  expected: string[];
}

function examples(): Example[] {
  const md = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const out: Example[] = [];
  for (const block of md.matchAll(/```console\n([\s\S]*?)```/g)) {
    let cur: Example | undefined;
    for (const line of block[1]!.split('\n')) {
      if (line.startsWith('$ ')) {
        cur = { cmd: line.slice(2), expected: [] };
        out.push(cur);
      } else if (cur && line !== '') cur.expected.push(line);
    }
  }
  return out;
}

beforeAll(() => ensureCliBuilt(), 180_000);

describe('README console examples', () => {
  const all = examples();
  it('there are examples', () => expect(all.length).toBeGreaterThan(8));
  let lastStatus = 0;
  for (const ex of all) {
    it(ex.cmd, () => {
      if (ex.cmd === 'echo $?') {
        expect(String(lastStatus)).toBe(ex.expected[0]);
        return;
      }
      const r = spawnSync('bash', ['-c', `decode-map() { node ${JSON.stringify(cliPath)} "$@"; }; ${ex.cmd}`], { cwd: repoRoot, encoding: 'utf8' });
      lastStatus = r.status ?? -1;
      const got = (r.stdout + r.stderr).split('\n').filter((l) => l !== '');
      const cut = ex.expected.indexOf('...');
      if (cut === -1) expect(got).toEqual(ex.expected);
      else {
        expect(got.slice(0, cut)).toEqual(ex.expected.slice(0, cut));
        // Lines after `...` must appear later in the output, in order.
        let at = cut;
        for (const want of ex.expected.slice(cut + 1).filter((l) => l !== '...')) {
          const i = got.indexOf(want, at);
          expect(i, `"${want}" after line ${at}`).toBeGreaterThanOrEqual(at);
          at = i + 1;
        }
      }
    });
  }
});
