#!/usr/bin/env python3
"""Prints the CPU seconds (user + system) used so far by the processes PID... and all
their descendants, for fleet-bench.sh.

    tree-cpu.py PID...

Each live process counts its own time and what its ended children used once it reaped
them (utime, stime, cutime, cstime in /proc/PID/stat), so a daemon's finished runs or a
PostgreSQL server's closed connections count, and nothing counts twice. A process that
is gone counts nothing.
"""

import os
import sys


def stats():
    """pid -> (parent pid, clock ticks used by it and its reaped children)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, encoding="ascii", errors="replace") as f:
                text = f.read()
        except OSError:  # ended meanwhile
            continue
        fields = text[text.rindex(")") + 2:].split()  # the name may hold spaces and parentheses
        table[int(entry)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    return table


def main(roots):
    table = stats()
    children = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    ticks, seen, todo = 0, set(), [pid for pid in roots if pid in table]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        ticks += table[pid][1]
        todo.extend(children.get(pid, []))
    print("%.2f" % (ticks / os.sysconf("SC_CLK_TCK")))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]])
