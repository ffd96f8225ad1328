#!/usr/bin/env bash
# Records a service's AOT cache, <service>/target/quarkus-app/app.aot, from a short scripted run of the packaged
# aot-jar (JEP 514 -XX:AOTCacheOutput): start, readiness, for the api-service 200 webhook updates (/start, /help,
# /balance, /buy 3, /orders) and the operator API, then SIGTERM; the JVM writes the cache as it exits. The way the
# caches of bench/README.md §8 were made; the build's own recording (-Daot-cache, from the Packaged*IT tests) does the
# same from the integration tests. Needs the services packaged on Temurin 25 as aot-jar:
#   ./mvnw -B -q -Pbench package -DskipTests -Daot-cache -pl api-service,worker-service,e2e,bench -am
#   bench/aot-record.sh api-service && bench/aot-record.sh worker-service
# Env: DB_URL (a migrated database; the api-service migrates it), REDIS_URL, PORT. Telegram is unreachable on
# purpose (127.0.0.1:9): the run exercises the classes of the request paths, not the Bot API.
set -euo pipefail
svc=${1:?usage: bench/aot-record.sh api-service|worker-service}
root=$(cd "$(dirname "$0")/.." && pwd)
java=${PREMIUM_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
app=$root/$svc/target/quarkus-app
port=${PORT:-$([ "$svc" = api-service ] && echo 18580 || echo 18581)}
export DB_URL=${DB_URL:-postgresql://127.0.0.1:5432/premium} DB_USER=${DB_USER:-premium} DB_PASSWORD=${DB_PASSWORD:-premium}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3} TELEGRAM_API_URL=http://127.0.0.1:9 TELEGRAM_BOT_TOKEN=123:record
export TELEGRAM_WEBHOOK_SECRET=record-secret ADMIN_API_TOKEN=record-admin LOG_JSON=false QUARKUS_OTEL_SDK_DISABLED=true
export MALLOC_ARENA_MAX=2 HTTP_PORT=$port WORKER_ID=aot-record
log=$app/aot-record.log
cd "$app"  # the cache and the log go here; the jar is named by its absolute path, as the Stack and the bench run it
rm -f app.aot
# the options the cache checks (GC, compact object headers) as in production; C1 only, so no method profiles
"$java" -XX:AOTCacheOutput=app.aot -XX:+UseSerialGC -Xmx64m -XX:+UseCompactObjectHeaders -XX:TieredStopAtLevel=1 \
  -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
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
        -d "{\"update_id\":$((900000000 + n)),\"message\":{\"message_id\":$i,\"date\":0,\"chat\":{\"id\":$user,\"type\":\"private\"},\"from\":{\"id\":$user,\"is_bot\":false,\"first_name\":\"R\"},\"text\":\"$text\"}}" \
        "http://127.0.0.1:$port/telegram/webhook"
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
ls -l app.aot
