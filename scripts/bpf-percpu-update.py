#!/usr/bin/env python3
"""Writes per-CPU values into a pinned per-CPU BPF map, one different value per possible CPU.

`bpftool map update` copies one value into every CPU's slot (fill_per_cpu_value in bpftool's
map.c), so per-CPU maps whose CPUs differ can only be filled with the bpf(2) syscall itself:
BPF_OBJ_GET on the pin, then BPF_MAP_UPDATE_ELEM with nr_possible_cpus values, each rounded up to
8 bytes (datapath-maps.md, errata "Per-CPU maps and bpftool").

Usage: bpf-percpu-update.py PINNED_PATH < lines
Each line: KEYHEX VALUEHEX, where VALUEHEX is the per-CPU values concatenated (each already a
multiple of 8 bytes). Prints "updated N" on success; exits 1 with the errno on the first failure.
"""
import ctypes
import os
import platform
import struct
import sys

NR_BPF = {"x86_64": 321, "aarch64": 280}.get(platform.machine())
BPF_MAP_UPDATE_ELEM = 2
BPF_OBJ_GET = 7

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    r = libc.syscall(NR_BPF, cmd, buf, 128)
    if r < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))
    return r


def main():
    if NR_BPF is None:
        sys.exit(f"bpf-percpu-update: unsupported machine {platform.machine()}")
    path = ctypes.create_string_buffer(sys.argv[1].encode())
    fd = bpf(BPF_OBJ_GET, struct.pack("=QII", ctypes.addressof(path), 0, 0))
    n = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        kh, vh = line.split()
        key = ctypes.create_string_buffer(bytes.fromhex(kh), len(kh) // 2)
        value = ctypes.create_string_buffer(bytes.fromhex(vh), len(vh) // 2)
        try:
            bpf(BPF_MAP_UPDATE_ELEM, struct.pack("=IIQQQ", fd, 0, ctypes.addressof(key), ctypes.addressof(value), 0))
        except OSError as e:
            sys.exit(f"bpf-percpu-update: BPF_MAP_UPDATE_ELEM key {kh}: {e}")
        n += 1
    os.close(fd)
    print(f"updated {n}")


if __name__ == "__main__":
    main()
