#!/usr/bin/env bash
# Runs one benchmark (see bench/README.md), holding the machine's test lock so that nothing else
# measures or tests at the same time, and keeps its output in bench/results/.
#
#   bench/run.sh webhook|latency|rate|queue|start|memory|growth|growth-http [-Dproperty=value ...]
#
# Properties go to the benchmark JVM, e.g. -Dbench.jvmArgs="-Xmx128m -XX:+UseSerialGC" (the services' JVM options),
# -Drate=2000, -Dduration=30. BENCH_BUILD=1 rebuilds first (otherwise only when bench/target/lib is missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# the benchmark JVM, and so the services of the "Java 25" side, run on Temurin 25 where present (as test.sh);
# the "Java 17" side of the comparisons runs on JAVA17_HOME
java25=/usr/lib/jvm/temurin-25-jdk-amd64
[ -z "${PREMIUM_JAVA_HOME:-}" ] && [ -x "$java25/bin/java" ] && PREMIUM_JAVA_HOME=$java25
export JAVA_HOME=${PREMIUM_JAVA_HOME:-${JAVA_HOME:-}}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
java17=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
what=${1:?usage: bench/run.sh webhook|latency|rate|queue|start|memory|growth [-Dprop=value ...]}
shift
if [ "$what" = growth ]; then # the database part of the growth benchmark: a shell script over psql
  mkdir -p bench/results
  out="bench/results/growth-$(date -u +%Y%m%dT%H%M%SZ).txt"
  echo "# bench/run.sh growth (commit $(git rev-parse --short HEAD)), $(nproc) cores, GROWTH_SCALE=${GROWTH_SCALE:-1}" | tee "$out"
  lock=(flock /tmp/premium-tests.lock)
  [ -n "${BENCH_LOCK_HELD:-}" ] && lock=()
  "${lock[@]}" bench/growth.sh 2>&1 | tee -a "$out"
  echo "saved: $out"
  exit 0
fi
if [ "$what" = growth-http ]; then
  # the HTTP-level part of the growth benchmark: the webhook and wallet-paid purchases end to end, each on an empty
  # database and on a copy of GROWTH_DB (seeded by GROWTH_SEED_ONLY=1 bench/growth.sh), in one hold of the lock
  : "${GROWTH_DB:?growth-http needs GROWTH_DB, a database seeded by GROWTH_DB=name GROWTH_SEED_ONLY=1 bench/growth.sh}"
  if [ -z "${BENCH_LOCK_HELD:-}" ]; then exec flock /tmp/premium-tests.lock env BENCH_LOCK_HELD=1 "$0" growth-http "$@"; fi
  # The seeded year holds ~20 M claims older than the retention: pruning that backlog (100,000 rows a minute) is a
  # one-off after retention is first deployed, timed per batch by bench/growth.sh; in steady state a tick deletes one
  # minute's claims. Off in both runs so that neither measures the catch-up.
  export WORKER_PRUNE_EVERY=off
  echo "growth-http, load before: $(uptime), WORKER_PRUNE_EVERY=off"
  # one failed part (e.g. pgbench finding no free connection on a shared server) does not cancel the others
  "$0" webhook "$@" || echo "growth-http: webhook on the empty database failed"
  STACK_DB_TEMPLATE=$GROWTH_DB "$0" webhook "$@" || echo "growth-http: webhook on the grown database failed"
  "$0" latency "$@" || echo "growth-http: latency on the empty database failed"
  STACK_DB_TEMPLATE=$GROWTH_DB "$0" latency "$@" || echo "growth-http: latency on the grown database failed"
  echo "growth-http, load after: $(uptime)"
  exit 0
fi
case "$what" in
  webhook) main=io.premiumbot.bench.WebhookLoad; extra=() ;;
  latency) main=io.premiumbot.bench.Delivery; extra=(-Dmode=latency) ;;
  rate)    main=io.premiumbot.bench.Delivery; extra=(-Dmode=rate) ;;
  queue)   main=io.premiumbot.bench.QueueEngine; extra=() ;;
  start)   main=io.premiumbot.bench.StartTime; extra=(-Dbench.baselineJavaHome="$java17") ;;
  memory)
    # RSS under load, Java 17 fast-jar with the former defaults vs Java 25 + AOT cache + the production options,
    # in one hold of the lock: the delivery burst (worker) and the webhook at 200/s (api-service), each side in turn
    if [ -z "${BENCH_LOCK_HELD:-}" ]; then exec flock /tmp/premium-tests.lock env BENCH_LOCK_HELD=1 "$0" memory "$@"; fi
    baseline=(-Dpremium.serviceJavaHome="$java17" -Dpremium.serviceAppDir=target/bench-fast-jar
      "-Dbench.jvmArgs=-Xmx256m -XX:+UseSerialGC")
    uptime
    "$0" rate "${baseline[@]}" "$@"; "$0" rate "$@"
    "$0" webhook "${baseline[@]}" "$@"; "$0" webhook "$@"
    uptime
    exit 0 ;;
  *) echo "unknown benchmark: $what" >&2; exit 2 ;;
esac
if [ "${BENCH_BUILD:-0}" = 1 ] || [ ! -d bench/target/lib ] || [ ! -f api-service/target/quarkus-app/quarkus-run.jar ]; then
  # with -Daot-cache the build records each service's AOT cache after its packaged-jar tests (README "Java 25 and the AOT cache")
  ./mvnw -B -q -Pbench verify -Daot-cache -pl api-service,worker-service,e2e,bench -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='Packaged*IT' -Dfailsafe.failIfNoSpecifiedTests=false
fi
if { [ "${BENCH_BUILD:-0}" = 1 ] || [ "$what" = start ] || [[ "$*" == *bench-fast-jar* ]]; } \
    && [ ! -f worker-service/target/bench-fast-jar/quarkus-run.jar ]; then
  # the baseline of the comparisons: what the services were before Java 25, a fast-jar built on Java 17
  JAVA_HOME=$java17 ./mvnw -B -q -pl api-service,worker-service -am package -DskipTests \
    -Dquarkus.package.output-directory=bench-fast-jar
fi
if [ "$what" = queue ] && [ ! -d bench/bullmq/node_modules ]; then
  (cd bench/bullmq && npm ci --no-audit --no-fund)
fi
mkdir -p bench/results
out="bench/results/$what-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# bench/run.sh $what $* (commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!bench/results' || echo '+changes'))${STACK_DB_TEMPLATE:+, database: a copy of $STACK_DB_TEMPLATE}"
  echo "# $(nproc) cores, $("$java" -version 2>&1 | head -1), load before: $(cut -d' ' -f1-3 /proc/loadavg), TELEGRAM_RATE_LIMIT_PER_SECOND=${TELEGRAM_RATE_LIMIT_PER_SECOND:-30 (default)}${MALLOC_ARENA_MAX:+, MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX}"
} | tee "$out"
# a batch that already holds the lock (BENCH_LOCK_HELD=1, see bench/README.md) must not wait for itself
lock=(flock /tmp/premium-tests.lock)
[ -n "${BENCH_LOCK_HELD:-}" ] && lock=()
"${lock[@]}" "$java" -Dpremium.projectRoot="$root" "${extra[@]}" "$@" \
  -cp "bench/target/bench-1.0.0-SNAPSHOT.jar:bench/target/lib/*" "$main" 2>&1 | tee -a "$out"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
echo "saved: $out"
