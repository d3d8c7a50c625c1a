#!/usr/bin/env bash
# The Cassandra engine into one local Cassandra node: acknowledged spans/s, Cassandra's own CPU and disk per span,
# the engine's CPU per span, then trace-by-id and search latencies with everything stored. Starts its own node
# (cassandra-all from this build, under a JDK 17 found on the machine) and stops it at the end; records the output
# in bench/results/cassandra-<UTC timestamp>.md.
#
#   bench/run-cassandra.sh [--no-build] [-- CassandraIngestBench options]
#
# CassandraIngestBench options (defaults): --spans 2000000 --batch 1000 --fragments 3 --data-rate 20000 --rate 0
#   --in-flight 8 --heap-mb 2048 --consistency LOCAL_QUORUM --max-seconds 600 --traces 2000 --searches 50
# The issue's read targets are for 10 M stored spans:  bench/run-cassandra.sh -- --spans 10000000 --max-seconds 1800
# Environment: JAVA_HOME (a JDK >= 21 for the bench itself), SPOOR_CASSANDRA_JAVA_HOME (the node's JDK 17),
# SPOOR_BENCH_XMX (default 4g).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --) shift; ARGS=("$@"); break ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-cassandra: unknown option $1" >&2; exit 2 ;;
  esac
done
JAVA_HOME=$("$ROOT/scripts/find-jdk.sh")
export JAVA_HOME
if [ "$BUILD" = 1 ]; then
  # the bench jar and testing/cassandra-node/target/cassandra-lib (the node's jars, copied from Maven Central)
  mvn -q -B -DskipTests -pl bench -am package
fi
mkdir -p bench/results
OUT="bench/results/cassandra-$(date -u +%Y%m%dT%H%M%SZ).md"
{
  echo "# Cassandra engine benchmark"
  echo
  echo "- command: \`$0 ${ARGS[*]:-}\`"
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- machine: $(uname -srm), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo '```'
} > "$OUT"
"$JAVA_HOME/bin/java" "-Xmx${SPOOR_BENCH_XMX:-4g}" -cp bench/target/spoor-bench.jar \
  io.spoor.bench.storage.CassandraIngestBench "${ARGS[@]}" 2>&1 | grep -v -E '^(WARNING|\[s[0-9]+)' | tee -a "$OUT"
echo '```' >> "$OUT"
echo "results: $OUT"
