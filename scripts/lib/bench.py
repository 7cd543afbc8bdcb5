#!/usr/bin/env python3
"""Miroir performance harness (issue 6), driven by scripts/bench. Standard library only.

One run on this machine: a direct reference Meilisearch node, nginx in front of it, and Miroir in front of real
nodes in several topologies, all loaded with the same documents (the Debian package catalogue), then the same
closed-loop mixed search load with wrk against each target. Prints a table and writes results.json.
"""
import argparse
import collections
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LUA = os.path.join(ROOT, "scripts", "lib", "bench-wrk.lua")
CLK_TCK = os.sysconf("SC_CLK_TCK")
INDEX = "packages"
NODE_KEY = "bench-node-master-key-0123456789"
MIROIR_KEY = "bench-miroir-master-key"

# name, nodes, replica groups, replication factor
# Topologies where the floor proxy (shared/src/jmh/java/io/miroir/bench/FloorProxy.java) is also measured: every
# node there is in Miroir's covering set, so the floor asks the same nodes Miroir asks.
FLOOR_TOPOLOGIES = ("1n", "3n-rf1")

TOPOLOGIES = {
    "1n": (1, 1, 1),
    "3n-rf1": (3, 1, 1),
    "3n-rf2": (3, 1, 2),
    "4n-rg2": (4, 2, 1),
}

SETTINGS = {
    "searchableAttributes": ["name", "summary", "description", "maintainer", "section"],
    "filterableAttributes": ["section", "priority", "area", "installed_size", "size", "essential", "release"],
    "sortableAttributes": ["installed_size", "size", "name"],
}


def log(msg):
    print(f"==> {msg}", flush=True)


def die(msg):
    print(f"error: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


# --- corpus ---------------------------------------------------------------------------------------------------

def read_catalogue():
    """The package stanzas of `apt-cache dumpavail` as dicts (one per package name, apt's candidate version)."""
    out = subprocess.run(["apt-cache", "dumpavail"], check=True, capture_output=True).stdout.decode("utf-8",
                                                                                                    "replace")
    stanzas = []
    for block in out.split("\n\n"):
        fields = {}
        key = None
        for line in block.split("\n"):
            if not line:
                continue
            if line[0] in " \t" and key:
                fields[key] += "\n" + line[1:]
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Package" in fields:
            stanzas.append(fields)
    return stanzas


def to_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def make_documents(target):
    """At least `target` documents: the catalogue once, then again as a second `release` while more are needed."""
    stanzas = read_catalogue()
    if not stanzas:
        die("apt-cache dumpavail printed no packages (run apt-get update first)")
    base = []
    seen = set()
    for s in stanzas:
        name = s["Package"]
        ident = re.sub(r"[^A-Za-z0-9_-]", "_", name)
        while ident in seen:
            ident += "_"
        seen.add(ident)
        desc = s.get("Description", "")
        summary, _, long_desc = desc.partition("\n")
        long_desc = "\n".join("" if l.strip() == "." else l.strip() for l in long_desc.split("\n")).strip()
        section = s.get("Section", "misc")
        area, _, short_section = section.rpartition("/")
        maintainer = s.get("Maintainer", "")
        base.append({
            "id": ident,
            "name": name,
            "version": s.get("Version", ""),
            "architecture": s.get("Architecture", ""),
            "section": short_section,
            "area": area or "main",
            "priority": s.get("Priority", "optional"),
            "maintainer": maintainer,
            "installed_size": to_int(s.get("Installed-Size")),
            "size": to_int(s.get("Size")),
            "summary": summary.strip(),
            "description": long_desc,
            "homepage": s.get("Homepage", ""),
            "depends": [d.strip().split(" ")[0] for d in s.get("Depends", "").split(",") if d.strip()],
            "essential": s.get("Essential", "no") == "yes",
            "release": "bookworm",
        })
    docs = list(base)
    copy = 2
    while len(docs) < target:
        for d in base:
            if len(docs) >= target:
                break
            c = dict(d)
            c["id"] = f"{d['id']}--r{copy}"
            c["release"] = f"bookworm-r{copy}"
            docs.append(c)
        copy += 1
    return docs[:target] if target > 0 else docs, len(base)


def batches(docs, size):
    return [json.dumps(docs[i:i + size], ensure_ascii=False).encode("utf-8") for i in range(0, len(docs), size)]


def query_set():
    """The mixed query set: short keyword, multi-word, filtered, faceted, sorted, paged (6 kinds, 40 bodies)."""
    q = []
    for w in ["python", "library", "kernel", "font", "editor", "server", "perl", "game"]:
        q.append(("keyword", {"q": w}))
    for w in ["python library", "command line tool", "development files", "web server", "text editor",
              "network monitoring tool", "documentation for the", "gnome desktop environment"]:
        q.append(("multi-word", {"q": w}))
    for body in [{"q": "library", "filter": "section = libs"},
                 {"q": "python", "filter": "section = python AND priority = optional"},
                 {"q": "tool", "filter": "installed_size > 10000"},
                 {"q": "server", "filter": "section IN [net, web, admin]"},
                 {"q": "", "filter": "priority = required"},
                 {"q": "font", "filter": "installed_size < 500 AND section = fonts"},
                 {"q": "rust crate", "filter": "section = rust"}]:
        q.append(("filtered", body))
    for body in [{"q": "library", "facets": ["section", "priority"]},
                 {"q": "game", "facets": ["section"]},
                 {"q": "", "facets": ["section", "priority", "area"], "limit": 5},
                 {"q": "network", "facets": ["section", "priority", "essential"], "limit": 10},
                 {"q": "documentation", "facets": ["section"], "filter": "priority = optional"}]:
        q.append(("faceted", body))
    for body in [{"q": "editor", "sort": ["installed_size:desc"]},
                 {"q": "library", "sort": ["size:asc"]},
                 {"q": "", "sort": ["name:asc"], "filter": "section = games"},
                 {"q": "server", "sort": ["installed_size:asc"], "limit": 10},
                 {"q": "python", "sort": ["name:desc"]}]:
        q.append(("sorted", body))
    for body in [{"q": "data", "offset": 40, "limit": 20},
                 {"q": "python", "page": 3, "hitsPerPage": 20},
                 {"q": "library", "offset": 200, "limit": 50},
                 {"q": "tool", "page": 10, "hitsPerPage": 10},
                 {"q": "server", "offset": 100, "limit": 20},
                 {"q": "perl module", "page": 2, "hitsPerPage": 20},
                 {"q": "", "offset": 500, "limit": 20}]:
        q.append(("paged", body))
    return q


# --- processes ------------------------------------------------------------------------------------------------

class Procs:
    """Processes this run started; stopped by pid (SIGTERM, then SIGKILL after 10 s)."""

    def __init__(self):
        self.running = {}

    def start(self, name, argv, log_path, env=None, cwd=None):
        logf = open(log_path, "ab")
        p = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                             cwd=cwd, start_new_session=True)
        logf.close()
        self.running[name] = p
        return p

    def stop(self, *names):
        procs = [(n, self.running.pop(n)) for n in names if n in self.running]
        for _, p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.time() + 10
        for n, p in procs:
            try:
                p.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                print(f"warning: {n} (pid {p.pid}) ignored SIGTERM; SIGKILL", file=sys.stderr)
                p.kill()
                p.wait()

    def stop_all(self):
        self.stop(*list(self.running))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, key=None, timeout=120, content_type="application/json"):
    data = None
    if body is not None:
        data = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", content_type)
    if key:
        req.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        raw = e.read()
        status = e.code
    except (urllib.error.URLError, ConnectionError, socket.timeout) as e:
        return 0, str(e)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def wait_health(name, url, proc, log_path, timeout):
    deadline = time.time() + timeout
    while True:
        if proc.poll() is not None:
            tail(log_path)
            die(f"{name} exited with code {proc.returncode} before answering {url}/health")
        status, _ = http("GET", url + "/health", timeout=1)
        if status == 200:
            return
        if time.time() > deadline:
            tail(log_path)
            die(f"{name} did not answer {url}/health within {timeout} s")
        time.sleep(0.1)


def tail(path, n=25):
    try:
        with open(path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()[-n:]
        print(f"--- last lines of {path}:", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)
    except OSError:
        pass


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
    return total / CLK_TCK


def system_busy_seconds():
    """CPU seconds all cores spent busy since boot (/proc/stat: everything but idle and iowait)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / CLK_TCK


QUIET_BUDGET = [0.0]  # seconds of waiting left for the whole run (set from --quiet-budget)


def wait_quiet(max_wait, threshold):
    """Waits until the machine is nearly idle (other work on a shared machine skews every figure): busy below
    `threshold` of all cores over a 2 s window, at most `max_wait` seconds, and at most what is left of the run's
    waiting budget, so a busy machine cannot stretch the run without bound. Returns the last busy fraction."""
    start = time.time()
    deadline = start + max(0.0, min(max_wait, QUIET_BUDGET[0]))
    waited = False
    try:
        while True:
            b0, t0 = system_busy_seconds(), time.time()
            time.sleep(2)
            frac = (system_busy_seconds() - b0) / (time.time() - t0) / os.cpu_count()
            if frac < threshold:
                if waited:
                    log(f"machine quiet again ({frac * 100:.0f}% busy)")
                return frac
            if time.time() > deadline:
                left = max(0.0, QUIET_BUDGET[0] - (time.time() - start))
                print(f"warning: the machine is {frac * 100:.0f}% busy with other work (waited "
                      f"{time.time() - start:.0f} s, {left:.0f} s of waiting budget left); measuring anyway",
                      file=sys.stderr, flush=True)
                return frac
            if not waited:
                log(f"machine {frac * 100:.0f}% busy with other work; waiting for it to calm down")
                waited = True
    finally:
        QUIET_BUDGET[0] = max(0.0, QUIET_BUDGET[0] - max(0.0, time.time() - start - 2))


THREAD_GROUPS = [("event loops", ("vert.x-eventloo",)), ("JIT compilers", ("C1 CompilerThre", "C2 CompilerThre")),
                 ("GC", ("GC Thread", "G1 ")), ("SQLite worker", ("miroir-sqlite",)),
                 ("logging", ("AsyncAppender",)), ("JFR", ("JFR ",))]


def thread_cpu(pid):
    """CPU seconds of each thread group of a JVM, from /proc/<pid>/task/*/stat and comm."""
    out = collections.Counter()
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                comm = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        group = next((g for g, prefixes in THREAD_GROUPS if comm.startswith(prefixes)), "other JVM threads")
        out[group] += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return out


def proc_status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


# --- Meilisearch API helpers ----------------------------------------------------------------------------------

def enqueue(base, key, method, path, body=None, what="", content_type="application/json", attempts=20):
    last = None
    for _ in range(attempts):
        status, answer = http(method, base + path, body, key, content_type=content_type)
        if status == 202 and isinstance(answer, dict) and "taskUid" in answer:
            return answer["taskUid"]
        last = (status, answer)
        if status == 0 or status >= 500:
            time.sleep(1)
            continue
        break
    die(f"{what or path}: expected 202 with a taskUid, got {last}")


def wait_tasks(base, key, uids, timeout=1800, poll=0.2):
    """Waits until every task succeeded; returns the time the last one was seen succeeded."""
    pending = list(uids)
    deadline = time.time() + timeout
    while pending:
        status, task = http("GET", f"{base}/tasks/{pending[0]}", key=key)
        if status == 200 and isinstance(task, dict):
            st = task.get("status")
            if st == "succeeded":
                pending.pop(0)
                continue
            if st in ("failed", "canceled"):
                die(f"task {pending[0]} at {base} {st}: {json.dumps(task)[:2000]}")
        if time.time() > deadline:
            die(f"tasks {pending[:5]}... at {base} not finished after {timeout} s")
        time.sleep(poll)
    return time.time()


def setup_index(base, key):
    uid = enqueue(base, key, "POST", "/indexes", {"uid": INDEX, "primaryKey": "id"}, "create index")
    wait_tasks(base, key, [uid])
    uid = enqueue(base, key, "PATCH", f"/indexes/{INDEX}/settings", SETTINGS, "settings")
    wait_tasks(base, key, [uid])


def ingest(base, key, payloads, ndocs, proxy_pids, node_pids):
    """Sends every batch, then waits for every task; documents per second from the first POST to the last task."""
    cpu0, ncpu0 = cpu_seconds(proxy_pids), cpu_seconds(node_pids)
    th0 = thread_cpu(proxy_pids[0]) if proxy_pids else None
    s0 = system_busy_seconds()
    t0 = time.time()
    uids = [enqueue(base, key, "POST", f"/indexes/{INDEX}/documents", p, "documents") for p in payloads]
    t_sent = time.time()
    t1 = wait_tasks(base, key, uids)
    cpu1, ncpu1 = cpu_seconds(proxy_pids), cpu_seconds(node_pids)
    other = max(0.0, system_busy_seconds() - s0 - (cpu1 - cpu0) - (ncpu1 - ncpu0)) / (t1 - t0)
    threads = {}
    if th0 is not None:
        th1 = thread_cpu(proxy_pids[0])
        threads = {g: round(th1[g] - th0.get(g, 0), 2) for g in th1}
    return {"proxy_threads_cpu_seconds": threads, "other_cpu_cores": round(other, 2), "documents": ndocs,
            "batches": len(payloads),
            "seconds": round(t1 - t0, 2),
            "send_seconds": round(t_sent - t0, 2), "docs_per_s": round(ndocs / (t1 - t0), 1),
            "proxy_cpu_seconds": round(cpu1 - cpu0, 2), "nodes_cpu_seconds": round(ncpu1 - ncpu0, 2)}


def compare_answers(ref_base, ref_key, base, key, queries):
    """Same corpus everywhere: the hit counts and facet counts of every query agree with the direct node's."""
    mismatches = []
    for kind, body in queries:
        s1, a = http("POST", f"{ref_base}/indexes/{INDEX}/search", body, ref_key)
        s2, b = http("POST", f"{base}/indexes/{INDEX}/search", body, key)
        if s1 != 200 or s2 != 200:
            mismatches.append({"query": body, "status": [s1, s2], "answer": str(b)[:300]})
            continue
        keys = ["estimatedTotalHits", "totalHits", "totalPages", "facetDistribution"]
        diff = {k: [a.get(k), b.get(k)] for k in keys if a.get(k) != b.get(k)}
        if len(a.get("hits", [])) != len(b.get("hits", [])):
            diff["hits"] = [len(a.get("hits", [])), len(b.get("hits", []))]
        if diff:
            mismatches.append({"query": body, "diff": {k: str(v)[:200] for k, v in diff.items()}})
    return mismatches


def encoding_probe(base, key, n=40):
    """Median latency of one search on a node with and without Accept-Encoding over one keep-alive connection:
    Meilisearch compresses when asked, and its compressed (chunked) answers can wait for the client's delayed ACK.
    Miroir's node client asks for compression (decompression supported), so this shows what that costs a node call."""
    import http.client
    host, port = base.split("//")[1].split(":")
    out = {}
    for label, extra in (("identity", {}), ("gzip", {"Accept-Encoding": "gzip"}), ("br", {"Accept-Encoding": "br"})):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            conn.request("POST", f"/indexes/{INDEX}/search", body=json.dumps({"q": "python"}).encode(),
                         headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json", **extra})
            r = conn.getresponse()
            r.read()
            times.append((time.perf_counter() - t) * 1000)
        conn.close()
        out[label] = {"median_ms": round(statistics.median(times), 2), "content_encoding":
                      r.getheader("Content-Encoding") or "none", "transfer_encoding": r.getheader("Transfer-Encoding")}
    return out


# --- load -----------------------------------------------------------------------------------------------------

class Jfr:
    """A JFR recording (settings=profile) of one measured phase of a Miroir process, started and dumped by jcmd."""

    def __init__(self, pid, path):
        self.pid, self.path = pid, path
        subprocess.run(["jcmd", str(pid), "JFR.start", "name=bench", "settings=profile"], capture_output=True,
                       timeout=60, check=True)

    def stop(self):
        subprocess.run(["jcmd", str(self.pid), "JFR.stop", "name=bench", f"filename={self.path}"],
                       capture_output=True, timeout=120, check=True)


class HeapSampler:
    """jstat -gc every 500 ms in the background; peak used heap (S0U+S1U+EU+OU) and committed heap, in MiB."""

    def __init__(self, pid, path):
        self.path = path
        self.out = open(path, "w")
        self.proc = subprocess.Popen(["jstat", "-gc", str(pid), "500"], stdout=self.out,
                                     stderr=subprocess.DEVNULL, start_new_session=True)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        self.out.close()
        used, committed, ygc = [], [], []
        with open(self.path) as f:
            header = None
            for line in f:
                cols = line.split()
                if not cols:
                    continue
                if cols[0] == "S0C":
                    header = cols
                    continue
                if header is None or len(cols) != len(header):
                    continue
                v = dict(zip(header, (float(c.replace(",", ".")) for c in cols)))
                used.append((v["S0U"] + v["S1U"] + v["EU"] + v["OU"]) / 1024)
                committed.append((v["S0C"] + v["S1C"] + v["EC"] + v["OC"]) / 1024)
                ygc.append(v.get("YGC", 0))
        if not used:
            return {}
        return {"heap_used_peak_mib": round(max(used), 1), "heap_committed_peak_mib": round(max(committed), 1),
                "young_gcs": int(ygc[-1] - ygc[0]), "samples": len(used)}


def heap_after_full_gc(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, timeout=60).stdout.decode()
    m = re.search(r"total (\d+)K, used (\d+)K", out)
    return {"heap_live_after_gc_mib": round(int(m.group(2)) / 1024, 1),
            "heap_committed_after_gc_mib": round(int(m.group(1)) / 1024, 1)} if m else {}


def run_wrk(url, queries_file, token, conns, seconds, outdir, label):
    argv = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--timeout", "10s", "-s", LUA, url, "--",
            queries_file, INDEX, token or ""]
    with open(os.path.join(outdir, f"wrk-{label}.txt"), "wb") as out:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        raw = p.stdout.read()
        _, status, rusage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        out.write(raw)
    text = raw.decode("utf-8", "replace")
    if p.returncode != 0:
        die(f"wrk failed ({p.returncode}) for {label}: {text[-2000:]}")
    line = next((l for l in text.splitlines() if l.startswith("BENCH_JSON ")), None)
    if line is None:
        die(f"wrk printed no BENCH_JSON line for {label}: {text[-2000:]}")
    result = json.loads(line[len("BENCH_JSON "):])
    result["client_cpu_seconds"] = rusage.ru_utime + rusage.ru_stime
    return result


def aggregate(runs):
    """One row per (target, connections): the median of each figure over the rounds."""
    groups = {}
    for r in runs:
        groups.setdefault((r["target"], r["connections"]), []).append(r)
    out = []
    for (target, conns), rows in groups.items():
        agg = {"target": target, "connections": conns, "rounds": len(rows)}
        for k, v in rows[0].items():
            if k in agg or k == "round":
                continue
            values = [r.get(k) for r in rows]
            if all(x is None for x in values):
                agg[k] = None
            elif all(isinstance(x, dict) for x in values) and k != "error_detail":
                keys = sorted({kk for x in values for kk in x})
                agg[k] = {kk: round(statistics.median([x.get(kk, 0) for x in values]), 4) for kk in keys}
            elif all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in values):
                agg[k] = round(statistics.median(values), 4)
            else:
                agg[k] = values[0] if len(rows) == 1 else values
        out.append(agg)
    return sorted(out, key=lambda r: (r["connections"], list(groups).index((r["target"], r["connections"]))))


def measure(label, url, token, queries_file, args, proxy_pids, backend_pids, jvm_pid, outdir, conns, rnd=0):
    """Warm-up run, then the measured run with CPU, heap and RSS around it."""
    idle_before = wait_quiet(args.quiet_wait, args.quiet_threshold)
    # The proxy's own background work (health probes, task polling, JIT, GC) while no request arrives, in cores.
    i0, it0 = (cpu_seconds(proxy_pids) if proxy_pids else 0), time.time()
    time.sleep(3)
    idle_cores = ((cpu_seconds(proxy_pids) if proxy_pids else 0) - i0) / (time.time() - it0)
    tag = f"{label}-c{conns}-r{rnd}"
    run_wrk(url, queries_file, token, conns, args.warmup, outdir, f"{tag}-warmup")
    sampler = HeapSampler(jvm_pid, os.path.join(outdir, f"jstat-{tag}.txt")) if jvm_pid else None
    jfr = Jfr(jvm_pid, os.path.join(outdir, f"{tag}.jfr")) if jvm_pid and args.jfr else None
    p0 = cpu_seconds(proxy_pids) if proxy_pids else 0
    b0 = cpu_seconds(backend_pids)
    s0 = system_busy_seconds()
    t0 = thread_cpu(jvm_pid) if jvm_pid else None
    r = run_wrk(url, queries_file, token, conns, args.duration, outdir, tag)
    s1 = system_busy_seconds()
    if jfr:
        jfr.stop()
    p1 = cpu_seconds(proxy_pids) if proxy_pids else 0
    b1 = cpu_seconds(backend_pids)
    n = max(1, r["requests"])
    ours = (p1 - p0) + (b1 - b0) + r["client_cpu_seconds"]
    lat = r["latency_us"]
    row = {
        "target": label, "connections": conns, "requests": r["requests"],
        "seconds": round(r["duration_us"] / 1e6, 2),
        "rps": round(r["requests"] / (r["duration_us"] / 1e6), 1),
        "p50_ms": lat["p50"] / 1000, "p90_ms": lat["p90"] / 1000, "p95_ms": lat["p95"] / 1000,
        "p99_ms": lat["p99"] / 1000, "p999_ms": lat["p999"] / 1000, "max_ms": lat["max"] / 1000,
        "mean_ms": round(lat["mean"] / 1000, 3),
        "errors": sum(r["errors"].values()), "error_detail": r["errors"],
        "proxy_cpu_s_per_1k": round((p1 - p0) / n * 1000, 4) if proxy_pids else None,
        "proxy_idle_cores": round(idle_cores, 4) if proxy_pids else None,
        # The same less what the proxy burns when idle over the same time: what the requests themselves cost.
        "proxy_cpu_s_per_1k_net": round(max(0.0, (p1 - p0) - idle_cores * r["duration_us"] / 1e6) / n * 1000, 4)
        if proxy_pids else None,
        "nodes_cpu_s_per_1k": round((b1 - b0) / n * 1000, 4),
        "client_cpu_s_per_1k": round(r["client_cpu_seconds"] / n * 1000, 4),
        "response_bytes_per_req": round(r["bytes"] / n),
        # CPU the machine spent on anything but this target, its nodes and wrk, in cores (a shared machine).
        "other_cpu_cores": round(max(0.0, (s1 - s0) - ours) / (r["duration_us"] / 1e6), 2),
        "busy_before": round(idle_before, 2),
    }
    if t0 is not None:
        t1 = thread_cpu(jvm_pid)
        # Where the JVM's CPU went, by thread group, in CPU seconds per 1,000 requests.
        row["proxy_threads_cpu_s_per_1k"] = {g: round((t1[g] - t0.get(g, 0)) / n * 1000, 4) for g in t1}
    if sampler:
        row.update(sampler.stop())
        row["rss_mib"] = round(proc_status_kb(jvm_pid, "VmRSS") / 1024, 1)
        row["rss_peak_mib"] = round(proc_status_kb(jvm_pid, "VmHWM") / 1024, 1)
    log(f"{label} c={conns} round {rnd}: {row['rps']} req/s, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, "
        f"errors {row['errors']}" + (f", proxy CPU {row['proxy_cpu_s_per_1k']} s/1k" if proxy_pids else "")
        + f", other load {row['other_cpu_cores']} cores")
    return row


# --- targets --------------------------------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.procs = Procs()
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.out = os.path.abspath(args.out or os.path.join(ROOT, ".data", "bench", stamp))
        os.makedirs(self.out, exist_ok=True)
        self.work = tempfile.mkdtemp(prefix="miroir-bench-", dir=args.tmp)
        self.meili = os.environ.get("MIROIR_MEILISEARCH_BIN") or os.path.join(
            ROOT, "tools", "node_modules", "@gaubee", "meilisearch-linux-amd64", "meilisearch")
        self.jar = os.environ.get("MIROIR_JAR") or os.path.join(ROOT, "verticles", "target", "miroir.jar")
        self.results = {"started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                        "mode": "quick" if args.quick else "full", "machine": machine(),
                        "parameters": {k: v for k, v in vars(args).items() if k not in ("out", "tmp")},
                        "ingest": {}, "search": [], "consistency": {}, "miroir_memory": {}}

    def start_node(self, name):
        port = free_port()
        d = os.path.join(self.work, name)
        os.makedirs(d, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MEILI_")}
        env.update({"MEILI_MASTER_KEY": NODE_KEY, "NO_COLOR": "1"})
        logp = os.path.join(self.out, f"{name}.log")
        p = self.procs.start(name, [self.meili, "--http-addr", f"127.0.0.1:{port}", "--db-path",
                                    os.path.join(d, "data.ms"), "--dump-dir", os.path.join(d, "dumps"),
                                    "--snapshot-dir", os.path.join(d, "snapshots"), "--env", "development",
                                    "--no-analytics"], logp, env=env, cwd=d)
        url = f"http://127.0.0.1:{port}"
        wait_health(name, url, p, logp, 60)
        return url, p.pid

    def start_miroir(self, name, nodes, rg, rf):
        port = free_port()
        d = os.path.join(self.work, name)
        os.makedirs(d, exist_ok=True)
        lines = [f"    - {{id: {nid}, address: \"{url}\", replica_group: {g}}}" for nid, url, g in nodes]
        cfg = os.path.join(d, "miroir.yaml")
        with open(cfg, "w") as f:
            f.write("\n".join([
                "miroir:",
                f"  master_key: \"{MIROIR_KEY}\"",
                f"  node_master_key: \"{NODE_KEY}\"",
                f"  shards: {self.args.shards}",
                f"  replication_factor: {rf}",
                f"  replica_groups: {rg}",
                "  nodes:", *lines,
                f"  task_store: {{backend: sqlite, path: \"{os.path.join(d, 'tasks.db')}\"}}",
                "  admin: {api_key: \"bench-admin-key\"}",
                f"  server: {{port: {port}, bind: 127.0.0.1}}",
                # A free metrics port: 9090 may be taken by another process on a shared machine.
                f"  metrics: {{port: {free_port()}, bind: 127.0.0.1}}",
                ""]))
        shutil.copy(cfg, os.path.join(self.out, f"{name}.yaml"))
        opts = self.args.java_opts.split() if self.args.java_opts else []
        logp = os.path.join(self.out, f"{name}.log")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MIROIR_")}
        p = self.procs.start(name, ["java", *opts, "-jar", self.jar, "--config", cfg], logp, env=env, cwd=d)
        url = f"http://127.0.0.1:{port}"
        wait_health(name, url, p, logp, 90)
        return url, p.pid

    def start_floor(self, name, upstreams):
        """The floor proxy: every request sent as it is to each upstream, the first answer returned unparsed."""
        port = free_port()
        opts = self.args.java_opts.split() if self.args.java_opts else []
        logp = os.path.join(self.out, f"{name}.log")
        p = self.procs.start(name, ["java", *opts, "-cp", os.environ["MIROIR_FLOOR_CLASSPATH"],
                                    "io.miroir.bench.FloorProxy", str(port), *upstreams], logp)
        url = f"http://127.0.0.1:{port}"
        wait_health(name, url, p, logp, 60)
        return url, p.pid

    def start_nginx(self, upstream):
        port = free_port()
        d = os.path.join(self.work, "nginx")
        os.makedirs(d, exist_ok=True)
        os.chmod(self.work, 0o755)
        os.chmod(d, 0o777)
        conf = os.path.join(d, "nginx.conf")
        host_port = upstream.split("//")[1]
        with open(conf, "w") as f:
            f.write(f"""# The cheapest proxy baseline: one worker, keep-alive upstream, no logs, buffers in memory.
worker_processes 1;
daemon off;
master_process on;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/client_body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  client_max_body_size 100m;
  client_body_buffer_size 1m;
  upstream meili {{ server {host_port}; keepalive 32; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://meili;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffer_size 16k;
      proxy_buffers 64 16k;
      proxy_max_temp_file_size 0;
    }}
  }}
}}
""")
        shutil.copy(conf, os.path.join(self.out, "nginx.conf"))
        logp = os.path.join(self.out, "nginx.log")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        p = self.procs.start("nginx", [nginx, "-c", conf, "-p", d], logp)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 20
        while True:
            if p.poll() is not None:
                tail(logp)
                tail(os.path.join(d, "error.log"))
                die("nginx exited at start")
            status, _ = http("GET", url + "/health", timeout=1)
            if status == 200 and children(p.pid):
                break
            if time.time() > deadline:
                die("nginx did not proxy /health within 20 s")
            time.sleep(0.1)
        return url, p.pid, children(p.pid)

    def run(self):
        a = self.args
        qpath = os.path.join(self.out, "queries.ndjson")
        queries = query_set()
        with open(qpath, "w") as f:
            for _, body in queries:
                f.write(json.dumps(body) + "\n")
        log(f"corpus: apt-cache dumpavail, {a.docs} documents")
        docs, catalogue = make_documents(a.docs)
        payloads = batches(docs, a.batch)
        size = sum(len(p) for p in payloads)
        self.results["corpus"] = {"source": "apt-cache dumpavail", "catalogue_packages": catalogue,
                                  "documents": len(docs), "batch_size": a.batch, "batches": len(payloads),
                                  "json_bytes": size, "queries": len(queries),
                                  "query_kinds": sorted({k for k, _ in queries})}
        log(f"{len(docs)} documents ({catalogue} catalogue packages), {len(payloads)} batches, "
            f"{size / 1e6:.1f} MB of JSON; {len(queries)} queries")
        del docs

        # Direct reference node, and nginx in front of it.
        direct, direct_pid = self.start_node("direct")
        setup_index(direct, NODE_KEY)
        wait_quiet(a.quiet_wait, a.quiet_threshold)
        log("ingest directly into the reference node")
        self.results["ingest"]["direct"] = r = ingest(direct, NODE_KEY, payloads, self.results["corpus"]["documents"],
                                                     [], [direct_pid])
        log(f"direct ingest: {r['docs_per_s']} docs/s ({r['seconds']} s)")
        self.results["encoding_probe"] = encoding_probe(direct, NODE_KEY)
        log(f"node latency by Accept-Encoding: {json.dumps(self.results['encoding_probe'])}")
        nginx, nginx_pid, nginx_workers = self.start_nginx(direct)
        runs = self.results["search_runs"] = []
        log(f"nginx on {nginx} (master {nginx_pid}, workers {nginx_workers}) in front of {direct}")

        for topo in a.topologies:
            nnodes, rg, rf = TOPOLOGIES[topo]
            name = f"miroir-{topo}"
            nodes = []
            for i in range(nnodes):
                url, pid = self.start_node(f"{topo}-node{i}")
                nodes.append((f"n{i}", url, i * rg // nnodes, pid))
            miroir, miroir_pid = self.start_miroir(name, [(n, u, g) for n, u, g, _ in nodes], rg, rf)
            node_pids = [pid for *_, pid in nodes]
            floor = None
            if topo in FLOOR_TOPOLOGIES and not a.no_floor:
                floor = (f"floor-{topo}",) + self.start_floor(f"floor-{topo}", [u for _, u, _, _ in nodes])
                log(f"{floor[0]}: pid {floor[2]} on {floor[1]}")
            log(f"{name}: Miroir pid {miroir_pid} on {miroir}, {nnodes} nodes, RG={rg} RF={rf}")
            setup_index(miroir, MIROIR_KEY)
            wait_quiet(a.quiet_wait, a.quiet_threshold)
            log(f"ingest through Miroir ({topo})")
            jfr = Jfr(miroir_pid, os.path.join(self.out, f"{name}-ingest.jfr")) if a.jfr else None
            r = ingest(miroir, MIROIR_KEY, payloads, self.results["corpus"]["documents"], [miroir_pid], node_pids)
            if jfr:
                jfr.stop()
            self.results["ingest"][name] = r
            log(f"{name} ingest: {r['docs_per_s']} docs/s ({r['seconds']} s), Miroir CPU {r['proxy_cpu_seconds']} s")
            mism = compare_answers(direct, NODE_KEY, miroir, MIROIR_KEY, queries)
            self.results["consistency"][name] = {"queries": len(queries), "mismatches": mism}
            if mism:
                print(f"warning: {name}: {len(mism)} queries answer differently from the direct node "
                      f"(see results.json)", file=sys.stderr)
            # The baselines are measured next to the first topology, interleaved with it round by round, so the
            # ratios compare neighbours in time; each figure is then the median over the rounds.
            first = topo == a.topologies[0]
            for rnd in range(a.rounds if first else 1):
                for conns in a.connections:
                    if first or a.baseline_each:
                        runs.append(dict(measure("direct", direct, NODE_KEY, qpath, a, None, [direct_pid], None,
                                                 self.out, conns, rnd), round=rnd))
                        runs.append(dict(measure("nginx", nginx, NODE_KEY, qpath, a, [nginx_pid] + nginx_workers,
                                                 [direct_pid], None, self.out, conns, rnd), round=rnd))
                    runs.append(dict(measure(name, miroir, MIROIR_KEY, qpath, a, [miroir_pid], node_pids,
                                             miroir_pid, self.out, conns, rnd), round=rnd))
                    if floor:
                        runs.append(dict(measure(floor[0], floor[1], NODE_KEY, qpath, a, [floor[2]], node_pids,
                                                 floor[2], self.out, conns, rnd), round=rnd))
            mem = heap_after_full_gc(miroir_pid)
            mem["rss_mib"] = round(proc_status_kb(miroir_pid, "VmRSS") / 1024, 1)
            mem["rss_peak_mib"] = round(proc_status_kb(miroir_pid, "VmHWM") / 1024, 1)
            self.results["miroir_memory"][name] = mem
            self.procs.stop(name, *([floor[0]] if floor else []), *[f"{topo}-node{i}" for i in range(nnodes)])
            for i in range(nnodes):
                shutil.rmtree(os.path.join(self.work, f"{topo}-node{i}"), ignore_errors=True)
        self.procs.stop("nginx", "direct")
        self.results["search"] = aggregate(runs)
        self.results["finished"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        self.results["targets"] = targets(self.results)
        path = os.path.join(self.out, "results.json")
        with open(path, "w") as f:
            json.dump(self.results, f, indent=2)
        table = render(self.results)
        with open(os.path.join(self.out, "results.md"), "w") as f:
            f.write(table)
        print()
        print(table)
        log(f"results: {path}")

    def cleanup(self):
        self.procs.stop_all()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)


def machine():
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    def version(argv):
        try:
            p = subprocess.run(argv, capture_output=True, timeout=20)
            return (p.stdout + p.stderr).decode().strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"
    return {"nproc": os.cpu_count(), "cpu_model": model, "mem_gib": round(mem_kb / 1024 / 1024, 1),
            "kernel": os.uname().release, "java": version(["java", "-version"]),
            "nginx": version(["nginx", "-v"]), "wrk": version(["wrk", "-v"]),
            "meilisearch": version([os.environ.get("MIROIR_MEILISEARCH_BIN") or os.path.join(
                ROOT, "tools", "node_modules", "@gaubee", "meilisearch-linux-amd64", "meilisearch"), "--version"])}


# --- targets and report ---------------------------------------------------------------------------------------

def targets(res):
    rows = res["search"]
    out = []
    for conns in sorted({r["connections"] for r in rows}):
        by = {r["target"]: r for r in rows if r["connections"] == conns}
        d, n, m1 = by.get("direct"), by.get("nginx"), by.get("miroir-1n")
        if d and m1:
            out.append({"target": f"c={conns}: 1 node p50 <= 1.15 x direct",
                        "value": f"{m1['p50_ms']:.3f} / {d['p50_ms']:.3f} ms = {m1['p50_ms'] / d['p50_ms']:.2f}x",
                        "met": m1["p50_ms"] <= 1.15 * d["p50_ms"]})
            out.append({"target": f"c={conns}: 1 node p99 <= 1.3 x direct",
                        "value": f"{m1['p99_ms']:.3f} / {d['p99_ms']:.3f} ms = {m1['p99_ms'] / d['p99_ms']:.2f}x",
                        "met": m1["p99_ms"] <= 1.3 * d["p99_ms"]})
        if n and m1:
            out.append({"target": f"c={conns}: 1 node p50 <= nginx p50 + 0.5 ms",
                        "value": f"{m1['p50_ms']:.3f} - {n['p50_ms']:.3f} = {m1['p50_ms'] - n['p50_ms']:+.3f} ms",
                        "met": m1["p50_ms"] <= n["p50_ms"] + 0.5})
        m3 = by.get("miroir-3n-rf1")
        if n and m3 and n["proxy_cpu_s_per_1k"]:
            ratio = m3["proxy_cpu_s_per_1k"] / n["proxy_cpu_s_per_1k"]
            value = f"{m3['proxy_cpu_s_per_1k']:.3f} / {n['proxy_cpu_s_per_1k']:.3f} s per 1k = {ratio:.1f}x"
            if m3.get("proxy_cpu_s_per_1k_net") is not None and n.get("proxy_cpu_s_per_1k_net"):
                value += (f" (net of idle: {m3['proxy_cpu_s_per_1k_net']:.3f} / {n['proxy_cpu_s_per_1k_net']:.3f}"
                          f" = {m3['proxy_cpu_s_per_1k_net'] / n['proxy_cpu_s_per_1k_net']:.1f}x)")
            out.append({"target": f"c={conns}: Miroir CPU/search at 3 nodes <= 3 x nginx CPU/request",
                        "value": value, "met": ratio <= 3})
        f1, f3 = by.get("floor-1n"), by.get("floor-3n-rf1")
        if d and f1:
            out.append({"target": f"c={conns}: (context) floor proxy at 1 node, p50 vs direct and nginx",
                        "value": f"{f1['p50_ms']:.3f} ms = {f1['p50_ms'] / d['p50_ms']:.2f}x direct"
                                 + (f", {f1['p50_ms'] - n['p50_ms']:+.3f} ms vs nginx" if n else ""),
                        "met": None})
        if n and f3 and n["proxy_cpu_s_per_1k"]:
            out.append({"target": f"c={conns}: (context) floor proxy CPU/request at 3 nodes vs nginx",
                        "value": f"{f3['proxy_cpu_s_per_1k']:.3f} / {n['proxy_cpu_s_per_1k']:.3f} s per 1k = "
                                 f"{f3['proxy_cpu_s_per_1k'] / n['proxy_cpu_s_per_1k']:.1f}x",
                        "met": None})
        for name, r in by.items():
            if name.startswith("miroir-") and "heap_used_peak_mib" in r:
                out.append({"target": f"c={conns}: {name} heap < 512 MB during search load",
                            "value": f"peak used {r['heap_used_peak_mib']} MiB "
                                     f"(committed {r['heap_committed_peak_mib']} MiB)",
                            "met": r["heap_used_peak_mib"] < 512})
    di, mi = res["ingest"].get("direct"), res["ingest"].get("miroir-1n")
    if di and mi:
        ratio = mi["docs_per_s"] / di["docs_per_s"]
        out.append({"target": "ingest through Miroir at 1 node >= 90% of direct",
                    "value": f"{mi['docs_per_s']} / {di['docs_per_s']} docs/s = {ratio * 100:.0f}%",
                    "met": ratio >= 0.9})
    return out


def fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}f}"


def render(res):
    c = res["corpus"]
    mch = res["machine"]
    lines = [f"Miroir benchmark ({res['mode']}), {res['started']}: {mch['nproc']} cores ({mch['cpu_model']}), "
             f"{mch['mem_gib']} GiB; {c['documents']} documents; wrk {res['parameters']['duration']} s per target "
             f"after {res['parameters']['warmup']} s warm-up", "",
             "Search (closed loop, mixed query set; latency in ms; CPU in seconds per 1,000 requests)", "",
             "| target | conns | req/s | p50 | p95 | p99 | p99.9 | errors | proxy CPU/1k | net of idle "
             "| nodes CPU/1k | heap peak MiB | RSS MiB | other load | rounds |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in res["search"]:
        lines.append(f"| {r['target']} | {r['connections']} | {r['rps']:.0f} | {r['p50_ms']:.2f} | "
                     f"{r['p95_ms']:.2f} | {r['p99_ms']:.2f} | {r['p999_ms']:.2f} | {r['errors']} | "
                     f"{fmt(r['proxy_cpu_s_per_1k'])} | {fmt(r.get('proxy_cpu_s_per_1k_net'))} | "
                     f"{r['nodes_cpu_s_per_1k']:.3f} | {r.get('heap_used_peak_mib', '-')} | "
                     f"{r.get('rss_mib', '-')} | {r['other_cpu_cores']:.2f} | {r['rounds']} |")
    lines += ["", "Ingest (documents per second from the first POST until the last task succeeded)", "",
              "| target | documents | seconds | docs/s | Miroir CPU s | nodes CPU s | other load |",
              "|---|---|---|---|---|---|---|"]
    for name, r in res["ingest"].items():
        lines.append(f"| {name} | {r['documents']} | {r['seconds']} | {r['docs_per_s']:.0f} | "
                     f"{r['proxy_cpu_seconds'] if name != 'direct' else '-'} | {r['nodes_cpu_seconds']} | "
                     f"{r['other_cpu_cores']:.2f} |")
    threaded = [r for r in res["search"] if isinstance(r.get("proxy_threads_cpu_s_per_1k"), dict)]
    if threaded:
        groups = [g for g, _ in THREAD_GROUPS] + ["other JVM threads"]
        lines += ["", "Miroir CPU by thread group during search (seconds per 1,000 requests, /proc/<pid>/task)", "",
                  "| target | conns | " + " | ".join(groups) + " |", "|---|---|" + "---|" * len(groups)]
        for r in threaded:
            t = r["proxy_threads_cpu_s_per_1k"]
            lines.append(f"| {r['target']} | {r['connections']} | "
                         + " | ".join(f"{t.get(g, 0):.3f}" for g in groups) + " |")
    if res["miroir_memory"]:
        lines += ["", "Miroir memory after the search load (live heap after a full GC, RSS)", "",
                  "| target | live heap MiB | committed MiB | RSS MiB | peak RSS MiB |", "|---|---|---|---|---|"]
        for name, m in res["miroir_memory"].items():
            lines.append(f"| {name} | {m.get('heap_live_after_gc_mib', '?')} | "
                         f"{m.get('heap_committed_after_gc_mib', '?')} | {m['rss_mib']} | {m['rss_peak_mib']} |")
    if res.get("encoding_probe"):
        lines += ["", "One search on the direct node by Accept-Encoding (median of 40, one keep-alive connection)", "",
                  "| Accept-Encoding | median ms | Content-Encoding | Transfer-Encoding |", "|---|---|---|---|"]
        for k, v in res["encoding_probe"].items():
            lines.append(f"| {k} | {v['median_ms']} | {v['content_encoding']} | {v['transfer_encoding']} |")
    lines += ["", "Consistency with the direct node (hit and facet counts of every query)", ""]
    for name, cons in res["consistency"].items():
        lines.append(f"- {name}: {cons['queries'] - len(cons['mismatches'])}/{cons['queries']} queries agree")
    lines += ["", "Targets", "", "| target | measured | met |", "|---|---|---|"]
    for t in res["targets"]:
        met = "-" if t["met"] is None else "yes" if t["met"] else "NO"
        lines.append(f"| {t['target']} | {t['value']} | {met} |")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="smoke test: 20,000 documents, 5 s runs, two topologies")
    p.add_argument("--docs", type=int, help="documents (100,000; --quick: 20,000)")
    p.add_argument("--batch", type=int, default=5000, help="documents per POST (5,000)")
    p.add_argument("--duration", type=int, help="seconds of each measured wrk run (20; --quick: 5)")
    p.add_argument("--warmup", type=int, help="seconds of the wrk warm-up before each run (20; --quick: 3)")
    p.add_argument("--connections", type=str, help="comma-separated connection counts (default 1,4)")
    p.add_argument("--topologies", type=str, help="comma-separated, of " + ", ".join(TOPOLOGIES))
    p.add_argument("--rounds", type=int, help="rounds of direct, nginx and 1-node Miroir, interleaved (default 2)")
    p.add_argument("--quiet-wait", type=int,
                   help="seconds to wait before one phase for other work on the machine to stop (90; --quick: 15)")
    p.add_argument("--quiet-budget", type=int,
                   help="total seconds the whole run may spend waiting for quiet (480; --quick: 60)")
    p.add_argument("--quiet-threshold", type=float, default=0.15,
                   help="busy fraction of all cores below which the machine counts as quiet (0.15)")
    p.add_argument("--shards", type=int, default=16, help="shards per index in Miroir's config (16)")
    p.add_argument("--java-opts", type=str,
                   default=os.environ.get("JAVA_OPTS", os.environ.get("MIROIR_JAVA_OPTS_DEFAULT", "")),
                   help="Miroir's JVM options (default: $JAVA_OPTS, else scripts/run-local's defaults)")
    p.add_argument("--jfr", action="store_true",
                   help="record JFR profiles (settings=profile) of Miroir's ingest and of each measured search "
                   "run, as <target>-c<conns>-r<round>.jfr next to results.json (adds some overhead)")
    p.add_argument("--baseline-each", action="store_true", help="measure direct and nginx before every topology")
    p.add_argument("--no-floor", action="store_true",
                   help="do not measure the floor proxy (the cheapest Vert.x proxy) at " + ", ".join(FLOOR_TOPOLOGIES))
    p.add_argument("--out", type=str, help="results folder (.data/bench/<time>)")
    p.add_argument("--tmp", type=str, help="parent folder of the nodes' data (the system temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the nodes' data directories")
    a = p.parse_args()
    a.docs = a.docs or (20000 if a.quick else 100000)
    a.duration = a.duration or (5 if a.quick else 20)
    a.warmup = a.warmup or (3 if a.quick else 20)
    a.rounds = a.rounds or (1 if a.quick else 2)
    a.quiet_wait = a.quiet_wait if a.quiet_wait is not None else (15 if a.quick else 90)
    a.quiet_budget = a.quiet_budget if a.quiet_budget is not None else (60 if a.quick else 480)
    QUIET_BUDGET[0] = float(a.quiet_budget)
    a.connections = [int(x) for x in (a.connections or "1,4").split(",")]
    a.topologies = (a.topologies or ("1n,3n-rf1" if a.quick else ",".join(TOPOLOGIES))).split(",")
    for t in a.topologies:
        if t not in TOPOLOGIES:
            die(f"unknown topology {t}; known: {', '.join(TOPOLOGIES)}")
    if a.topologies[0] != "1n":
        print("warning: the first topology is not 1n: the 1-node targets are not evaluated", file=sys.stderr)
    bench = Bench(a)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench.run()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
