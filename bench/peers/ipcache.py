#!/usr/bin/env python3
"""What an operator would write instead of decode-map: cilium_ipcache from `bpftool map dump`
output to one "cidr identity tunnel_endpoint" line per entry.

    python3 bench/peers/ipcache.py plain dump.txt   # bpftool's plain text (bpftool-formats.md §1.2)
    python3 bench/peers/ipcache.py json dump.json   # bpftool -j: json.load, then decode the bytes

Key (struct ipcache_key, 24 bytes): prefixlen u32 LE (counts the 32 bits of cluster_id/pad/family
before the address), family at byte 7 (1 IPv4, 2 IPv6), address at 8. Value (struct
remote_endpoint_info, 12 bytes): sec_identity u32 LE, tunnel_endpoint IPv4 at 4. A benchmark
peer (bench/dump.js), not part of the package.
"""
import json
import socket
import struct
import sys


def line(key: bytes, value: bytes) -> str:
    prefixlen, family = struct.unpack_from("<I", key, 0)[0] - 32, key[7]
    if family == 2:
        ip = socket.inet_ntop(socket.AF_INET6, key[8:24])
    else:
        ip = socket.inet_ntop(socket.AF_INET, key[8:12])
    identity = struct.unpack_from("<I", value, 0)[0]
    return f"{ip}/{prefixlen} {identity} {socket.inet_ntop(socket.AF_INET, value[4:8])}\n"


def plain(path: str):
    key, value, into = [], [], None
    with open(path) as f:
        for text in f:
            if text.startswith("key:"):
                if key and value:
                    yield bytes(key), bytes(value)
                key, value, into = [], [], "key"
            elif text.startswith("value:"):
                into = "value"
            elif text.startswith("Found"):
                into = None
            elif into == "key":
                key.extend(int(h, 16) for h in text.split())
            elif into == "value":
                value.extend(int(h, 16) for h in text.split())
    if key and value:
        yield bytes(key), bytes(value)


def from_json(path: str):
    with open(path) as f:
        for e in json.load(f):
            yield bytes(int(h, 16) for h in e["key"]), bytes(int(h, 16) for h in e["value"])


def main() -> None:
    form, path = sys.argv[1], sys.argv[2]
    out = sys.stdout
    batch = []
    for key, value in (plain(path) if form == "plain" else from_json(path)):
        if len(key) == 24 and len(value) == 12:
            batch.append(line(key, value))
            if len(batch) == 4096:
                out.write("".join(batch))
                batch.clear()
    out.write("".join(batch))


if __name__ == "__main__":
    main()
