/**
 * The main help (`decode-map --help`, `decode-map help`) and the help of the default verb, decode.
 * Each other verb carries its own help (verbs.ts lists them).
 */
import { knownVersionsText } from '../index';
import { OUTPUT_HELP } from './output';
import type { Verb } from './verb';
import { VERBS } from './verbs';

export const DECODE_USAGE = `  decode-map [MAP] [FILE...] [options]      decode bpftool map dump/lookup output (FILEs or stdin)`;

const DECODE_OPTIONS = `MAP is a map name (cilium_ipcache), a pinned path (/sys/fs/bpf/tc/globals/cilium_lxc) or an alias
(lxc, ipcache, ipcache-v2, lb4-services, lb4-backends, lb4-revnat, lb6-..., ct4, ct-any4, ct6,
ct-any6, nat4, nat6, metrics). Without MAP the map is identified from the key/value sizes in the input. A word that is an existing file is read as a
file, even when it is also a map name (stderr says so); name the map with --map then.

Options:
${OUTPUT_HELP}
  -m, --map MAP              the map, when the first word should not be taken as one
      --cilium-version X.Y[.Z]  layout of that Cilium release (default: the newest for the map).
                             Known: ${knownVersionsText()}.
                             A pre-release (1.16.0-rc1) reads as its release (1.16.0).
      --strict               any malformed or skipped entry, or non-zero padding, fails the run
      --host-endian le|be    byte order of the node the dump came from (default le: x86-64, arm64)
      --input-format auto|plain|json|cilium-text
                             cilium-text: what cilium-dbg bpf ... list / cilium map get print
      --keep-repeats         keep repeated keys (default: drop identical repeats of a live dump)
  -j, --jobs N               -o ndjson/json: worker threads that decode, 0-16 (default 0: none;
                             on 2 cores they were slower). Used once a dump passes 8192
                             entries; the output is the same bytes either way
      --now SECONDS          the node's bpf_mono_now() at dump time (monotonic seconds): CT/NAT
                             records get expires_in / report and created ages, -o cilium the
                             "(remaining: N sec(s))" of cilium-dbg bpf ct list --time-diff
      --bpf-clock ktime|jiffies:HZ  the node's BPF clock source (cilium status), default ktime
  -h, --help                 this help
  -V, --version              the package version`;

/** What `decode-map --help` and `decode-map help` print. */
export function mainHelp(): string {
  const line = (v: Pick<Verb, 'usage' | 'summary'>) => {
    const u = `  decode-map ${v.usage}`;
    return u.length < 44 ? `${u.padEnd(44)}${v.summary}` : `${u}\n${' '.repeat(44)}${v.summary}`;
  };
  const verbs = VERBS.map(line).join('\n');
  return `decode-map — decode Cilium BPF map dumps (bpftool output) into readable records, and back

Usage:
${DECODE_USAGE}
${verbs}

Run 'decode-map VERB --help' (or 'decode-map help VERB') for a verb's arguments and options.

${DECODE_OPTIONS}

Examples:
  kubectl -n kube-system exec ds/cilium -- bpftool map dump pinned /sys/fs/bpf/tc/globals/cilium_ipcache | decode-map cilium_ipcache
  bpftool -j map dump pinned /sys/fs/bpf/tc/globals/cilium_lxc | decode-map lxc -o ndjson | jq .
  decode-map lb4-services dump.txt --cilium-version 1.16 -o cilium
  decode-map key ipcache 10.10.1.155/32 --cmd lookup
  decode-map lookup ipcache 10.0.1.5 -f ipcache-dump.txt

Exit status: 0 ok, 1 input or decode errors (reported on stderr), 2 usage errors.
`;
}

/** What `decode-map decode --help` prints. */
export function decodeHelp(): string {
  return `Usage:\n${DECODE_USAGE}\n  decode-map decode [MAP] [FILE...] [options]\n\n${DECODE_OPTIONS}\n`;
}
