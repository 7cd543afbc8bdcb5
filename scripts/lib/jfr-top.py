#!/usr/bin/env python3
"""Summarizes the CPU samples of a JFR recording (jdk.ExecutionSample): where Miroir's threads spend their time.

Usage: python3 scripts/lib/jfr-top.py RECORDING.jfr [--top N] [--thread SUBSTRING]
Prints, over all Java execution samples (of threads whose name contains SUBSTRING, if given):
  - by thread: the share of samples per thread name;
  - self: the top frames (the method running when sampled);
  - inclusive: the methods of io.miroir, and the library entry points, present anywhere in the sampled stacks;
  - by layer: each sample charged to the first frame from the top that belongs to a known layer.
Needs the JDK's `jfr` tool on PATH.
"""
import argparse
import collections
import json
import subprocess
import sys

LAYERS = [
    ("JSON (Jackson / Vert.x Json)", ("com.fasterxml.jackson.", "io.vertx.core.json.")),
    ("Miroir merge / routing (module shared)", ("io.miroir.merge.", "io.miroir.routing.", "io.miroir.meili.")),
    ("Miroir task store (SQLite)", ("io.miroir.store.", "org.sqlite.")),
    ("Miroir verticles", ("io.miroir.",)),
    ("compression (zlib)", ("java.util.zip.", "io.netty.handler.codec.compression.")),
    ("HTTP codec (Netty / Vert.x http)", ("io.netty.handler.codec.http.", "io.vertx.core.http.", "io.vertx.ext.web.")),
    ("Netty transport / event loop", ("io.netty.", "sun.nio.")),
    ("Vert.x core (futures, context)", ("io.vertx.",)),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
]


def frame_name(frame):
    m = frame.get("method", {})
    t = m.get("type", {}).get("name", "?")
    return f"{t}.{m.get('name', '?')}".replace("/", ".")


def layer_of(stack):
    for frame in stack:
        name = frame_name(frame)
        for label, prefixes in LAYERS:
            if name.startswith(prefixes):
                return label
    return "other (JDK, JIT-compiled glue)"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("recording")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--thread", default=None)
    a = p.parse_args()
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                          a.recording], check=True, capture_output=True).stdout
    events = json.loads(out)["recording"]["events"]
    threads = collections.Counter()
    self_frames = collections.Counter()
    inclusive = collections.Counter()
    layers = collections.Counter()
    total = 0
    for e in events:
        v = e["values"]
        thread = (v.get("sampledThread") or {}).get("javaName") or "?"
        if a.thread and a.thread not in thread:
            continue
        stack = (v.get("stackTrace") or {}).get("frames") or []
        if not stack:
            continue
        total += 1
        threads[thread] += 1
        self_frames[frame_name(stack[0])] += 1
        seen = set()
        for f in stack:
            n = frame_name(f)
            if n.startswith("io.miroir.") and n not in seen:
                seen.add(n)
                inclusive[n] += 1
        layers[layer_of(stack)] += 1
    if total == 0:
        sys.exit("no execution samples")
    print(f"{total} execution samples" + (f" in threads matching '{a.thread}'" if a.thread else ""))
    for title, counter in (("by thread", threads), ("by layer (first known frame from the top)", layers),
                           ("self (top frame)", self_frames), ("inclusive, io.miroir methods", inclusive)):
        print(f"\n{title}:")
        for name, n in counter.most_common(a.top):
            print(f"  {n * 100 / total:5.1f}%  {n:6d}  {name}")


if __name__ == "__main__":
    main()
