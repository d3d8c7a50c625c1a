#!/usr/bin/env bash
# Long fuzzing runs of Spoor's Jazzer fuzz tests, one target after the other (each in a JVM of its own).
#
#   scripts/fuzz.sh                      every target, 1,000,000 inputs each (at most 24 h each)
#   scripts/fuzz.sh 5000000              every target, 5,000,000 inputs each
#   scripts/fuzz.sh 1000000 ZipkinJsonFuzzTest OtlpJsonTraceFuzzTest   only these targets
#
# `mvn verify` runs each target for a few seconds (fuzz.duration in the root pom). A run here grows each target's
# corpus in <module>/.cifuzz-corpus/<test class>/<method>/ (not kept in git); a finding stops that target, fails it,
# and leaves the input beside the seeds in <module>/src/test/resources/<package>/<Class>Inputs/<method>/, where
# `mvn test` replays it. Per target it prints "fuzz: <target> ran N inputs" and the result; the summary is at the end.
# Run on a quiet machine: a target's speed depends on the CPU it gets (one core each).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA_HOME=$(scripts/find-jdk.sh)
export JAVA_HOME

runs=${1:-1000000}
shift || true
declare -A module=(
  [OtlpProtobufTraceFuzzTest]=protocol [OtlpJsonTraceFuzzTest]=protocol [OtlpSignalFuzzTest]=protocol
  [ZipkinJsonFuzzTest]=protocol [ZipkinProto3FuzzTest]=protocol
  [ConfigLoaderFuzzTest]=server [SpanLimiterFuzzTest]=pipeline)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(OtlpProtobufTraceFuzzTest OtlpJsonTraceFuzzTest OtlpSignalFuzzTest ZipkinJsonFuzzTest ZipkinProto3FuzzTest
    ConfigLoaderFuzzTest SpanLimiterFuzzTest)
fi

summary=()
for t in "${targets[@]}"; do
  m=${module[$t]:?"unknown fuzz target $t"}
  echo "== $t ($m): $runs inputs"
  start=$(date +%s)
  # -am builds what the module needs; -Dtest selects the one class in every module (others run nothing)
  if mvn -B -o -q -pl "$m" -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfuzz.runs="$runs" -Dfuzz.duration=24h; then
    result=passed
  else
    result="FAILED (see $m/target/surefire-reports/*$t.txt; a finding is saved under $m/src/test/resources)"
  fi
  count=$(grep -h "^fuzz: $t ran" "$m"/target/surefire-reports/*"$t"-output.txt 2>/dev/null | tail -1 || true)
  line="$t: ${count#fuzz: } in $(( $(date +%s) - start )) s, $result"
  echo "$line"
  summary+=("$line")
done
echo
printf '%s\n' "${summary[@]}"
