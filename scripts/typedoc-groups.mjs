// TypeDoc plugin: groups the API reference by what a name is for (maps, schema engine, dumps,
// keys and commands, errors) instead of one flat list of classes/functions/types. The group comes
// from the file that declares the name (one concept per file), so a new export lands in its group
// without a tag; a `@group` tag written in the source still wins. Loaded from typedoc.json.
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** Source folder or file (relative to src/) → group, most specific first. */
const GROUPS = [
  ['schema/errors.ts', 'Errors'],
  ['cilium/friendly.ts', 'Keys and commands'],
  ['cilium/suggest.ts', 'Maps'],
  ['bpftool/commands.ts', 'Keys and commands'],
  ['bpftool/hex.ts', 'Keys and commands'],
  ['schema/byte-sink.ts', 'Output formats'],
  ['cilium/', 'Maps'],
  ['schema/', 'Schema engine'],
  ['compile/', 'Schema engine'],
  ['bpftool/', 'Dumps'],
  ['decode/', 'Dumps'],
  ['sysdump/', 'Dumps'],
  ['cilium-text/', 'Dumps'],
  ['format/', 'Output formats'],
  ['transcode/', 'Output formats'],
];

function groupOf(file, name, kind) {
  // Every error class, wherever it is declared, is found in one place.
  if (kind === ReflectionKind.Class && /Error$/.test(name)) return 'Errors';
  const rel = file.replace(/\\/g, '/').split('/src/').pop();
  return GROUPS.find(([prefix]) => rel.startsWith(prefix))?.[1];
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (reflection.parent !== context.project) return; // top-level exports only
    const decl = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    if (!decl) return;
    const group = groupOf(decl.getSourceFile().fileName, reflection.name, reflection.kind);
    if (!group) return;
    reflection.comment ??= new Comment();
    if (reflection.comment.getTag('@group')) return;
    reflection.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: group }]));
  });
}
