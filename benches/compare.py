"""threatgraph beside NetworkX and igraph: the same synthetic graph, the same questions, one run.

    python3 benches/compare.py --sizes 10000,100000 [--pivots 100] [--work target/bench] [--quick]

For each size it writes a dataset with the synthetic generator (`examples/synth`, into
WORK/synth-N, once), times threatgraph's load and queries in one process
(`examples/queries.rs`), then loads the generator's `graph.json` (the same graph, node-link
JSON) into NetworkX and into igraph, each in its own Python process, and asks the same
questions from the same entities. It prints one table per size with the ratios, and writes
the raw figures to WORK/compare.json.

Every library sees the same network: undirected, one connection per pair of entities,
Refuted links left out (threatgraph never follows them). Times are wall-clock seconds of the
best of a few runs for quick queries, of one run for slow ones; memory is the process's peak
resident set after loading and answering. `--quick` skips NetworkX's betweenness and Louvain
(at 1,000,000 entities each would take the best part of an hour); they print as `-`. Needs `pip install networkx igraph` (the versions
CI uses are in .ci/requirements-bench.txt).
"""

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Runs of each quick query (the least time counts), the same as examples/queries.rs: on a
# shared machine a microsecond query's single runs vary several times over.
QUICK_RUNS = 21


def best(runs, f):
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def library_run(lib, data_dir, subjects, pivots, quick):
    """Runs in a child process: load graph.json into `lib`, answer the questions, report."""
    t0 = time.perf_counter()
    doc = load_json(os.path.join(data_dir, "graph.json"))
    ids = [n["id"] for n in doc["nodes"]]
    pairs = {
        (l["source"], l["target"]) if l["source"] <= l["target"] else (l["target"], l["source"])
        for l in doc["links"]
        if l.get("certainty") != "Refuted" and l["source"] != l["target"]
    }
    q = {}
    if lib == "networkx":
        import networkx as nx

        g = nx.Graph()
        g.add_nodes_from(ids)
        g.add_edges_from(pairs)
        del doc
        load = time.perf_counter() - t0
        hub, median, a, b = (subjects[k] for k in ("hub", "median", "a", "b"))
        q["search"], _ = best(QUICK_RUNS, lambda: [n for n in g if median.split("-")[0] in n][:10])
        q["show"], _ = best(QUICK_RUNS, lambda: list(g.edges(hub)))
        q["neighbours_depth_2"], _ = best(QUICK_RUNS, lambda: nx.single_source_shortest_path_length(g, median, cutoff=2))
        q["shortest_path"], path = best(QUICK_RUNS, lambda: nx.shortest_path(g, a, b))
        q["all_paths_max_len_4"], allp = best(
            1, lambda: list(itertools.islice(nx.all_simple_paths(g, a, b, cutoff=4), 1000))
        )
        q["pagerank"], _ = best(1, lambda: nx.pagerank(g))
        if not quick:
            q["betweenness_sampled"], _ = best(
                1, lambda: nx.betweenness_centrality(g, k=min(pivots, len(ids)), seed=0)
            )
            q["clusters"], _ = best(
                1, lambda: (list(nx.connected_components(g)), nx.community.louvain_communities(g, seed=0))
            )
        answers = {"shortest_path_len": len(path) - 1, "all_paths": len(allp)}
        weights = os.path.join(data_dir, "weights.tsv")
        if os.path.exists(weights):
            # The ranked routes: Yen's k shortest simple paths on the weights threatgraph
            # searches (see examples/queries.rs), the network built inside the timing.
            def ranked():
                w = nx.Graph()
                with open(weights, encoding="utf-8") as f:
                    for line in f:
                        x, y, c = line.split("\t")
                        w.add_edge(x, y, w=int(c))
                routes = list(itertools.islice(nx.shortest_simple_paths(w, a, b, weight="w"), 3))
                return [nx.path_weight(w, r, "w") for r in routes]

            q["ranked_routes_3"], answers["ranked_route_weights"] = best(1, ranked)
        edges = g.number_of_edges()
    else:
        import igraph as ig

        index = {name: i for i, name in enumerate(ids)}
        g = ig.Graph(n=len(ids), edges=[(index[x], index[y]) for x, y in pairs], directed=False)
        g.vs["name"] = ids
        del doc
        load = time.perf_counter() - t0
        hub, median, a, b = (index[subjects[k]] for k in ("hub", "median", "a", "b"))
        needle = subjects["median"].split("-")[0]
        q["search"], _ = best(QUICK_RUNS, lambda: [n for n in g.vs["name"] if needle in n][:10])
        q["show"], _ = best(QUICK_RUNS, lambda: g.incident(hub))
        q["neighbours_depth_2"], _ = best(QUICK_RUNS, lambda: g.neighborhood(median, order=2))
        q["shortest_path"], path = best(QUICK_RUNS, lambda: g.get_shortest_paths(a, to=b)[0])
        q["all_paths_max_len_4"], allp = best(1, lambda: g.get_all_simple_paths(a, to=b, maxlen=4, max_results=1000))
        q["pagerank"], _ = best(1, lambda: g.pagerank())
        rng = random.Random(0)
        sources = rng.sample(range(len(ids)), min(pivots, len(ids)))
        q["betweenness_sampled"], _ = best(1, lambda: g.betweenness(sources=sources, directed=False))
        q["clusters"], _ = best(1, lambda: (g.connected_components(), g.community_multilevel()))
        answers = {"shortest_path_len": len(path) - 1, "all_paths": len(allp)}
        edges = g.ecount()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "library": lib,
        "load": load,
        "queries": q,
        "answers": answers,
        "connections": edges,
        "peak_rss_bytes": rss,
        "version": __import__("networkx" if lib == "networkx" else "igraph").__version__,
    }


def run(cmd, **kw):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)
    return out.stdout


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--pivots", type=int, default=100)
    p.add_argument("--work", default=os.path.join(ROOT, "target", "bench"))
    p.add_argument("--quick", action="store_true", help="skip NetworkX's betweenness and Louvain")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--data", help=argparse.SUPPRESS)
    p.add_argument("--subjects", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(library_run(args.child, args.data, json.loads(args.subjects), args.pivots, args.quick)))
        return

    os.makedirs(args.work, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "synth", "--example", "queries"], cwd=ROOT, check=True)
    report = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        data = os.path.join(args.work, f"synth-{n}")
        if not os.path.exists(os.path.join(data, "graph.json")):
            run([os.path.join(ROOT, "target/release/examples/synth"), "--entities", str(n), "--seed", "1", "--out", data])
        tg = json.loads(run([os.path.join(ROOT, "target/release/examples/queries"), "--data", data, "--pivots", str(args.pivots), "--weights", os.path.join(data, "weights.tsv")]))
        libs = {}
        for lib in ("networkx", "igraph"):
            libs[lib] = json.loads(
                run([sys.executable, __file__, "--child", lib, "--data", data, "--subjects", json.dumps(tg["subjects"]), "--pivots", str(args.pivots)] + (["--quick"] if args.quick else []))
            )
        report[n] = {"threatgraph": tg, **libs}
        print_table(n, tg, libs)
    with open(os.path.join(args.work, "compare.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2, sort_keys=True)


def print_table(n, tg, libs):
    nx_, ig = libs["networkx"], libs["igraph"]
    print(f"\n{n:,} entities, {tg['links']:,} links ({tg['connections']:,} connections; NetworkX {nx_['connections']:,}, igraph {ig['connections']:,})")
    print(f"{'':24} {'threatgraph':>12} {'NetworkX':>10} {'igraph':>10} {'NX / tg':>9} {'igraph / tg':>12}")

    def row(name, t, a, b):
        ratio = lambda x: f"{x / t:.1f}x" if t > 0 and x is not None else "-"
        fmt = lambda x: f"{x:.4f}" if x is not None else "-"
        print(f"{name:24} {fmt(t):>12} {fmt(a):>10} {fmt(b):>10} {ratio(a):>9} {ratio(b):>12}")

    row("load (s)", tg["load"]["total"], nx_["load"], ig["load"])
    for k in ["search", "show", "neighbours_depth_2", "shortest_path", "ranked_routes_3", "all_paths_max_len_4", "pagerank", "betweenness_sampled", "clusters"]:
        row(k + " (s)", tg["queries"].get(k), nx_["queries"].get(k), ig["queries"].get(k))
    for k in ["search_first", "network_build", "chain", "dot_1000_nodes"]:
        row(k + " (s)", tg["queries"].get(k), None, None)
    mb = lambda x: x / 1e6 if x else None
    row("peak memory (MB)", mb(tg["peak_rss_bytes"]), mb(nx_["peak_rss_bytes"]), mb(ig["peak_rss_bytes"]))
    print(f"answers: threatgraph {tg['answers']}, NetworkX {nx_['answers']}, igraph {ig['answers']}")
    # The first route is the cheapest on both sides (later ones differ by design: threatgraph
    # skips near-copies and bounds the length).
    tg_w, nx_w = tg["answers"].get("ranked_route_weights"), nx_["answers"].get("ranked_route_weights")
    if tg_w and nx_w and tg_w[0] != nx_w[0]:
        sys.exit(f"the cheapest route differs: threatgraph {tg_w[0]}, NetworkX {nx_w[0]}")


if __name__ == "__main__":
    main()
