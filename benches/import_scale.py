"""Import of FollowTheMoney entities at scale: time and peak memory, one table.

    python3 benches/import_scale.py --sizes 100000,1000000 [--work target/import-scale]

For each size N it writes the synthetic dataset of N entities (`examples/synth`, seed 1, into
WORK/synth-N, once), exports it as FtM JSON lines (`export ftm`, WORK/synth-N.ftm.json, once),
then imports that file into a copy of the repository's `data/` (`import ftm ... --as synth`,
the snapshot cache off) and loads the result once (`check`, which must pass). Times are
wall-clock seconds of one run; memory is each process's peak resident set (`/usr/bin/time -f
%M`). The import measures its two parts itself (hidden `--measure`: `VmHWM`, reset between
parts): reading, joining and writing (streamed: it holds no record whole, only a foreign id,
new id and kind per entity and a hash per link) and the check of the data folder as it will
be, which loads everything written, as `check` does (the last columns, for comparison). Builds the release binary
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
    """Runs `args`; gives (seconds, peak RSS in MiB, its stderr). Fails loudly on a non-zero exit."""
    out = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M"] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **kw
    )
    last = out.stderr.strip().splitlines()[-1]
    if out.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({out.returncode}):\n{out.stderr}")
    seconds, kib = last.split()
    return float(seconds), int(kib) / 1024, out.stderr


def parts(stderr):
    """The parts an import measured itself (`--measure`): [(seconds, peak MiB)], in order."""
    found = []
    for line in stderr.splitlines():
        if line.startswith("measure: "):
            _, figures = line.rsplit(": ", 1)
            seconds, _, _, mib, _ = figures.split()
            found.append((float(seconds), float(mib)))
    return found


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
        import_args = [BIN, "--data", data, "import", "ftm", ftm, "--as", "synth", "--measure"]
        t_import, rss_import, err = timed(import_args, env=env)
        (t_stream, rss_stream), (t_staged, rss_staged) = parts(err)
        folder = os.path.join(data, "imported", "synth")
        out_bytes = size_of(folder)
        files = len([f for f in os.listdir(folder) if f.startswith("facts")])
        largest = max(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        t_check, rss_check, _ = timed([BIN, "--data", data, "check"], env=env)
        rows.append((n, lines, size_of(ftm), t_import, rss_import, t_stream, rss_stream, t_staged, rss_staged,
                     out_bytes, files, largest, t_check, rss_check))
        shutil.rmtree(data)
    print("| entities | FtM lines | input | import | its peak RSS | of which: read, join, write | its peak RSS "
          "| check as it will be | its peak RSS | written | facts files (largest) | `check` of the result | its peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, lines, inb, ti, ri, ts, rs, tv, rv, outb, files, largest, tc, rc in rows:
        print(
            f"| {n:,} | {lines:,} | {inb / 2**20:,.0f} MiB | {ti:.1f} s | {ri:,.0f} MiB | {ts:.1f} s | {rs:,.0f} MiB "
            f"| {tv:.1f} s | {rv:,.0f} MiB | {outb / 2**20:,.0f} MiB | {files} ({largest / 2**20:,.0f} MiB) "
            f"| {tc:.1f} s (passes) | {rc:,.0f} MiB |"
        )


if __name__ == "__main__":
    main()
