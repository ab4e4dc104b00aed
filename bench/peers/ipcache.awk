# What an operator would write instead of decode-map: cilium_ipcache from `bpftool map dump` plain
# text (bpftool-formats.md §1.2; key struct ipcache_key, value struct remote_endpoint_info, see
# reference/cilium-layouts.md) to one "cidr identity tunnel_endpoint" line per entry.
#   mawk -f bench/peers/ipcache.awk dump.txt
# Key bytes: 0-3 prefixlen (u32 LE, counts the 32 bits of cluster_id/pad/family before the
# address), 7 family (1 IPv4, 2 IPv6), 8-23 address. Value: 0-3 sec_identity (u32 LE), 4-7
# tunnel_endpoint (IPv4). IPv6 is printed as eight hex groups without "::" shortening, as a quick
# script would. A benchmark peer (bench/dump.js), not part of the package.
BEGIN {
  for (i = 0; i < 256; i++) hex[sprintf("%02x", i)] = i
}
function flush() {
  if (nk < 24 || nv < 12) { nk = nv = 0; return }
  plen = k[0] + k[1] * 256 - 32
  if (k[7] == 2) {
    ip = sprintf("%x:%x:%x:%x:%x:%x:%x:%x", k[8] * 256 + k[9], k[10] * 256 + k[11], k[12] * 256 + k[13], k[14] * 256 + k[15], k[16] * 256 + k[17], k[18] * 256 + k[19], k[20] * 256 + k[21], k[22] * 256 + k[23])
  } else {
    ip = k[8] "." k[9] "." k[10] "." k[11]
  }
  id = v[0] + v[1] * 256 + v[2] * 65536 + v[3] * 16777216
  print ip "/" plen, id, v[4] "." v[5] "." v[6] "." v[7]
  nk = nv = 0
}
$1 == "key:" { flush(); state = "k"; next }
$1 == "value:" { state = "v"; next }
$1 == "Found" { flush(); state = ""; next }
state == "k" { for (i = 1; i <= NF; i++) k[nk++] = hex[$i]; next }
state == "v" { for (i = 1; i <= NF; i++) v[nv++] = hex[$i]; next }
END { flush() }
