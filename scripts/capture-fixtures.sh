#!/usr/bin/env bash
# Captures the tests' fixtures from real bpftool on a real kernel (see test/fixtures/README.md).
#
#   sudo scripts/capture-fixtures.sh [generated|formats|all] [OUT=test/fixtures]
#
# generated  Cilium-shaped maps (ipcache, lxc, lb4 services/backends v2+v3/reverse NAT) filled with
#            1000 entries each written by scripts/fixtures/gen-entries.mjs (bytes laid out by hand
#            from the C structs, with the ground truth), then dumped as plain, -j and -p.
# formats    Small maps in every shape bpftool prints, and every command form the parser meets:
#            dump/lookup/getnext/delete in plain, -j, -p; per-CPU, arrays, LPM, multi-map by name;
#            BTF maps (scripts/fixtures/btf-maps.bpf.c, needs clang); errors; show/list; batch.
#            index.json records each command, its exit code and stderr.
#
# Needs: root, bpftool (the fixtures were taken with v7.1.0), bpffs at /sys/fs/bpf, node >= 20,
# gzip; clang for the BTF maps (set CLANG=clang-14 if it is not called clang).
# The formats captures pin maps under /sys/fs/bpf/fmtlab and /sys/fs/bpf/btflab (their paths
# appear in the output, so they are fixed); both are removed on exit.
# What varies from run to run: map IDs (the kernel hands them out), the order of hash-map
# entries (bucket order depends on a per-map random seed) and the list/show captures (they list
# every map on the machine). Run it on a quiet machine and check the hand-written expectations
# in test/bpftool/fixtures.test.ts against the new files.
set -euo pipefail

what=${1:-all}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(realpath -m "${2:-$ROOT/test/fixtures}")
HERE="$ROOT/scripts/fixtures"
N=${N:-1000}
SEED=${SEED:-7}
CLANG=${CLANG:-$(command -v clang || command -v clang-14 || true)}

[ "$(id -u)" = 0 ] || { echo "capture-fixtures: needs root (bpf syscalls)" >&2; exit 2; }
command -v bpftool >/dev/null || { echo "capture-fixtures: bpftool not found" >&2; exit 2; }
mountpoint -q /sys/fs/bpf || { echo "capture-fixtures: bpffs is not mounted at /sys/fs/bpf" >&2; exit 2; }

TMP=$(mktemp -d)
GEN_PIN=/sys/fs/bpf/cmc-fixtures-$$
FMT=/sys/fs/bpf/fmtlab
BTF=/sys/fs/bpf/btflab
cleanup() { rm -rf "$TMP" "$GEN_PIN"; [ -n "${OWN_LABS:-}" ] && rm -rf "$FMT" "$BTF"; true; }
trap cleanup EXIT

hexs() { # "0a0001" -> "0a 00 01"
  sed 's/../& /g; s/ $//' <<<"$1"
}

# ---------------------------------------------------------------------------------------------
capture_generated() {
  local dir="$OUT/generated"
  mkdir -p "$dir" "$GEN_PIN"
  node "$HERE/gen-entries.mjs" "$TMP/gen" "$GEN_PIN" "$N" "$SEED" >/dev/null
  # name, type, key size, value size, max entries, flags (as Cilium creates them)
  local specs=(
    "cilium_ipcache lpm_trie 24 12 512000 1"
    "cilium_lxc hash 20 48 65535 0"
    "cilium_lb4_services_v2 hash 12 12 65536 0"
    "cilium_lb4_backends_v2 hash 4 8 65536 0"
    "cilium_lb4_backends_v3 hash 4 12 65536 0"
    "cilium_lb4_reverse_nat hash 2 6 65536 0"
  )
  local manifest_maps=()
  for s in "${specs[@]}"; do
    read -r m type ks vs max flags <<<"$s"
    bpftool map create "$GEN_PIN/$m" type "$type" key "$ks" value "$vs" entries "$max" name "${m:0:15}" flags "$flags"
    bpftool batch file "$TMP/gen/$m.batch" >/dev/null
    bpftool map dump pinned "$GEN_PIN/$m" >"$TMP/gen/$m.dump.txt"
    bpftool -j map dump pinned "$GEN_PIN/$m" >"$TMP/gen/$m.dump.json"
    bpftool -p map dump pinned "$GEN_PIN/$m" >"$TMP/gen/$m.dump.pretty.json"
    for f in dump.txt dump.json dump.pretty.json truth.jsonl; do gzip -9n <"$TMP/gen/$m.$f" >"$dir/$m.$f.gz"; done
    manifest_maps+=("\"$m\": {\"type\": \"$type\", \"key_size\": $ks, \"value_size\": $vs, \"max_entries\": $max, \"flags\": $flags, \"entries\": $(wc -l <"$TMP/gen/$m.truth.jsonl")}")
  done
  {
    echo "{"
    echo "  \"script\": \"scripts/capture-fixtures.sh generated\", \"n\": $N, \"seed\": $SEED,"
    echo "  \"bpftool\": \"$(bpftool version | head -1)\", \"kernel\": \"$(uname -r)\", \"possible_cpus\": \"$(cat /sys/devices/system/cpu/possible)\","
    echo "  \"maps\": {"
    local IFS=$'\n'
    sed '$!s/$/,/; s/^/    /' <<<"${manifest_maps[*]}"
    echo "  }"
    echo "}"
  } >"$dir/manifest.json"
  echo "generated: $(ls "$dir" | wc -l) files in $dir"
}

# ---------------------------------------------------------------------------------------------
LXC_KEY4='0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00'
LXC_KEY6='fd 00 00 00 00 00 00 00 00 00 00 00 00 01 00 05 02 00 00 00'
LXC_VALUE='0c 00 00 00 00 00 d2 04 00 00 00 00 00 00 00 00 a2 3c 11 22 33 44 00 00 b6 1d 55 66 77 88 00 00 39 30 00 00 00 00 00 00 00 00 00 00 00 00 00 00'
IPC_KEY4='40 00 00 00 00 00 00 01 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00'
IPC_WORLD='20 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'
IPC_KEY6='a0 00 00 00 00 00 00 02 fd 00 00 00 00 00 00 00 00 00 00 00 00 01 00 05'
IPC_VALUE='39 30 00 00 ac 12 00 03 00 00 00 00'
SVC_KEY1='0a 60 00 0a 00 35 01 00 11 00 00 00'
SVC_VAL1='07 00 00 00 00 00 05 00 00 00 00 00'
SVC_KEY0='0a 60 00 0a 00 35 00 00 11 00 00 00'
SVC_VAL0='00 00 00 00 02 00 05 00 00 00 00 00'
BE2='0a 00 01 05 00 35 11 00'

upd() { local m=$1 k=$2 v=$3; bpftool map update pinned "$m" key hex $k value hex $v; }
mk() { local path=$1; shift; bpftool map create "$path" "$@"; }

make_labs() {
  [ -e "$FMT" ] || [ -e "$BTF" ] && { echo "capture-fixtures: $FMT or $BTF exists; remove it first" >&2; exit 2; }
  OWN_LABS=1
  mkdir -p "$FMT"
  mk "$FMT/small" type hash key 4 value 8 entries 16 name small
  upd "$FMT/small" '01 00 00 00' '11 22 33 44 55 66 77 88'
  upd "$FMT/small" '02 00 00 00' 'aa bb cc dd ee ff 00 01'
  mk "$FMT/lxc" type hash key 20 value 48 entries 16 name cilium_lxc
  upd "$FMT/lxc" "$LXC_KEY4" "$LXC_VALUE"
  upd "$FMT/lxc" "$LXC_KEY6" "$LXC_VALUE"
  mk "$FMT/ipcache" type lpm_trie key 24 value 12 entries 16 name cilium_ipcache flags 1
  upd "$FMT/ipcache" "$IPC_KEY4" "$IPC_VALUE"
  upd "$FMT/ipcache" "$IPC_WORLD" '02 00 00 00 00 00 00 00 00 00 00 00'
  upd "$FMT/ipcache" "$IPC_KEY6" "$IPC_VALUE"
  mk "$FMT/svc" type hash key 12 value 12 entries 16 name cilium_lb4_serv
  upd "$FMT/svc" "$SVC_KEY0" "$SVC_VAL0"
  upd "$FMT/svc" "$SVC_KEY1" "$SVC_VAL1"
  mk "$FMT/be2" type hash key 4 value 8 entries 16 name cilium_lb4_back
  upd "$FMT/be2" '07 00 00 00' "$BE2"
  mk "$FMT/be3" type hash key 4 value 12 entries 16 name cilium_lb4_bac3
  upd "$FMT/be3" '07 00 00 00' "$BE2 00 00 00 00"
  mk "$FMT/revnat" type hash key 2 value 6 entries 16 name cilium_lb4_reve
  upd "$FMT/revnat" '05 00' '0a 60 00 0a 00 35'
  mk "$FMT/empty" type hash key 4 value 8 entries 16 name empty
  mk "$FMT/pcpu" type percpu_hash key 4 value 8 entries 16 name pcpu
  upd "$FMT/pcpu" '01 00 00 00' '11 22 33 44 55 66 77 88'
  mk "$FMT/pcpu_big" type percpu_hash key 20 value 12 entries 16 name pcpu_big
  upd "$FMT/pcpu_big" "$LXC_KEY4" '01 02 03 04 05 06 07 08 09 0a 0b 0c'
  mk "$FMT/arr" type array key 4 value 8 entries 4 name arr
  upd "$FMT/arr" '01 00 00 00' '11 22 33 44 55 66 77 88'
  mk "$FMT/arr_big" type array key 4 value 48 entries 3 name arr_big
  upd "$FMT/arr_big" '02 00 00 00' "$LXC_VALUE"
  # A second, unrelated map whose name matches too: `map dump name` prints a header per map.
  mk "$FMT/svc_decoy" type hash key 4 value 4 entries 4 name cilium_lb4_serv

  mkdir -p "$BTF"
  "$CLANG" -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c "$HERE/btf-maps.bpf.c" -o "$TMP/btf-maps.bpf.o"
  bpftool prog loadall "$TMP/btf-maps.bpf.o" "$BTF/progs" pinmaps "$BTF/maps"
  local B=$BTF/maps
  upd "$B/cilium_lxc" "$LXC_KEY4" "$LXC_VALUE"
  upd "$B/cilium_lxc" "$LXC_KEY6" "$LXC_VALUE"
  upd "$B/cilium_ipcache" "$IPC_KEY4" "$IPC_VALUE"
  upd "$B/cilium_ipcache" "$IPC_WORLD" '02 00 00 00 00 00 00 00 00 00 00 01' # flag_skip_tunnel
  upd "$B/cilium_ipcache" "$IPC_KEY6" '39 30 00 00 ac 12 00 03 07 00 00 00'   # node_id 7
  upd "$B/cilium_lb4_services_v2" "$SVC_KEY1" "$SVC_VAL1"
  upd "$B/cilium_lb4_services_v2" "$SVC_KEY0" "$SVC_VAL0"
  upd "$B/cilium_lb4_backends_v2" '07 00 00 00' "$BE2"
  upd "$B/cilium_lb4_backends_v3" '07 00 00 00' "$BE2 01 00 02 00"
  upd "$B/cilium_lb4_reverse_nat" '05 00' '0a 60 00 0a 00 35 00 00'
  upd "$B/cilium_metrics" '00 01 00 00 00 00 00 00' '0a 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00'
  upd "$B/btf_misc" '01 00 00 00' '65 74 68 30 00 00 00 00 07 00 00 00 01 ff fe ff fd ff ff ff 00 00 00 00 fc ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff 01 02 03 04 34 12 cd ab 8d 00 bc fa 00 00 00 00 ef be ad de 00 00 00 00'

  # print_entry_plain's line layouts: every key/value size pair that changes the shape.
  for kv in 1:1 8:16 16:8 12:16 16:16 4:17 17:4 32:40; do
    local k=${kv%:*} v=${kv#*:} kh='' vh='' i
    for ((i = 1; i <= k; i++)); do kh+=$(printf '%02x ' "$i"); done
    for ((i = 0; i < v; i++)); do vh+=$(printf '%02x ' $((0xa0 + i))); done
    mk "$FMT/k${k}v${v}" type hash key "$k" value "$v" entries 4 name "k${k}v${v}"
    upd "$FMT/k${k}v${v}" "$kh" "$vh"
  done

  printf '%s\n' "map update pinned $FMT/small key hex 03 00 00 00 value hex 01 02 03 04 05 06 07 08" \
    "map lookup pinned $FMT/small key hex 03 00 00 00" "map delete pinned $FMT/small key hex 03 00 00 00" >"$TMP/batch.txt"
  echo "map update pinned $FMT/small key hex 03 00 00 value hex 01 02 03 04 05 06 07 08" >"$TMP/batch_err.txt"
}

INDEX=()
# cap NAME ARGS... : runs `bpftool ARGS...`, keeps stdout as NAME.out, records rc and stderr.
cap() {
  local name=$1; shift
  local dir="$OUT/bpftool-formats" rc=0
  bpftool "$@" >"$dir/$name.out" 2>"$TMP/stderr" || rc=$?
  INDEX+=("$(node -e 'const [n, c, rc, f, e] = process.argv.slice(1); const fs = require("node:fs");
    process.stdout.write(JSON.stringify({ name: n, cmd: c, rc: Number(rc), stdout_file: n + ".out", stdout_bytes: fs.statSync(f).size, stderr: fs.readFileSync(e, "utf8") }, null, 1).replace(/\n/g, "\n "))' \
    "$name" "bpftool $*" "$rc" "$dir/$name.out" "$TMP/stderr")")
}

capture_formats() {
  [ -n "$CLANG" ] || { echo "capture-fixtures: clang is needed for the BTF maps (set CLANG=…)" >&2; exit 2; }
  mkdir -p "$OUT/bpftool-formats"
  rm -f "$OUT/bpftool-formats/"*.out
  make_labs
  local small_id
  small_id=$(bpftool -j map show pinned "$FMT/small" | node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(0,"utf8")).id))')
  local S="pinned $FMT/small" B=$BTF/maps
  for m in small lxc ipcache svc be2 be3 empty pcpu pcpu_big arr arr_big; do cap "dump_$m" map dump pinned "$FMT/$m"; done
  cap dump_byid map dump id "$small_id"
  cap dump_byname_one map dump name cilium_lxc
  cap dump_byname_multi map dump name cilium_lb4_serv
  for s in k1v1 k8v16 k16v8 k12v16 k16v16 k4v17 k17v4 k32v40; do cap "shape_$s" map dump pinned "$FMT/$s"; done
  for m in small lxc ipcache svc empty pcpu pcpu_big arr; do cap "jdump_$m" -j map dump pinned "$FMT/$m"; done
  cap jdump_byname_multi -j map dump name cilium_lb4_serv
  for m in small lxc ipcache svc be3 empty pcpu pcpu_big arr; do cap "pdump_$m" -p map dump pinned "$FMT/$m"; done
  cap pdump_byname_multi -p map dump name cilium_lb4_serv
  cap lookup_small map lookup $S key hex 01 00 00 00
  cap lookup_dec map lookup $S key 1 0 0 0
  cap jlookup_small -j map lookup $S key hex 01 00 00 00
  cap plookup_small -p map lookup $S key hex 01 00 00 00
  cap lookup_lxc map lookup pinned "$FMT/lxc" key hex $LXC_KEY4
  cap jlookup_lxc -j map lookup pinned "$FMT/lxc" key hex $LXC_KEY4
  cap lookup_svc map lookup pinned "$FMT/svc" key hex $SVC_KEY0
  cap lookup_ipcache_exact map lookup pinned "$FMT/ipcache" key hex $IPC_KEY4
  # An LPM lookup of 8.8.8.8/32: the trie answers with 0.0.0.0/0's value, bpftool echoes the query.
  cap lookup_ipcache_lpm map lookup pinned "$FMT/ipcache" key hex 40 00 00 00 00 00 00 01 08 08 08 08 00 00 00 00 00 00 00 00 00 00 00 00
  cap lookup_pcpu map lookup pinned "$FMT/pcpu" key hex 01 00 00 00
  cap jlookup_pcpu -j map lookup pinned "$FMT/pcpu" key hex 01 00 00 00
  cap lookup_pcpu_big map lookup pinned "$FMT/pcpu_big" key hex $LXC_KEY4
  cap lookup_arr map lookup pinned "$FMT/arr" key hex 01 00 00 00
  cap lookup_byname_multi map lookup name cilium_lb4_serv key hex 01 00 00 00
  cap err_lookup_missing map lookup $S key hex 09 00 00 00
  cap err_jlookup_missing -j map lookup $S key hex 09 00 00 00
  cap err_plookup_missing -p map lookup $S key hex 09 00 00 00
  # Family 2 with an IPv4 address: no prefix covers it (there is no ::/0 in this trie).
  cap err_lpm_missing map lookup pinned "$FMT/ipcache" key hex 40 00 00 00 00 00 00 02 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00
  cap err_arr_oob map lookup pinned "$FMT/arr" key hex 09 00 00 00
  cap err_lookup_short map lookup $S key hex 01 00 00
  cap err_jlookup_short -j map lookup $S key hex 01 00 00
  cap err_lookup_long map lookup $S key hex 01 00 00 00 00
  cap err_lookup_badhex map lookup $S key hex 01 00 00 zz
  cap err_dump_nopin map dump pinned "$FMT/nonexistent"
  cap err_jdump_nopin -j map dump pinned "$FMT/nonexistent"
  cap err_pdump_nopin -p map dump pinned "$FMT/nonexistent"
  cap err_dump_noid map dump id 999999
  cap err_dump_notmap map dump pinned /sys/fs/bpf
  cap err_dump_dir map dump pinned "$FMT"
  cap err_dump_prog map dump pinned "$BTF/progs/touch_maps"
  cap err_dump_noargs map dump
  cap err_dump_badopt -x map dump $S
  cap getnext_small_first map getnext $S
  # The hash order decides which key is first and last: ask the map.
  local first last
  first=$(bpftool -j map getnext $S | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")).next_key.map((x) => x.slice(2)).join(" "))')
  last=$(bpftool -j map getnext $S key hex $first | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0,"utf8")).next_key.map((x) => x.slice(2)).join(" "))')
  cap getnext_small map getnext $S key hex $first
  cap getnext_small_last map getnext $S key hex $last
  cap getnext_missingkey map getnext $S key hex 09 00 00 00
  cap jgetnext_small -j map getnext $S key hex $first
  cap pgetnext_small -p map getnext $S key hex $first
  cap jgetnext_small_first -j map getnext $S
  cap jgetnext_small_last -j map getnext $S key hex $last
  cap getnext_lxc map getnext pinned "$FMT/lxc"
  cap getnext_ipcache map getnext pinned "$FMT/ipcache"
  cap getnext_empty map getnext pinned "$FMT/empty"
  cap getnext_arr_last map getnext pinned "$FMT/arr" key hex 03 00 00 00
  cap show_small map show $S
  cap show_ipcache map show pinned "$FMT/ipcache"
  cap jshow_ipcache -j map show pinned "$FMT/ipcache"
  cap pshow_ipcache -p map show pinned "$FMT/ipcache"
  cap fshow_ipcache -f map show pinned "$FMT/ipcache"
  cap fjshow_ipcache -f -j map show pinned "$FMT/ipcache"
  cap show_pcpu map show pinned "$FMT/pcpu"
  cap show_nopin map show pinned "$FMT/nonexistent"
  cap show_byname map show name cilium_lxc
  cap show_byname_multi map show name cilium_lb4_serv
  cap list_all map list
  cap show_all map show
  cap bare_map map
  cap flist_all -f map list
  cap jlist_all -j map list
  cap plist_all -p map list
  # prefixlen 255 is longer than the key: the kernel refuses it.
  cap update_lpm_badprefix map update pinned "$FMT/ipcache" key hex ff 00 00 00 00 00 00 01 0a 00 01 05 00 00 00 00 00 00 00 00 00 00 00 00 value hex $IPC_VALUE
  cap btf_show_lxc map show pinned "$B/cilium_lxc"
  cap btf_jshow_lxc -j map show pinned "$B/cilium_lxc"
  cap btf_fpshow_lxc -f -p map show pinned "$B/cilium_lxc"
  cap btf_show_misc map show pinned "$B/btf_misc"
  cap btf_dump_lxc map dump pinned "$B/cilium_lxc"
  cap btf_dump_ipcache map dump pinned "$B/cilium_ipcache"
  for m in cilium_lb4_services_v2 cilium_lb4_backends_v2 cilium_lb4_backends_v3 cilium_lb4_reverse_nat cilium_metrics btf_misc; do
    cap "btf_dump_$m" map dump pinned "$B/$m"
  done
  cap btf_jdump_lxc -j map dump pinned "$B/cilium_lxc"
  cap btf_jdump_ipcache -j map dump pinned "$B/cilium_ipcache"
  cap btf_jdump_metrics -j map dump pinned "$B/cilium_metrics"
  cap btf_jdump_misc -j map dump pinned "$B/btf_misc"
  cap btf_pdump_ipcache -p map dump pinned "$B/cilium_ipcache"
  cap btf_pdump_metrics -p map dump pinned "$B/cilium_metrics"
  cap btf_pdump_misc -p map dump pinned "$B/btf_misc"
  cap btf_dump_byname_multi map dump name cilium_lb4_back
  cap btf_lookup_be3 map lookup pinned "$B/cilium_lb4_backends_v3" key hex 07 00 00 00
  cap btf_lookup_metrics map lookup pinned "$B/cilium_metrics" key hex 00 01 00 00 00 00 00 00
  cap btf_lookup_lxc map lookup pinned "$B/cilium_lxc" key hex $LXC_KEY4
  cap btf_lookup_missing map lookup pinned "$B/cilium_lb4_reverse_nat" key hex 06 00
  bpftool map delete pinned "$B/cilium_lb4_reverse_nat" key hex 05 00
  cap delete_missing map delete pinned "$B/cilium_lb4_reverse_nat" key hex 05 00
  cap jdelete_missing -j map delete pinned "$B/cilium_lb4_reverse_nat" key hex 05 00
  cap btf_dump_empty map dump pinned "$B/cilium_lb4_reverse_nat"
  cap btf_jdump_empty -j map dump pinned "$B/cilium_lb4_reverse_nat"
  cap btf_pdump_empty -p map dump pinned "$B/cilium_lb4_reverse_nat"
  cap batch_plain batch file "$TMP/batch.txt"
  cap batch_json -j batch file "$TMP/batch.txt"
  cap batch_err batch file "$TMP/batch_err.txt"
  cap version version
  cap jversion -j version
  {
    echo '['
    local IFS=$'\n'
    sed '$!s/^ }$/ },/' <<<"${INDEX[*]/#/ }"
    echo ']'
  } >"$OUT/bpftool-formats/index.json"
  echo "formats: ${#INDEX[@]} captures in $OUT/bpftool-formats"
}

case $what in
  generated) capture_generated ;;
  formats) capture_formats ;;
  all) capture_generated; capture_formats ;;
  *) echo "usage: $0 [generated|formats|all] [OUT]" >&2; exit 2 ;;
esac
