#!/usr/bin/env python3
"""Steady-state A/B comparison of two Miroir builds on the same nodes, driven by scripts/bench --ab.

One topology of real Meilisearch nodes holds the corpus (ingested through Miroir A); a second Miroir process (B,
another jar and/or other JVM options) is started in front of the same nodes, with the index's metadata copied into
its own task store. Both are warmed up (the JIT settles), then direct, nginx, A and B are measured in interleaved
rounds at each connection count, so every figure of A has a figure of B taken seconds apart under the same load of
the machine. Each figure is the median over the rounds; `other load` is listed per round. Standard library only;
reuses scripts/lib/bench.py. Writes ab.json and ab.md to the results folder.
"""
import argparse
import json
import os
import signal
import sqlite3
import statistics
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench as B  # noqa: E402


def start_miroir(b, name, nodes, rg, rf, jar, java_opts):
    """bench.Bench.start_miroir with a chosen jar and JVM options."""
    args = b.args
    saved_jar, saved_opts = b.jar, args.java_opts
    b.jar, args.java_opts = jar, java_opts
    try:
        return b.start_miroir(name, nodes, rg, rf)
    finally:
        b.jar, args.java_opts = saved_jar, saved_opts


def copy_index_meta(src_db, dst_db):
    """The index rows of A's SQLite task store into B's (B then plans searches with the same shard counts)."""
    rows = sqlite3.connect(src_db, timeout=30).execute("select * from indexes").fetchall()
    dst = sqlite3.connect(dst_db, timeout=30)
    for row in rows:
        dst.execute("insert or replace into indexes values (%s)" % ",".join("?" * len(row)), row)
    dst.commit()
    dst.close()
    return len(rows)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--jar-a", required=True, help="Miroir jar A (e.g. a build of the base commit)")
    p.add_argument("--jar-b", required=True, help="Miroir jar B")
    p.add_argument("--java-opts-a", default="", help="JVM options of A (default: none)")
    p.add_argument("--java-opts-b", default=os.environ.get("MIROIR_JAVA_OPTS_DEFAULT", ""),
                   help="JVM options of B (default: scripts/run-local's defaults)")
    p.add_argument("--topology", default="1n", help="one of " + ", ".join(B.TOPOLOGIES) + " (1n)")
    p.add_argument("--docs", type=int, default=20000, help="documents (20,000)")
    p.add_argument("--warmup", type=int, default=60, help="seconds of load on A and on B before measuring (60)")
    p.add_argument("--duration", type=int, default=15, help="seconds of each measured run (15)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    p.add_argument("--connections", default="1,4", help="comma-separated connection counts (1,4)")
    p.add_argument("--no-baselines", action="store_true", help="measure only A and B, not direct and nginx")
    p.add_argument("--out", help="results folder (.data/bench/ab-<time>)")
    a = p.parse_args()
    if a.topology not in B.TOPOLOGIES:
        B.die(f"unknown topology {a.topology}")
    stamp = __import__("datetime").datetime.now().strftime("%Y%m%d-%H%M%S")
    bargs = types.SimpleNamespace(out=a.out or os.path.join(B.ROOT, ".data", "bench", f"ab-{stamp}"), tmp=None,
                                  quick=True, shards=16, java_opts="", docs=a.docs, jfr=False, keep=False)
    b = B.Bench(bargs)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run(a, b)
    finally:
        b.cleanup()


def run(a, b):
    q = os.path.join(b.out, "queries.ndjson")
    queries = B.query_set()
    with open(q, "w") as f:
        for _, body in queries:
            f.write(json.dumps(body) + "\n")
    docs, _ = B.make_documents(a.docs)
    payloads = B.batches(docs, 5000)
    del docs
    direct, direct_pid = b.start_node("direct")
    B.setup_index(direct, B.NODE_KEY)
    B.ingest(direct, B.NODE_KEY, payloads, a.docs, [], [direct_pid])
    nginx, nginx_pid, nginx_workers = b.start_nginx(direct)
    nnodes, rg, rf = B.TOPOLOGIES[a.topology]
    nodes = []
    for i in range(nnodes):
        url, pid = b.start_node(f"{a.topology}-node{i}")
        nodes.append((f"n{i}", url, i * rg // nnodes, pid))
    spec = [(n, u, g) for n, u, g, _ in nodes]
    node_pids = [pid for *_, pid in nodes]
    url_a, pid_a = start_miroir(b, "miroir-a", spec, rg, rf, a.jar_a, a.java_opts_a)
    B.setup_index(url_a, B.MIROIR_KEY)
    r = B.ingest(url_a, B.MIROIR_KEY, payloads, a.docs, [pid_a], node_pids)
    B.log(f"ingest through A: {r['docs_per_s']} docs/s")
    url_b, pid_b = start_miroir(b, "miroir-b", spec, rg, rf, a.jar_b, a.java_opts_b)
    # B's own store gets A's index metadata (shard count, primary key), as if B had created the index.
    copy_index_meta(os.path.join(b.work, "miroir-a", "tasks.db"), os.path.join(b.work, "miroir-b", "tasks.db"))
    mism = {"a": B.compare_answers(direct, B.NODE_KEY, url_a, B.MIROIR_KEY, queries),
            "b": B.compare_answers(direct, B.NODE_KEY, url_b, B.MIROIR_KEY, queries)}
    for k, v in mism.items():
        B.log(f"Miroir {k.upper()}: {len(queries) - len(v)}/{len(queries)} queries agree with the direct node")
    for url in (url_a, url_b):
        B.run_wrk(url, q, B.MIROIR_KEY, 4, a.warmup, b.out, "warmup")
    targets = [] if a.no_baselines else [("direct", direct, B.NODE_KEY, None, [direct_pid], None),
                                         ("nginx", nginx, B.NODE_KEY, [nginx_pid] + nginx_workers, [direct_pid],
                                          None)]
    targets += [("miroir-a", url_a, B.MIROIR_KEY, [pid_a], node_pids, pid_a),
                ("miroir-b", url_b, B.MIROIR_KEY, [pid_b], node_pids, pid_b)]
    ar = types.SimpleNamespace(quiet_wait=0, quiet_threshold=0.15, jfr=False, warmup=1, duration=a.duration)
    conns_list = [int(c) for c in a.connections.split(",")]
    runs = {}
    for rnd in range(a.rounds):
        for conns in conns_list:
            for name, url, key, proxy, backends, jvm in targets:
                row = B.measure(name, url, key, q, ar, proxy, backends, jvm, b.out, conns, rnd)
                runs.setdefault((name, conns), []).append(row)
    out = []
    for (name, conns), rows in runs.items():
        def med(k):
            values = [x.get(k) for x in rows]
            return None if any(v is None for v in values) else round(statistics.median(values), 3)
        threads = {}
        if rows[0].get("proxy_threads_cpu_s_per_1k"):
            threads = {g: round(statistics.median([x["proxy_threads_cpu_s_per_1k"].get(g, 0) for x in rows]), 3)
                       for g in rows[0]["proxy_threads_cpu_s_per_1k"]}
        out.append({"target": name, "connections": conns, "rounds": len(rows),
                    **{k: med(k) for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "proxy_cpu_s_per_1k",
                                           "nodes_cpu_s_per_1k", "heap_used_peak_mib", "heap_committed_peak_mib",
                                           "rss_mib")},
                    "proxy_threads_cpu_s_per_1k": threads, "other_cpu_cores": [x["other_cpu_cores"] for x in rows]})
    result = {"topology": a.topology, "docs": a.docs, "jar_a": a.jar_a, "jar_b": a.jar_b,
              "java_opts_a": a.java_opts_a, "java_opts_b": a.java_opts_b, "warmup_s": a.warmup,
              "duration_s": a.duration, "machine": B.machine(), "consistency": mism, "rows": out}
    with open(os.path.join(b.out, "ab.json"), "w") as f:
        json.dump(result, f, indent=2)
    lines = ["| target | conns | req/s | p50 | p95 | p99 | proxy CPU/1k | event loops | JIT | nodes CPU/1k "
             "| heap peak used / committed MiB | RSS MiB | other load per round |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(out, key=lambda r: r["connections"]):
        t = r["proxy_threads_cpu_s_per_1k"]
        lines.append(f"| {r['target']} | {r['connections']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} "
                     f"| {r['p99_ms']:.2f} | {B.fmt(r['proxy_cpu_s_per_1k'])} | {B.fmt(t.get('event loops'))} "
                     f"| {B.fmt(t.get('JIT compilers'))} | {B.fmt(r['nodes_cpu_s_per_1k'])} "
                     f"| {B.fmt(r['heap_used_peak_mib'], 0)} / {B.fmt(r['heap_committed_peak_mib'], 0)} "
                     f"| {B.fmt(r['rss_mib'], 0)} | {', '.join(str(x) for x in r['other_cpu_cores'])} |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(b.out, "ab.md"), "w") as f:
        f.write(table)
    print()
    print(table)
    B.log(f"results: {os.path.join(b.out, 'ab.json')}")


if __name__ == "__main__":
    main()
