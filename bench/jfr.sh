#!/usr/bin/env bash
# Profiles the fresh api-service of a running `bench/run.sh webhook`: waits for the phase whose report line starts
# with PHASE (default "--- warm-up"), records JFR (settings=profile) for SECONDS (25) and prints the top frames.
#   bench/jfr.sh <results-file> [phase-prefix] [seconds] [output-prefix]
set -euo pipefail
results=${1:?results file of the running bench}
phase=${2:---- warm-up}
seconds=${3:-25}
out=${4:-${results%.txt}-jfr}
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
until grep -q -- "$phase" "$results" 2>/dev/null; do sleep 1; done
pid=$(pgrep -f -- '-Dbench.instance=webhook-' | head -1)
"$jdk/bin/jcmd" "$pid" JFR.start name=bench settings=profile duration="${seconds}s" filename="/tmp/bench-$pid.jfr" >/dev/null
sleep $((seconds + 3))
{
  echo "# JFR (settings=profile, ${seconds} s from \"$phase\") of the fresh api-service of $(basename "$results")"
  "$jdk/bin/jfr" print --events jdk.ExecutionSample --stack-depth 64 "/tmp/bench-$pid.jfr" | python3 "$(dirname "$0")/jfr-top.py"
} > "$out-top.txt"
echo "saved: $out-top.txt"
