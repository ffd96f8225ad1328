#!/usr/bin/env bash
# Runs one SPEC §11 benchmark (see bench/README.md), holding the machine's test lock so that nothing else
# measures or tests at the same time, and keeps its output in bench/results/.
#
#   bench/run.sh webhook|latency|rate|queue|start [-Dproperty=value ...]
#
# Properties go to the benchmark JVM, e.g. -Dbench.jvmArgs="-Xmx128m -XX:+UseSerialGC" (the services' JVM options),
# -Drate=2000, -Dduration=30. BENCH_BUILD=1 rebuilds first (otherwise only when bench/target/lib is missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
what=${1:?usage: bench/run.sh webhook|latency|rate|queue|start [-Dprop=value ...]}
shift
case "$what" in
  webhook) main=io.premiumbot.bench.WebhookLoad; extra=() ;;
  latency) main=io.premiumbot.bench.Delivery; extra=(-Dmode=latency) ;;
  rate)    main=io.premiumbot.bench.Delivery; extra=(-Dmode=rate) ;;
  queue)   main=io.premiumbot.bench.QueueEngine; extra=() ;;
  start)   main=io.premiumbot.bench.StartTime; extra=() ;;
  *) echo "unknown benchmark: $what" >&2; exit 2 ;;
esac
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -d bench/target/lib ] || [ ! -f api-service/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -Pbench package -DskipTests
fi
if [ "$what" = queue ] && [ ! -d bench/bullmq/node_modules ]; then
  (cd bench/bullmq && npm ci --no-audit --no-fund)
fi
mkdir -p bench/results
out="bench/results/$what-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# bench/run.sh $what $* (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo '+changes'))"
  echo "# $(nproc) cores, $(java -version 2>&1 | head -1), TELEGRAM_RATE_LIMIT_PER_SECOND=${TELEGRAM_RATE_LIMIT_PER_SECOND:-30 (default)}${MALLOC_ARENA_MAX:+, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX}"
  echo "# load before: $(uptime)"
} | tee "$out"
# a batch that already holds the lock (BENCH_LOCK_HELD=1, see bench/README.md) must not wait for itself
lock=(flock /tmp/premium-tests.lock)
[ -n "${BENCH_LOCK_HELD:-}" ] && lock=()
"${lock[@]}" java -Dpremium.projectRoot="$root" "${extra[@]}" "$@" \
  -cp "bench/target/bench-1.0.0-SNAPSHOT.jar:bench/target/lib/*" "$main" 2>&1 | tee -a "$out"
# other engineers' builds may share the cores: the load before and after says how much
echo "# load after: $(uptime)" | tee -a "$out"
echo "saved: $out"
