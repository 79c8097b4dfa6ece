"""Import of FollowTheMoney entities at scale: time and peak memory, one table.

    python3 benches/import_scale.py --sizes 100000,1000000 [--work target/import-scale]

For each size N it writes the synthetic dataset of N entities (`examples/synth`, seed 1, into
WORK/synth-N, once), exports it as FtM JSON lines (`export ftm`, WORK/synth-N.ftm.json, once),
then imports that file into a copy of the repository's `data/` (`import ftm ... --as synth`,
the snapshot cache off) and loads the result once (`check`). Times are wall-clock seconds of
one run; memory is each process's peak resident set (`/usr/bin/time -f %M`). The import reads
its input a line at a time, so what its peak grows with is what it writes (the entities and
links, and the folder checked as it will be), not the input: the `check` column is the peak
of merely loading and validating what was written, for comparison. Builds the release binary
first (`cargo build --release`; the generator only when a dataset is missing).
"""

import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "threatgraph")


def timed(args, **kw):
    """Runs `args`; gives (seconds, peak RSS in MiB). Fails loudly on a non-zero exit."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw
    )
    last = out.stderr.strip().splitlines()[-1]
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    seconds, kib = last.split()
    return float(seconds), int(kib) / 1024


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--work", default=os.path.join(ROOT, "target", "import-scale"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "threatgraph"], cwd=ROOT, check=True)
    env = dict(os.environ, THREATGRAPH_CACHE="off")
    rows = []
    for n in [int(s) for s in a.sizes.split(",")]:
        folder = os.path.join(a.work, f"synth-{n}")
        if not os.path.isdir(folder):
            synth = ["cargo", "run", "--release", "-q", "--example", "synth", "--"]
            subprocess.run(synth + ["--entities", str(n), "--seed", "1", "--out", folder], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        ftm = os.path.join(a.work, f"synth-{n}.ftm.json")
        if not os.path.isfile(ftm):
            subprocess.run([BIN, "--data", folder, "export", "ftm", "-o", ftm], check=True, env=env, stdout=subprocess.DEVNULL)
        with open(ftm, "rb") as f:
            lines = sum(1 for _ in f)
        data = os.path.join(a.work, f"data-{n}")
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "data"), data, ignore=shutil.ignore_patterns("imported"))
        t_import, rss_import = timed([BIN, "--data", data, "import", "ftm", ftm, "--as", "synth"], env=env)
        out_bytes = size_of(os.path.join(data, "imported", "synth"))
        t_check, rss_check = timed([BIN, "--data", data, "check"], env=env)
        rows.append((n, lines, size_of(ftm), t_import, rss_import, out_bytes, t_check, rss_check))
        shutil.rmtree(data)
    print("| entities | FtM lines | input | import | import peak RSS | written | `check` of the result | its peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, lines, inb, ti, ri, outb, tc, rc in rows:
        print(
            f"| {n:,} | {lines:,} | {inb / 2**20:,.0f} MiB | {ti:.1f} s | {ri:,.0f} MiB | {outb / 2**20:,.0f} MiB "
            f"| {tc:.1f} s | {rc:,.0f} MiB |"
        )


if __name__ == "__main__":
    main()
