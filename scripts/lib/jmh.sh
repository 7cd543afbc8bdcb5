#!/usr/bin/env bash
# JMH benchmarks of module shared (shared/src/jmh/java, compiled only with the Maven profile -Pjmh):
# routing (RoutingBench), search and facet merges (MergeBench), the write-batch JSON rewrite (WriteRewriteBench),
# event-bus hops against direct calls (EventBusHopBench) and the cross-JVM codecs (CodecBench).
# Usage: scripts/bench --jmh [JMH options...]   e.g. scripts/bench --jmh MergeBench -p shards=16
#   Without options: every benchmark, 1 fork, 3 warm-up and 5 measured iterations of 2 s (about 11 minutes).
#   Results: .data/bench/jmh-<time>.json (JMH's JSON) and the console table.
# Environment: MVN_ARGS (extra Maven arguments, e.g. -o for offline).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

cd "$MIROIR_ROOT"
out_dir="$MIROIR_ROOT/.data/bench"
mkdir -p "$out_dir"
log "compiling the JMH benchmarks (mvn -Pjmh -pl shared test-compile)"
classpath="$(jmh_classpath)"
result="$out_dir/jmh-$(date +%Y%m%d-%H%M%S).json"
log "running JMH; results in $result"
exec java -cp "$classpath" org.openjdk.jmh.Main -rf json -rff "$result" "$@"
