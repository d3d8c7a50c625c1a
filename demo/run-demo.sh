#!/usr/bin/env bash
# Runs the Spoor demo: Spoor on its embedded store, PostgreSQL, Redis, four Java services instrumented with the
# OpenTelemetry Java agent, and traffic with labelled faults. Ctrl-C stops everything.
#   demo/run-demo.sh [--data-dir DIR] [--otlp-grpc-port N] [--otlp-http-port N] [--http-port N] [--zipkin-port N] [--bind ADDR]
#                    [--duration 90s] [--rate 2] [--sampling-ratio 1.0] [--payment-declined-rate 0.05] ...
#   demo/run-demo.sh --help   lists every option
# Builds the server jar and the demo module when they are missing or older than their sources.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAVA_HOME=$("$ROOT/scripts/find-jdk.sh") || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"

SERVER_JAR="$ROOT/server/target/spoor-server.jar"
DEMO_CLASSES="$ROOT/demo/target/classes"
AGENT="$ROOT/demo/target/agent/opentelemetry-javaagent.jar"

newer_than() { # $1 = file; true when any source/pom under the following dirs is newer (or $1 is missing)
  local target=$1; shift
  [ -e "$target" ] || return 0
  [ -n "$(find "$@" \( -path '*/src/*' -o -name pom.xml \) -newer "$target" -type f -print -quit 2>/dev/null)" ]
}

mvn_or_explain() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "demo: Maven (mvn) is needed to build the demo; install it (e.g. apt-get install maven)" >&2
    exit 1
  fi
  mvn "$@"
}

server_modules=()
for d in model protocol storage pipeline query server; do [ -d "$ROOT/$d" ] && server_modules+=("$ROOT/$d"); done
if newer_than "$SERVER_JAR" "${server_modules[@]}" "$ROOT/pom.xml"; then
  echo "demo: building Spoor's server jar" >&2
  (cd "$ROOT" && mvn_or_explain -q -B -DskipTests -pl server -am package)
fi
if newer_than "$DEMO_CLASSES/io/spoor/demo/DemoRunner.class" "$ROOT/demo" || [ ! -f "$AGENT" ]; then
  echo "demo: building the demo services" >&2
  (cd "$ROOT" && mvn_or_explain -q -B -DskipTests -f demo/pom.xml package)
fi

exec "$JAVA_HOME/bin/java" -Xmx256m -Dspoor.home="$ROOT" -Dspoor.jvm.flags="$("$ROOT/scripts/jvm-flags.sh" "$JAVA_HOME")" -cp "$DEMO_CLASSES:$ROOT/demo/target/lib/*" \
  io.spoor.demo.DemoRunner "$@"
