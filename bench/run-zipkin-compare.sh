#!/usr/bin/env bash
# Spoor vs Zipkin server 3.x, side by side: the same pre-encoded Zipkin v2 JSON batches (spoor-bench load
# --protocol zipkin) replayed against each server in turn, alternating, on the same machine; accepted spans/s, the
# server's CPU and peak RSS, then /api/v2/traces latency on what each one holds. Results in bench/results/.
#
#   bench/run-zipkin-compare.sh [--rounds 2] [--duration 30s] [--warmup 10s] [--connections 8] [--queries 40]
#                               [--servers "spoor zipkin"] [--no-build] [-- extra load options]
#
# Zipkin: io.zipkin:zipkin-server:3.6.1:exec from Maven Central (fetched with mvn dependency:get when missing),
# STORAGE_TYPE=mem. Spoor: its embedded store on a fresh data directory (durable: WAL, fsync interval 1 s).
# Environment: JAVA_HOME, SERVER_XMX (default 2g, both servers), ZIPKIN_XMX (Zipkin's heap; default SERVER_XMX),
# ZIPKIN_VERSION (default 3.6.1), COMPARE_PORT (the port both servers take in turn, default 9411), COMPARE_API_PORT
# (Spoor's API port, default 16686), SPOOR_SERVER_JAR (another Spoor server jar, e.g. a build of an older commit).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_JAR="${SPOOR_SERVER_JAR:-$ROOT/server/target/spoor-server.jar}"
BENCH_JAR="$ROOT/bench/target/spoor-bench.jar"
ZIPKIN_VERSION="${ZIPKIN_VERSION:-3.6.1}"
ZIPKIN_JAR="$HOME/.m2/repository/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar"
ROUNDS=2
DURATION=30s
WARMUP=10s
CONNECTIONS=8
QUERIES=40
BUILD=1
EXTRA=()
COMMAND_LINE="$0 $*"
XMX="${SERVER_XMX:-2g}"
ZIPKIN_XMX="${ZIPKIN_XMX:-$XMX}"
SERVERS="spoor zipkin"
PORT="${COMPARE_PORT:-9411}"
API_PORT="${COMPARE_API_PORT:-16686}"

while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections|-c) CONNECTIONS="$2"; shift 2 ;;
    --queries) QUERIES="$2"; shift 2 ;;
    --servers) SERVERS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "run-zipkin-compare: unknown option $1" >&2; exit 2 ;;
  esac
done

JAVA_HOME="$("$ROOT/scripts/find-jdk.sh")" || exit 1
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
read -r -a SERVER_JVM_FLAGS <<< "$("$ROOT/scripts/jvm-flags.sh" "$JAVA_HOME")"
if [ "$BUILD" = 1 ]; then
  if [ ! -f "$SERVER_JAR" ] || [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o -path '*/src/*' -newer "$SERVER_JAR" -type f -print -quit)" ]; then
    echo "run-zipkin-compare: building"
    (cd "$ROOT" && mvn -q -B -DskipTests package)
  fi
fi
if [ ! -f "$ZIPKIN_JAR" ]; then
  echo "run-zipkin-compare: fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:exec from Maven Central"
  mvn -q -B dependency:get -Dartifact="io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec" -Dtransitive=false
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/spoor-vs-zipkin.XXXXXX")"
PID=""
stop() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PID" 2>/dev/null && kill -9 "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  PID=""
}
trap 'stop; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_up() { # $1 = url, $2 = log
  local deadline=$((SECONDS + 180))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    kill -0 "$PID" 2>/dev/null || { echo "server died:"; tail -30 "$2"; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "no answer from $1"; tail -30 "$2"; exit 1; }
    sleep 0.5
  done
}

start_spoor() {
  local data="$WORK/spoor-data-$1"
  mkdir -p "$data"
  "$JAVA" "${SERVER_JVM_FLAGS[@]}" "-Xmx$XMX" -jar "$SERVER_JAR" server \
    --data-dir "$data" --zipkin-port "$PORT" --http-port "$API_PORT" --otlp-grpc-port 0 --otlp-http-port 0 \
    >"$WORK/spoor-$1.log" 2>&1 &
  PID=$!
  wait_up "http://127.0.0.1:$API_PORT/health" "$WORK/spoor-$1.log"
  METRICS=(--data-dir "$data" --metrics-url "http://127.0.0.1:$API_PORT/metrics")
}

start_zipkin() {
  STORAGE_TYPE=mem "$JAVA" "-Xmx$ZIPKIN_XMX" -jar "$ZIPKIN_JAR" --armeria.ports[0].ip=127.0.0.1 \
    --armeria.ports[0].port="$PORT" --armeria.ports[0].protocols[0]=http >"$WORK/zipkin-$1.log" 2>&1 &
  PID=$!
  wait_up "http://127.0.0.1:$PORT/health" "$WORK/zipkin-$1.log"
  METRICS=()
}

query_latency() { # prints p50/p95/max ms of /api/v2/traces over QUERIES requests
  local times="$WORK/q.txt" end
  : >"$times"
  end=$(( $(date +%s) * 1000 ))
  for i in $(seq 1 "$QUERIES"); do
    case $((i % 4)) in
      0) q="serviceName=frontend&limit=10" ;;
      1) q="serviceName=order-service&spanName=all&limit=10" ;;
      2) q="serviceName=payment-service&annotationQuery=error&limit=10" ;;
      3) q="limit=10" ;;
    esac
    curl -fsS -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$PORT/api/v2/traces?$q&endTs=$end&lookback=3600000" >>"$times" \
      || echo "fail" >>"$times"
  done
  sort -n "$times" | awk -v n="$QUERIES" '/fail/ {f++; next} {a[++c]=$1*1000} END {
    if (c == 0) { print "all queries failed"; exit }
    printf "/api/v2/traces latency over %d queries: p50 %.1f ms, p95 %.1f ms, max %.1f ms%s\n", c, a[int(c*0.5+0.5)], a[int(c*0.95+0.5)], a[c], (f ? ", " f " failed" : "") }'
}

for p in "$PORT" "$API_PORT"; do
  if port_busy "$p"; then echo "run-zipkin-compare: port $p is in use" >&2; exit 1; fi
done
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$WORK/out.txt"
: >"$OUT"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for server in $SERVERS; do
    echo "=== round $r: $server" | tee -a "$OUT"
    if [ "$server" = spoor ]; then start_spoor "$r"; else start_zipkin "$r"; fi
    "$JAVA" -XX:+UseSerialGC -Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED -jar "$BENCH_JAR" load \
      --protocol zipkin --target "127.0.0.1:$PORT" --connections "$CONNECTIONS" --duration "$DURATION" \
      --warmup "$WARMUP" --batch-spans 512 --server-pid "$PID" ${METRICS[@]+"${METRICS[@]}"} --json \
      ${EXTRA[@]+"${EXTRA[@]}"} 2>&1 | { grep -v '^WARNING' || true; } | sed "s/^{/{\"server\":\"$server\",\"round\":$r,/" | tee -a "$OUT"
    sleep 2
    query_latency | tee -a "$OUT"
    echo "server RSS after the queries: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$PID/status)" | tee -a "$OUT"
    stop
  done
done

mkdir -p "$ROOT/bench/results"
RESULT="$ROOT/bench/results/zipkin-compare-$STAMP.md"
{
  echo "# Spoor vs Zipkin $ZIPKIN_VERSION (in-memory) — $STAMP"
  echo
  echo "- commit: \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`"
  echo "- command: \`$COMMAND_LINE\`"
  echo "- Spoor server jar: \`$SERVER_JAR\`; ports: $PORT (Zipkin API of both), $API_PORT (Spoor's API)"
  echo "- machine: \`$(uname -a)\`; cores: $(nproc); memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- load average at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- java: \`$("$JAVA" -version 2>&1 | head -1)\`; Spoor -Xmx$XMX, Zipkin -Xmx$ZIPKIN_XMX (STORAGE_TYPE=mem, MEM_MAX_SPANS default 500000)"
  echo
  echo '```'
  grep -v '^{' "$OUT"
  echo '```'
  echo
  echo '```json'
  grep '^{' "$OUT" || true
  echo '```'
} >"$RESULT"
echo "run-zipkin-compare: results written to ${RESULT#$ROOT/}"
