#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Paired runs for the benchmarks: every round runs each command once (in an order rotated from
# round to round, so none is always first after another's cache traffic), and a command's ratio
# to the reference is the median of its per-round ratios. On a busy machine (other builds
# running) load comes and goes within seconds; pairing makes both sides of a ratio see the same
# load, which separate hyperfine batches do not. Wall time from fork to exit, CPU time (user +
# system, of the command and its children) from wait4.
# Usage: paired.py [--runs N] [--warmup N] [--ref NAME] [--ratio NAME...] -- NAME=CMD ...
#   CMD is split on whitespace (no shell); output: a Markdown table.
import argparse
import os
import statistics
import subprocess
import sys
import time


def run_once(argv):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) == 127:
        sys.exit(f"paired.py: cannot run {argv[0]}")
    return wall, usage.ru_utime + usage.ru_stime


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--ref", help="name of the command the ratios are to (default: first)")
    parser.add_argument("--ratio", action="append", default=[],
                        help="more reference names: one ratio column each")
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    commands = []
    for spec in args.commands:
        name, _, cmd = spec.partition("=")
        commands.append((name, cmd.split()))
    names = [name for name, _ in commands]
    refs = [args.ref or names[0]] + args.ratio
    wall = {name: [] for name in names}
    cpu = {name: [] for name in names}
    for round_ in range(args.warmup + args.runs):
        shift = round_ % len(commands)
        for name, argv in commands[shift:] + commands[:shift]:
            w, c = run_once(argv)
            if round_ >= args.warmup:
                wall[name].append(w)
                cpu[name].append(c)
    ms = lambda s: f"{s * 1000:.1f}"
    header = "| Command | wall median (ms) | wall p10-p90 | wall min-max | CPU median (ms) |"
    header += "".join(f" wall vs {r} | CPU vs {r} |" for r in refs)
    print(f"{args.runs} paired rounds, {args.warmup} warm-up rounds; load average at the end: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    print()
    print(header)
    print("|:---" + "|---:" * (header.count("|") - 2) + "|")
    for name in names:
        row = (f"| {name} | {ms(statistics.median(wall[name]))} | "
               f"{ms(quantile(wall[name], 0.1))}-{ms(quantile(wall[name], 0.9))} | "
               f"{ms(min(wall[name]))}-{ms(max(wall[name]))} | {ms(statistics.median(cpu[name]))} |")
        for r in refs:
            wr = statistics.median(a / b for a, b in zip(wall[name], wall[r]))
            cr = statistics.median(a / b if b else float("nan") for a, b in zip(cpu[name], cpu[r]))
            row += f" {wr:.2f} | {cr:.2f} |"
        print(row)


if __name__ == "__main__":
    main()
