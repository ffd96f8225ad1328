#!/usr/bin/env bash
# The growth benchmark's database part: every periodic job's statement per tick and the operator's queries, timed
# (EXPLAIN ANALYZE execution time, median of RUNS, each in a rolled-back transaction) on an empty database and on one
# seeded with a year of history, both migrated by the repository's Flyway scripts; prints each ratio to empty.
#   bench/growth.sh                 seed at full scale: 1 M users, 10 M ledger entries, 3 M orders, 20 M updates
#   GROWTH_SCALE=0.1 bench/growth.sh  a tenth of that;  GROWTH_DB=name reuses an already seeded database
#   GROWTH_ONLY=regex  only the statements whose name matches;  RUNS=n  timings per statement (7)
# Needs psql and the local superuser (trust auth), as deploy/local/services.sh sets up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pg=(psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U postgres -v ON_ERROR_STOP=1 -qAt)
runs=${RUNS:-7}
scale=${GROWTH_SCALE:-1}
n() { awk -v s="$scale" -v v="$1" 'BEGIN { printf "%d", v * s }'; }
suffix=$(date +%s)
empty=premium_growth_empty_$suffix
migrate() {
  "${pg[@]}" -c "create database $1 owner premium"
  for f in $(ls "$root"/shared-model/src/main/resources/db/migration/V*__*.sql | sort -t V -k2 -n); do
    "${pg[@]}" -d "$1" -f "$f" >/dev/null
  done
}
cleanup() { "${pg[@]}" -c "drop database if exists $empty" || true; [ -z "${GROWTH_DB:-}" ] && "${pg[@]}" -c "drop database if exists ${grown:-none}" || true; }
trap cleanup EXIT
migrate "$empty"
if [ -n "${GROWTH_DB:-}" ]; then
  grown=$GROWTH_DB
  echo "grown database: $grown (seeded before)"
else
  grown=premium_growth_grown_$suffix
  migrate "$grown"
  start=$(date +%s)
  "${pg[@]}" -d "$grown" -v users="$(n 1000000)" -v ledger="$(n 10000000)" -v orders="$(n 3000000)" -v updates="$(n 20000000)" \
    -f "$root/bench/src/main/resources/growth/seed.sql" >/dev/null
  echo "seeded $grown in $(( $(date +%s) - start )) s"
fi
"${pg[@]}" -d "$grown" -c "select 'history: ' || (select count(*) from users) || ' users, ' || (select count(*) from ledger_entries) || ' ledger entries, ' || (select count(*) from orders) || ' orders, ' || (select count(*) from processed_updates) || ' processed updates'"
"${pg[@]}" -d "$empty" -c "vacuum analyze" >/dev/null
echo "load before: $(uptime)"
median_ms() { # db, statement (:ledger_top replaced by that database's highest ledger id, as the worker binds it)
  # prints "<median ms> <buffers>": buffers (shared hit + read, top node) don't depend on the CPU's other tenants
  local t=() top plan buffers
  top=$("${pg[@]}" -d "$1" -c "select coalesce(max(id), 0) from ledger_entries")
  set -- "$1" "${2//:ledger_top/$top}"
  for _ in $(seq "$runs"); do
    plan=$("${pg[@]}" -d "$1" -c "begin" -c "explain (analyze, buffers, format json) $2" -c "rollback" | tr -d '\n')
    t+=("$(sed -E 's/.*"Execution Time": ([0-9.]+).*/\1/' <<<"$plan")")
    buffers=$(( $(grep -o '"Shared Hit Blocks": [0-9]*' <<<"$plan" | head -1 | grep -o '[0-9]*$') \
              + $(grep -o '"Shared Read Blocks": [0-9]*' <<<"$plan" | head -1 | grep -o '[0-9]*$') ))
  done
  echo "$(printf '%s\n' "${t[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') $buffers"
}
printf '%-62s %10s %10s %8s %16s\n' "statement (median of $runs, ms)" empty grown ratio "buffers e→g"
awk '/^-- name: /{ if (name) print name "\t" stmt; name = substr($0, 10); stmt = ""; next } /^--/ { next } { stmt = stmt " " $0 } END { print name "\t" stmt }' \
    "$root/bench/src/main/resources/growth/queries.sql" | while IFS=$'\t' read -r name stmt; do
  if [ -n "${GROWTH_ONLY:-}" ] && ! [[ $name =~ $GROWTH_ONLY ]]; then continue; fi
  read -r e eb <<<"$(median_ms "$empty" "$stmt")"; read -r g gb <<<"$(median_ms "$grown" "$stmt")"
  awk -v n="$name" -v e="$e" -v g="$g" -v eb="$eb" -v gb="$gb" 'BEGIN { r = g / (e < 0.01 ? 0.01 : e); v = r <= 1.2 ? "" : "  missed"; if (n ~ /before V7/) v = "  (replaced)"; printf "%-62s %10.3f %10.3f %7.1fx %7d→%-8d%s\n", n, e, g, r, eb, gb, v }'
done
echo "load after: $(uptime)"
