"""Warm end-to-end times of the command line on a data folder: each command as a user types it,
plain and `--as-of` a date, from the snapshot.

    python3 benches/warm.py --data target/bench/synth-1000000 [--as-of 2012] [--runs 5]

It builds the release binary, picks its subjects from the folder the way `benches/compare.py`
does (it reads WORK/subjects-N.json, which compare.py writes, when it is there; otherwise it
asks `examples/queries.rs`), runs every command once to write the snapshots (the plain one,
and the one for the date), and then `--runs` more times, each under `/usr/bin/time`: the
table gives the median wall time with the least and greatest, the median CPU time (user +
system) and the greatest peak resident memory. The first run as of a date, which builds that
date's snapshot, is given on its own line. It prints a Markdown table, ready to paste, with
the date, commit, machine and load average above it.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "threatgraph")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def timed(args, env):
    """One run of threatgraph with `args`: (wall s, CPU s, peak bytes)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        t = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%U %S %M", BIN] + args,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        # 1 is a "no" answer (no chain, no path), as the command line defines it.
        if done.returncode not in (0, 1):
            sys.exit(f"threatgraph {' '.join(args)} exited with {done.returncode}")
        wall = time.perf_counter() - t
        user, system, kb = out.read().split()[-3:]
    return wall, float(user) + float(system), int(kb) * 1024


def subjects(data):
    n = os.path.basename(os.path.normpath(data)).removeprefix("synth-")
    given = os.path.join(os.path.dirname(os.path.normpath(data)), f"subjects-{n}.json")
    if os.path.exists(given):
        with open(given, encoding="utf-8") as f:
            return json.load(f)["subjects"]
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "queries"], cwd=ROOT, check=True)
    return json.loads(run([os.path.join(ROOT, "target/release/examples/queries"), "--data", data, "--quick"]))["subjects"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--as-of", default="2012", dest="as_of")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    s = subjects(args.data)
    env = dict(os.environ, THREATGRAPH_CACHE=os.path.join(ROOT, "target", "bench", "cache"), NO_COLOR="1")
    name = json.loads(run([BIN, "--data", args.data, "show", s["median"], "--format", "json"], env=env))
    name = name.get("entity", name).get("name")
    commands = [
        ("`search NAME`", ["search", name, "--limit", "3"]),
        ("`show ID`", ["show", s["median"]]),
        ("`show HUB` (every link printed)", ["show", s["hub"]]),
        ("`neighbours ID --depth 2`", ["neighbours", s["median"], "--depth", "2"]),
        ("`path A B` (3 ranked routes)", ["path", s["a"], s["b"]]),
        ("`path A B --shortest`", ["path", s["a"], s["b"], "--shortest"]),
        ("`chain ID`", ["chain", s["median"]]),
        ("`timeline --around ID --subkind Attack`", ["timeline", "--around", s["median"], "--subkind", "Attack"]),
    ]
    commit = run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT).strip()
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT).strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"`python3 benches/warm.py --data {args.data} --as-of {args.as_of} --runs {args.runs}`, "
          f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}"
          f"{' (with uncommitted changes)' if dirty else ''}; {os.cpu_count()} cores, {cpu}, "
          f"{platform.system()} {platform.release()}; load average at the start "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {run([BIN, '--version']).splitlines()[0]}.")
    print(f"Subjects: {s['median']} (\"{name}\"), hub {s['hub']}, path from {s['a']} to {s['b']}.\n")
    print(f"| command | plain: wall s, median (least-greatest) | CPU s | peak MB | `--as-of {args.as_of}`: wall s | CPU s | peak MB |")
    print("|---|---|---|---|---|---|---|")
    first_dated = None
    for label, cmd in commands:
        row = []
        for dated in (False, True):
            full = ["--data", args.data] + (["--as-of", args.as_of] if dated else []) + cmd
            first = timed(full, env)
            if dated and first_dated is None:
                first_dated = first
            runs = [timed(full, env) for _ in range(args.runs)]
            walls = sorted(r[0] for r in runs)
            row += [f"{statistics.median(walls):.2f} ({walls[0]:.2f}-{walls[-1]:.2f})",
                    f"{statistics.median(r[1] for r in runs):.2f}", f"{max(r[2] for r in runs) / 1e6:,.0f}"]
        print(f"| {label} | " + " | ".join(row) + " |")
    wall, cpu_s, peak = first_dated
    print(f"\nThe first command as of {args.as_of} (it builds that date's snapshot from the plain one, "
          f"unless an earlier run left it in the cache): {wall:.1f} s wall, {cpu_s:.1f} s CPU, {peak / 1e6:,.0f} MB peak.")


if __name__ == "__main__":
    sys.exit(main())
