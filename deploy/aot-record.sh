#!/usr/bin/env bash
# Records a service's AOT cache (JEP 483/514), <service>/target/quarkus-app/app.aot, from a short scripted run of the
# packaged aot-jar: start, readiness, for the api-service 200 webhook updates (/start, /help, /balance, /buy 3,
# /orders) and the operator API, health and metrics, then SIGTERM; the JVM writes the cache as it exits.
#
# The build runs it (root pom, profile aot-cache: ./mvnw verify -Daot-cache on JDK 25) after each service's
# packaged-jar tests; it can also run by hand after `./mvnw package -DskipTests -Daot-cache`:
#   deploy/aot-record.sh api-service && deploy/aot-record.sh worker-service
# Quarkus' own recording from the @QuarkusIntegrationTest run is not used: its launcher kills the recorded JVM about
# five seconds after SIGTERM and gives the cache 20 s to assemble, and on 2 busy cores writing a 100 MB recording
# takes longer, so it left no cache here.
#
# Env: DB_URL (default: the api-service's test database, TEST_API_DB_URL; the api-service's run migrates it, the
# worker's expects it migrated, so record the api-service first), DB_USER, DB_PASSWORD, REDIS_URL (default db 3, which
# no test uses), PORT, PREMIUM_JAVA_HOME. Telegram and TronGrid are unreachable on purpose (127.0.0.1:9):
# the run exercises the classes of the request paths, not the Bot API.
#
# The jar is named by its absolute path: a cache recorded with a relative one is refused elsewhere ("shared class
# paths mismatch"). Recorded under one directory, the cache is used from another (an image's /deployments) as long
# as the jars keep their size and modification time (seconds). The options the cache checks are those of
# production (Serial GC, compact object headers); C1 only, so no method profiles are recorded (-AOTRecordTraining).
set -euo pipefail
svc=${1:?usage: deploy/aot-record.sh api-service|worker-service}
root=$(cd "$(dirname "$0")/.." && pwd)
java=${PREMIUM_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -x "$java" ] || java=${JAVA_HOME:?no JDK 25: set PREMIUM_JAVA_HOME}/bin/java
app=$root/$svc/target/quarkus-app
[ -f "$app/quarkus-run.jar" ] || { echo "$app/quarkus-run.jar missing: package the service first" >&2; exit 1; }
port=${PORT:-$([ "$svc" = api-service ] && echo 18580 || echo 18581)}
export DB_URL=${DB_URL:-${TEST_API_DB_URL:-postgresql://127.0.0.1:5432/premium_api_test}} DB_USER=${DB_USER:-premium} DB_PASSWORD=${DB_PASSWORD:-premium}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3} TELEGRAM_API_URL=http://127.0.0.1:9 TELEGRAM_BOT_TOKEN=123:record
export TRON_API_URL=http://127.0.0.1:9 TELEGRAM_WEBHOOK_SECRET=record-secret ADMIN_API_TOKEN=record-admin
export LOG_JSON=false QUARKUS_OTEL_SDK_DISABLED=true MALLOC_ARENA_MAX=2 HTTP_PORT=$port WORKER_ID=aot-record
log=$app/aot-record.log
cd "$app"  # the cache and the log go here
rm -f app.aot
"$java" -XX:AOTCacheOutput=app.aot -XX:+UseSerialGC -Xmx64m -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 \
  -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
trap 'kill -KILL $pid 2>/dev/null || true' ERR INT
until curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
  kill -0 $pid 2>/dev/null || { echo "$svc exited before ready, see $log" >&2; exit 1; }
  sleep 0.1
done
if [ "$svc" = api-service ]; then
  n=0
  for i in $(seq 1 40); do
    for text in /start /help /balance "/buy 3" /orders; do
      user=$((700000 + i % 5)) n=$((n + 1))
      curl -s -o /dev/null --max-time 10 -H 'Content-Type: application/json' -H "X-Telegram-Bot-Api-Secret-Token: $TELEGRAM_WEBHOOK_SECRET" \
        -d "{\"update_id\":$((900000000 + RANDOM * 1000 + n)),\"message\":{\"message_id\":$i,\"date\":0,\"chat\":{\"id\":$user,\"type\":\"private\"},\"from\":{\"id\":$user,\"is_bot\":false,\"first_name\":\"R\"},\"text\":\"$text\"}}" \
        "http://127.0.0.1:$port/telegram/webhook" || true
    done
    curl -s -o /dev/null --max-time 10 -H "Authorization: Bearer $ADMIN_API_TOKEN" "http://127.0.0.1:$port/admin/orders" || true
  done
fi
for _ in $(seq 1 20); do
  curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$port/q/health/ready" || true
  curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$port/q/metrics" || true
done
kill -TERM $pid
wait $pid || true
grep -q "AOTCache creation is complete" "$log" || { echo "no cache written, see $log" >&2; exit 1; }
echo "$svc: $(ls -l app.aot | awk '{print $5}') bytes in $app/app.aot (log: $log)"
