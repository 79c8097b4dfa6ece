"""threatgraph beside NetworkX and igraph: the same synthetic graph, the same questions, one run.

    python3 benches/compare.py --sizes 10000,100000 [--pivots 100] [--work target/bench] [--quick]

For each size it writes a dataset with the synthetic generator (`examples/synth`, into
WORK/synth-N, once), times threatgraph's load and queries in one process
(`examples/queries.rs`) twice, on every core and pinned to one (`taskset -c 0`), then loads the
generator's `graph.json` (the same graph, node-link JSON) into NetworkX and into igraph, each
in its own Python process pinned to the same one core, and asks the same questions from the
same entities. It prints one Markdown table per size, ready to paste, with the date, commit,
machine and versions above it, and writes the raw figures to WORK/compare.json.

Like for like:
- Every library sees the same network: undirected, one connection per pair of entities,
  Refuted links left out (threatgraph never follows them), edges added in sorted order, and
  the Python children run with PYTHONHASHSEED=0.
- Load is cold on every side: threatgraph parses and validates RON and builds its graph; the
  others parse JSON and build theirs. PageRank, betweenness and clusters include building the
  network they run on (threatgraph's entity network; the Python libraries built theirs in
  load, so their figure is the measure alone: this favours them).
- The ratios use threatgraph on one core, as the Python libraries use one; the all-cores
  column is threatgraph's real speed on this machine.
- Quick questions run QUICK_RUNS times on every side: the table gives the median, with the
  least and greatest beside it; slow ones run once.
- Memory is given twice on every side: resident after load, and the peak of the whole run
  (threatgraph's from its one-core run, which writes no weights file; the Python sides' taken
  before the ranked routes add weights to their graph).

The run fails (exit 1, after writing compare.json) when the answers disagree: shortest path
length, the number of simple paths up to 4 links (as distinct entity sequences), the cheapest
of the ranked routes, the top 10 of PageRank and of betweenness from the very same pivots
(an entity may stand in for another whose score is within TOP_TOLERANCE of the tenth), and
community count and modularity within COMMUNITY_TOLERANCE. `--quick` skips NetworkX's
betweenness and Louvain (at 1,000,000 entities each would take the best part of an hour):
they print as `-`, and those answers are checked against igraph alone. Needs
`pip install -r .ci/requirements-bench.txt` and `taskset` (util-linux).
"""

import argparse
import datetime
import gc
import itertools
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Runs of each quick question, the same as examples/queries.rs.
QUICK_RUNS = 21
# Runs of the ranked routes (a few milliseconds to seconds each).
ROUTE_RUNS = 5
# A top-10 entity of threatgraph's may be missing from another library's top 10 only if that
# library scores it within this relative distance of its own tenth (a tie at the boundary).
TOP_TOLERANCE = {"pagerank": 1e-4, "betweenness": 1e-9}
# Louvain is randomised and each library moves nodes in its own order: the community count may
# differ by this fraction, and the modularity by this much (absolute).
COMMUNITY_TOLERANCE = {"count": 0.25, "modularity": 0.02}
# The single core that one-core runs are pinned to.
ONE_CORE = ["taskset", "-c", "0"]


def runs(n, f):
    """The median, least and greatest time of `n` runs of `f`, and its last answer."""
    times = []
    out = None
    for _ in range(n):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    times.sort()
    return {"median": times[len(times) // 2], "min": times[0], "max": times[-1], "runs": n}, out


def once(f):
    return runs(1, f)


def memory(field):
    """A figure of /proc/self/status in bytes: VmRSS (resident now) or VmHWM (peak)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return None


def top_check(name, tg_top, scores, index):
    """Whether another library's scores agree with threatgraph's top 10, and why not."""
    ranked = sorted(scores.values() if isinstance(scores, dict) else scores, reverse=True)
    tenth = ranked[min(9, len(ranked) - 1)]
    missing = [x for x in tg_top if scores[index[x]] < tenth * (1 - TOP_TOLERANCE[name])]
    return {"agrees": not missing, "outside_top10": missing}


def library_run(lib, data_dir, subjects, tg_answers, quick):
    """Runs in a child process: load graph.json into `lib`, answer the questions, report."""
    t0 = time.perf_counter()
    with open(os.path.join(data_dir, "graph.json"), encoding="utf-8") as f:
        doc = json.load(f)
    ids = [n["id"] for n in doc["nodes"]]
    pairs = sorted(
        {
            (l["source"], l["target"]) if l["source"] <= l["target"] else (l["target"], l["source"])
            for l in doc["links"]
            if l.get("certainty") != "Refuted" and l["source"] != l["target"]
        }
    )
    pivots = subjects["pivots"]
    q = {}
    answers = {}
    if lib == "networkx":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(ids)
        g.add_edges_from(pairs)
        del doc, pairs
        gc.collect()
        load = time.perf_counter() - t0
        rss_after_load = memory("VmRSS:")
        hub, median, a, b = (subjects[k] for k in ("hub", "median", "a", "b"))
        q["search"], _ = runs(QUICK_RUNS, lambda: [n for n in g if median.split("-")[0] in n][:10])
        q["show"], _ = runs(QUICK_RUNS, lambda: list(g.edges(hub)))
        q["neighbours_depth_2"], _ = runs(QUICK_RUNS, lambda: nx.single_source_shortest_path_length(g, median, cutoff=2))
        q["shortest_path"], path = runs(QUICK_RUNS, lambda: nx.shortest_path(g, a, b))
        q["all_paths_max_len_4"], allp = once(lambda: list(itertools.islice(nx.all_simple_paths(g, a, b, cutoff=4), 1000)))
        # threatgraph's stopping rule (rank::PAGERANK_TOLERANCE): a total change below 1e-12.
        q["pagerank"], pr = once(lambda: nx.pagerank(g, tol=1e-12 / g.number_of_nodes(), max_iter=1000))
        index = {x: x for x in ids}
        answers["pagerank"] = top_check("pagerank", tg_answers["pagerank_top10"], pr, index)
        if not quick:
            q["betweenness_sampled"], bc = once(
                lambda: nx.betweenness_centrality_subset(g, sources=pivots, targets=ids, normalized=False)
            )
            answers["betweenness"] = top_check("betweenness", tg_answers["betweenness_top10"], bc, index)

            def louvain():
                return list(nx.connected_components(g)), nx.community.louvain_communities(g, seed=0)

            q["clusters"], (_, comms) = once(louvain)
            answers["communities"] = sum(1 for c in comms if len(c) > 1 or any(g.degree(x) for x in c))
            answers["modularity"] = nx.community.modularity(g, comms)
        peak = memory("VmHWM:")
        answers["shortest_path_len"] = len(path) - 1
        answers["all_paths"] = len(allp)
        weights = os.path.join(data_dir, "weights.tsv")
        # The ranked routes: Yen's k shortest simple paths on the weights threatgraph searches
        # (see examples/queries.rs), set on the graph already built: only the search is timed.
        with open(weights, encoding="utf-8") as f:
            for line in f:
                x, y, c = line.split("\t")
                g[x][y]["w"] = int(c)

        def ranked():
            routes = list(itertools.islice(nx.shortest_simple_paths(g, a, b, weight="w"), 3))
            return [nx.path_weight(g, r, "w") for r in routes]

        q["ranked_routes_3"], answers["ranked_route_weights"] = runs(ROUTE_RUNS, ranked)
        edges = g.number_of_edges()
        version = nx.__version__
    else:
        import igraph as ig

        index = {name: i for i, name in enumerate(ids)}
        g = ig.Graph(n=len(ids), edges=[(index[x], index[y]) for x, y in pairs], directed=False)
        g.vs["name"] = ids
        del doc
        gc.collect()
        load = time.perf_counter() - t0
        rss_after_load = memory("VmRSS:")
        hub, median, a, b = (index[subjects[k]] for k in ("hub", "median", "a", "b"))
        needle = subjects["median"].split("-")[0]
        q["search"], _ = runs(QUICK_RUNS, lambda: [n for n in g.vs["name"] if needle in n][:10])
        q["show"], _ = runs(QUICK_RUNS, lambda: g.incident(hub))
        q["neighbours_depth_2"], _ = runs(QUICK_RUNS, lambda: g.neighborhood(median, order=2))
        q["shortest_path"], path = runs(QUICK_RUNS, lambda: g.get_shortest_paths(a, to=b)[0])
        q["all_paths_max_len_4"], allp = once(lambda: g.get_all_simple_paths(a, to=b, maxlen=4, max_results=1000))
        q["pagerank"], pr = once(lambda: g.pagerank())
        answers["pagerank"] = top_check("pagerank", tg_answers["pagerank_top10"], pr, index)
        sources = [index[p] for p in pivots]
        q["betweenness_sampled"], bc = once(lambda: g.betweenness(sources=sources, directed=False))
        answers["betweenness"] = top_check("betweenness", tg_answers["betweenness_top10"], bc, index)
        q["clusters"], (_, comms) = once(lambda: (g.connected_components(), g.community_multilevel()))
        answers["communities"] = sum(1 for c in comms if len(c) > 1 or any(g.degree(x) for x in c))
        answers["modularity"] = comms.modularity
        peak = memory("VmHWM:")
        answers["shortest_path_len"] = len(path) - 1
        answers["all_paths"] = len(allp)
        weight = {}
        with open(os.path.join(data_dir, "weights.tsv"), encoding="utf-8") as f:
            for line in f:
                x, y, c = line.split("\t")
                weight[(index[x], index[y])] = int(c)
        w = [weight[(e.source, e.target)] if (e.source, e.target) in weight else weight[(e.target, e.source)] for e in g.es]
        del weight

        def ranked():
            routes = g.get_k_shortest_paths(a, to=b, k=3, weights=w, output="epath")
            return [sum(w[e] for e in r) for r in routes]

        q["ranked_routes_3"], answers["ranked_route_weights"] = runs(ROUTE_RUNS, ranked)
        edges = g.ecount()
        version = ig.__version__
    return {
        "library": lib,
        "load": {"median": load, "min": load, "max": load, "runs": 1},
        "queries": q,
        "answers": answers,
        "connections": edges,
        "rss_after_load_bytes": rss_after_load,
        "peak_rss_bytes": peak,
        "version": version,
    }


def run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return done.stdout


def machine():
    """Date, commit, machine and versions: the lines above every table."""
    commit = run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT).strip()
    dirty = run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT).strip()
    cpu = "?"
    with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import igraph
    import networkx

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "machine": f"{os.cpu_count()} cores, {cpu}, {platform.system()} {platform.release()}",
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "versions": f"{run(['rustc', '--version']).strip()}; Python {platform.python_version()}, "
        f"NetworkX {networkx.__version__}, python-igraph {igraph.__version__}",
    }


def agreement(tg, libs):
    """The answers compared: (lines to print, problems that fail the run)."""
    lines, problems = [], []
    t = tg["answers"]
    for key, label in (("shortest_path_len", "shortest path length"), ("all_paths", "simple paths up to 4 links")):
        mine = t["all_paths_distinct_routes"] if key == "all_paths" else t[key]
        theirs = {name: lib["answers"][key] for name, lib in libs.items()}
        lines.append(f"{label}: threatgraph {mine}, " + ", ".join(f"{n} {v}" for n, v in theirs.items()))
        problems += [f"{label}: {n} finds {v}, threatgraph {mine}" for n, v in theirs.items() if v != mine]
    cheapest = {n: lib["answers"]["ranked_route_weights"][:1] for n, lib in libs.items()}
    mine = t["ranked_route_weights"][:1]
    lines.append(f"cheapest ranked route's weight: threatgraph {mine}, " + ", ".join(f"{n} {v}" for n, v in cheapest.items()))
    problems += [f"cheapest ranked route: {n} {v}, threatgraph {mine}" for n, v in cheapest.items() if v != mine]
    for measure in ("pagerank", "betweenness"):
        checked = {n: lib["answers"][measure] for n, lib in libs.items() if measure in lib["answers"]}
        same = [n for n, c in checked.items() if c["agrees"]]
        lines.append(f"{measure} top 10: " + (", ".join(f"{n} agrees" for n in same) or "not compared"))
        problems += [f"{measure} top 10: {n} ranks {c['outside_top10']} outside its top 10" for n, c in checked.items() if not c["agrees"]]
    if "communities" in t:
        parts = [f"threatgraph {t['communities']} (modularity {t['modularity']:.4f})"]
        for n, lib in libs.items():
            a = lib["answers"]
            if "communities" not in a:
                continue
            parts.append(f"{n} {a['communities']} ({a['modularity']:.4f})")
            if abs(a["communities"] - t["communities"]) > COMMUNITY_TOLERANCE["count"] * max(a["communities"], t["communities"]):
                problems.append(f"community count: {n} {a['communities']}, threatgraph {t['communities']}")
            if abs(a["modularity"] - t["modularity"]) > COMMUNITY_TOLERANCE["modularity"]:
                problems.append(f"modularity: {n} {a['modularity']:.4f}, threatgraph {t['modularity']:.4f}")
        lines.append("communities: " + ", ".join(parts))
    return lines, problems


def print_table(n, about, tg, tg1, libs, quick):
    nx_, ig = libs["networkx"], libs["igraph"]
    print(f"\n### {n:,} entities\n")
    print(f"`python3 benches/compare.py --sizes {n}{' --quick' if quick else ''}`, {about['date']}, commit {about['commit']}; "
          f"{about['machine']}; load average at the start {about['load_average']}; {about['versions']}.")
    print(f"{tg['links']:,} links, {tg['connections']:,} connections (NetworkX {nx_['connections']:,}, igraph {ig['connections']:,}).")
    print("Seconds: the median of the runs, (least-greatest) when there were several. The ratios divide by threatgraph on one core.\n")
    print("| | threatgraph, all cores | threatgraph, one core | NetworkX | igraph | NetworkX ÷ threatgraph | igraph ÷ threatgraph |")
    print("|---|---|---|---|---|---|---|")

    def cell(x):
        if x is None:
            return "-"
        m = x["median"]
        s = f"{m:.2g}" if m < 0.01 else f"{m:.3g}" if m < 100 else f"{m:,.0f}"
        if x["runs"] > 1:
            s += f" ({x['min']:.2g}-{x['max']:.2g})"
        return s

    def ratio(x, base):
        if x is None or base is None or base["median"] <= 0:
            return "-"
        r = x["median"] / base["median"]
        return f"{r:.2g}" if r < 10 else f"{r:,.0f}"

    rows = [
        ("load (cold: RON parsed, validated, built; JSON parsed, built)", "load"),
        ("search", "search"),
        ("show the hub", "show"),
        ("neighbours, depth 2", "neighbours_depth_2"),
        ("shortest path", "shortest_path"),
        ("3 ranked routes (weighted; Yen)", "ranked_routes_3"),
        ("all simple paths up to 4 links", "all_paths_max_len_4"),
        ("path-to-attack chains (threatgraph only)", "chain"),
        ("PageRank (threatgraph: with its network build)", "pagerank"),
        (f"betweenness, {len(tg['subjects']['pivots'])} pivots (same)", "betweenness_sampled"),
        ("components and Louvain communities", "clusters"),
    ]
    for label, key in rows:
        get = lambda r: r["load"]["total_stats"] if key == "load" and "total_stats" in r["load"] else (r["load"] if key == "load" else r["queries"].get(key))
        a, b, c, d = get(tg), get(tg1), get(nx_), get(ig)
        print(f"| {label} | {cell(a)} | {cell(b)} | {cell(c)} | {cell(d)} | {ratio(c, b)} | {ratio(d, b)} |")
    mb = lambda x: f"{x / 1e6:,.0f}" if x else "-"
    mratio = lambda x, base: f"{x / base:.2g}" if x and base else "-"
    print(f"| memory after load (MB) | {mb(tg['rss_after_load_bytes'])} | {mb(tg1['rss_after_load_bytes'])} | {mb(nx_['rss_after_load_bytes'])} | {mb(ig['rss_after_load_bytes'])} | {mratio(nx_['rss_after_load_bytes'], tg1['rss_after_load_bytes'])} | {mratio(ig['rss_after_load_bytes'], tg1['rss_after_load_bytes'])} |")
    print(f"| peak memory (MB) | - | {mb(tg1['peak_rss_bytes'])} | {mb(nx_['peak_rss_bytes'])} | {mb(ig['peak_rss_bytes'])} | {mratio(nx_['peak_rss_bytes'], tg1['peak_rss_bytes'])} | {mratio(ig['peak_rss_bytes'], tg1['peak_rss_bytes'])} |")


def threatgraph(data, pivots, prefix, weights=None):
    cmd = prefix + [os.path.join(ROOT, "target/release/examples/queries"), "--data", data, "--pivots", str(pivots)]
    if weights:
        cmd += ["--weights", weights]
    out = json.loads(run(cmd))
    load = out["load"]["total"]
    out["load"]["total_stats"] = {"median": load, "min": load, "max": load, "runs": 1}
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--pivots", type=int, default=100)
    p.add_argument("--work", default=os.path.join(ROOT, "target", "bench"))
    p.add_argument("--quick", action="store_true", help="skip NetworkX's betweenness and Louvain")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--subjects", help=argparse.SUPPRESS)
    p.add_argument("--answers", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        with open(args.subjects, encoding="utf-8") as f:
            given = json.load(f)
        print(json.dumps(library_run(args.child, args.data, given["subjects"], given["answers"], args.quick)))
        return

    os.makedirs(args.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "synth", "--example", "queries"], cwd=ROOT, check=True)
    about = machine()
    report = {"about": about}
    failed = []
    for n in [int(s) for s in args.sizes.split(",")]:
        data = os.path.join(args.work, f"synth-{n}")
        if not os.path.exists(os.path.join(data, "graph.json")):
            run([os.path.join(ROOT, "target/release/examples/synth"), "--entities", str(n), "--seed", "1", "--out", data])
        weights = os.path.join(data, "weights.tsv")
        tg = threatgraph(data, args.pivots, [], weights)
        tg1 = threatgraph(data, args.pivots, ONE_CORE)
        given = os.path.join(args.work, f"subjects-{n}.json")
        with open(given, "w", encoding="utf-8") as f:
            json.dump({"subjects": tg["subjects"], "answers": tg["answers"]}, f)
        env = dict(os.environ, PYTHONHASHSEED="0")
        libs = {}
        for lib in ("networkx", "igraph"):
            cmd = ONE_CORE + [sys.executable, __file__, "--child", lib, "--data", data, "--subjects", given]
            libs[lib] = json.loads(run(cmd + (["--quick"] if args.quick else []), env=env))
        report[str(n)] = {"threatgraph": tg, "threatgraph_one_core": tg1, **libs}
        print_table(n, about, tg, tg1, libs, args.quick)
        lines, problems = agreement(tg, libs)
        print("\nAnswers compared: " + "; ".join(lines) + ".")
        failed += [f"{n:,} entities: {p}" for p in problems]
    report["disagreements"] = failed
    with open(os.path.join(args.work, "compare.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)
    if failed:
        sys.exit("the answers disagree:\n" + "\n".join(failed))


if __name__ == "__main__":
    main()
