#!/usr/bin/env python3
"""Counts the sets that arrive in each file:// destination folder under ROOT, for
fleet-bench.sh: what the destinations received, not what the history says.

    upload-watch.py ROOT OUT

Watches every folder directly under ROOT with inotify (through ctypes: the standard
library has no binding), prints `ready` once every watch is set, and on SIGTERM writes to
OUT one line per folder: its name and the sets it received. sftp-put renames each file of
a set into place (or, with --direct, writes it under its final name), so a folder's sets
are the most times any one visible file name arrived there. A last line `overflow N`
says the kernel's queue overflowed N times (the counts are then too low).
"""

import ctypes
import os
import select
import signal
import struct
import sys

IN_CLOSE_WRITE, IN_MOVED_TO, IN_Q_OVERFLOW = 0x8, 0x80, 0x4000
IN_NONBLOCK, IN_CLOEXEC = 0o4000, 0o2000000
EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then the name, NUL-padded to len


def main(root, out):
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
    if fd < 0:
        sys.exit("upload-watch: inotify_init1: %s" % os.strerror(ctypes.get_errno()))
    folders = {}
    for name in sorted(os.listdir(root)):
        wd = libc.inotify_add_watch(fd, os.path.join(root, name).encode(), IN_CLOSE_WRITE | IN_MOVED_TO)
        if wd < 0:
            sys.exit("upload-watch: watch %s: %s" % (name, os.strerror(ctypes.get_errno())))
        folders[wd] = name
    arrivals = {name: {} for name in folders.values()}
    overflows = 0
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # A parent may start it with SIGTERM blocked (a test runner's thread): stopping needs it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    print("ready", flush=True)

    def drain():
        nonlocal overflows
        while True:
            try:
                data = os.read(fd, 1 << 16)
            except BlockingIOError:
                return
            offset = 0
            while offset < len(data):
                wd, mask, _, length = EVENT.unpack_from(data, offset)
                name = data[offset + EVENT.size:offset + EVENT.size + length].rstrip(b"\0").decode()
                offset += EVENT.size + length
                if mask & IN_Q_OVERFLOW:
                    overflows += 1
                elif wd in folders and name and not name.startswith("."):  # not sftp-put's temporaries
                    counts = arrivals[folders[wd]]
                    counts[name] = counts.get(name, 0) + 1

    while not stopping:
        select.select([fd], [], [], 0.2)
        drain()
    drain()
    with open(out, "w", encoding="utf-8") as f:
        for name in sorted(arrivals):
            f.write("%s %d\n" % (name, max(arrivals[name].values(), default=0)))
        if overflows:
            f.write("overflow %d\n" % overflows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[3].strip())
    main(sys.argv[1], sys.argv[2])
