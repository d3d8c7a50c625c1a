#!/usr/bin/env bash
# Ingest benchmark: start a fresh Spoor server, drive it with the OTLP load generator over gRPC and then
# HTTP, print the figures, stop the server, and record everything in bench/results/<timestamp>.md.
#
#   bench/run-ingest.sh [--duration 60s] [--warmup 10s] [--connections 8] [--in-flight 1]
#                       [--protocols "grpc http"] [--restart-between] [--no-build] [-- extra load options]
#
# Environment: JAVA_HOME (used if it is a JDK >= 21), SPOOR_SERVER_XMX (default 2g), SPOOR_SERVER_JAR,
# SPOOR_GRPC_PORT / SPOOR_HTTP_PORT / SPOOR_API_PORT (default 4317 / 4318 / 16686),
# SPOOR_SERVER_CONFIG (a --config file for the server, e.g. a tail-sampling pipeline),
# SPOOR_SERVER_JVM_FLAGS (added to the server's flags from scripts/jvm-flags.sh, e.g. to compare a run with
# "--add-modules jdk.incubator.vector").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_JAR="${SPOOR_SERVER_JAR:-$ROOT/server/target/spoor-server.jar}"
BENCH_JAR="$ROOT/bench/target/spoor-bench.jar"

DURATION=60s
WARMUP=10s
CONNECTIONS=8
IN_FLIGHT=1
PROTOCOLS="grpc http"
RESTART=0
BUILD=1
EXTRA=()
COMMAND_LINE="$0 $*"

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --connections|-c) CONNECTIONS="$2"; shift 2 ;;
    --in-flight) IN_FLIGHT="$2"; shift 2 ;;
    --protocols) PROTOCOLS="$2"; shift 2 ;;
    --restart-between) RESTART=1; shift ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "run-ingest: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

GRPC_PORT="${SPOOR_GRPC_PORT:-4317}"
HTTP_PORT="${SPOOR_HTTP_PORT:-4318}"
API_PORT="${SPOOR_API_PORT:-16686}"
XMX="${SPOOR_SERVER_XMX:-2g}"

# ---------------------------------------------------------------- a JDK >= 21
java_major() { # $1 = JDK home; prints the feature version from its release file, or nothing
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null | head -1)"
  [ -n "$v" ] && [ -x "$1/bin/java" ] && echo "$v"
}
find_jdk() {
  local v c
  if [ -n "${JAVA_HOME:-}" ]; then
    v="$(java_major "$JAVA_HOME" || true)"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for c in /usr/lib/jvm/*temurin* /usr/lib/jvm/*; do
    [ -d "$c" ] || continue
    v="$(java_major "$c" || true)"
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
JDK="$(find_jdk)" || { echo "run-ingest: no JDK >= 21 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME="$JDK"
JAVA="$JDK/bin/java"
read -r -a SERVER_JVM_FLAGS <<< "$("$ROOT/scripts/jvm-flags.sh" "$JDK") ${SPOOR_SERVER_JVM_FLAGS:-}"

# ---------------------------------------------------------------- build if needed
stale() { # $1 = jar, $2... = module dirs; true when the jar is missing or older than a source file
  local jar="$1"; shift
  [ -f "$jar" ] || return 0
  [ -n "$(find "$@" -path '*/src/*' -type f -newer "$jar" -print -quit 2>/dev/null)" ]
}
if [ "$BUILD" = 1 ]; then
  if stale "$SERVER_JAR" "$ROOT"/{model,protocol,storage,pipeline,query,server} || stale "$BENCH_JAR" "$ROOT/bench"; then
    echo "run-ingest: building (mvn -q -B -DskipTests package) with $JDK"
    (cd "$ROOT" && mvn -q -B -DskipTests package)
  fi
fi
for jar in "$SERVER_JAR" "$BENCH_JAR"; do
  [ -f "$jar" ] || { echo "run-ingest: $jar is missing" >&2; exit 1; }
done

# ---------------------------------------------------------------- server lifecycle
WORK="$(mktemp -d "${TMPDIR:-/tmp}/spoor-ingest.XXXXXX")"
SERVER_PID=""
DATA_DIR=""

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
  local n="$1"
  for p in "$GRPC_PORT" "$HTTP_PORT" "$API_PORT"; do
    if port_busy "$p"; then echo "run-ingest: port $p on 127.0.0.1 is already in use" >&2; exit 1; fi
  done
  DATA_DIR="$WORK/data-$n"
  mkdir -p "$DATA_DIR"
  SERVER_LOG="$WORK/server-$n.log"
  SERVER_CMD=("$JAVA" "${SERVER_JVM_FLAGS[@]}" "-Xmx$XMX"
    -jar "$SERVER_JAR" server --data-dir "$DATA_DIR"
    --otlp-grpc-port "$GRPC_PORT" --otlp-http-port "$HTTP_PORT" --http-port "$API_PORT"
    ${SPOOR_SERVER_CONFIG:+--config "$SPOOR_SERVER_CONFIG"})
  "${SERVER_CMD[@]}" >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "http://127.0.0.1:$API_PORT/health" 2>/dev/null; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "run-ingest: the server exited during startup; its log:" >&2; tail -50 "$SERVER_LOG" >&2; exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "run-ingest: no /health after 120 s; server log:" >&2; tail -50 "$SERVER_LOG" >&2; exit 1
    fi
    sleep 0.5
  done
  echo "run-ingest: server up (pid $SERVER_PID, data dir $DATA_DIR)"
}

# ---------------------------------------------------------------- run
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
RESULTS_DIR="$ROOT/bench/results"
mkdir -p "$RESULTS_DIR"
RESULT_MD="$RESULTS_DIR/$STAMP.md"
OUT="$WORK/out.txt"
: >"$OUT"
LOADER_CMDS=()

n=0
start_server "$n"
for proto in $PROTOCOLS; do
  if [ "$RESTART" = 1 ] && [ "$n" -gt 0 ]; then
    stop_server
    start_server "$n"
  fi
  n=$((n + 1))
  case "$proto" in
    grpc) port="$GRPC_PORT" ;;
    http) port="$HTTP_PORT" ;;
    *) echo "run-ingest: unknown protocol $proto" >&2; exit 2 ;;
  esac
  LOADER=("$JAVA" -XX:+UseSerialGC -Xms256m -Xmx512m --enable-native-access=ALL-UNNAMED -jar "$BENCH_JAR" load
    --protocol "$proto" --target "127.0.0.1:$port" --connections "$CONNECTIONS" --in-flight "$IN_FLIGHT"
    --duration "$DURATION" --warmup "$WARMUP" --batch-spans 512
    --server-pid "$SERVER_PID" --data-dir "$DATA_DIR" --metrics-url "http://127.0.0.1:$API_PORT/metrics" --json
    ${EXTRA[@]+"${EXTRA[@]}"})
  LOADER_CMDS+=("${LOADER[*]}")
  echo "run-ingest: ${LOADER[*]}"
  if ! "${LOADER[@]}" 2>&1 | { grep -v '^WARNING' || true; } | tee -a "$OUT"; then
    echo "run-ingest: the $proto run accepted nothing or failed" | tee -a "$OUT" >&2
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "run-ingest: the server died; log:" >&2; tail -50 "$SERVER_LOG" >&2; exit 1; }
done
SERVER_CMD_TEXT="${SERVER_CMD[*]}"
stop_server

# ---------------------------------------------------------------- record
{
  echo "# Spoor ingest benchmark $STAMP"
  echo
  echo "- commit: \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (work tree has uncommitted changes)')"
  echo "- command: \`$COMMAND_LINE\`"
  echo "- machine: \`$(uname -a)\`"
  echo "- cores: $(nproc); memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- load average (1/5/15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- java: \`$("$JAVA" -version 2>&1 | tr '\n' ' ')\`"
  echo "- server: \`$SERVER_CMD_TEXT\`$([ "$RESTART" = 1 ] && echo ' (fresh server and data dir per protocol)' || echo ' (one server for all protocols: peak RSS and bytes/span of later runs are cumulative)')"
  for c in "${LOADER_CMDS[@]}"; do echo "- loader: \`$c\`"; done
  echo
  echo '```'
  grep -v '^{' "$OUT"
  echo '```'
  echo
  echo "JSON:"
  echo
  echo '```json'
  grep '^{' "$OUT" || true
  echo '```'
} >"$RESULT_MD"
echo "run-ingest: results written to ${RESULT_MD#$ROOT/}"
