#!/usr/bin/env bash
# kill -9 a child Spoor under load N times (default 20) on one data directory, restarting it each time, and check
# that every acknowledged trace comes back whole. Prints one row per kill; the table is also written to
# server/target/kill-under-load.md. Runs for several minutes. Usage: scripts/kill-under-load.sh [N] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-$(scripts/find-jdk.sh)}"
kills="${1:-20}"
seed="${2:-20260101}"
mvn -B -o -pl server -am test -Dtest=KillUnderLoadTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspoor.kills="$kills" -Dspoor.kills.seed="$seed"
cat server/target/kill-under-load.md
