#!/usr/bin/env bash
# The growth benchmark's database part: every periodic job's statement per tick and the operator's queries, timed
# (EXPLAIN ANALYZE execution time, median of RUNS, each in a rolled-back transaction) on three databases migrated by
# the repository's Flyway scripts: empty; a first day (2,000 users with 2 ledger entries each, 6,000 orders, 40,000
# processed updates, 2,020 payments, 200 audit entries — enough that every batch and most pages are as full as on the
# grown one); and one seeded with a year of history (10 ledger entries per user). Prints each ratio to empty and to the first day: a page of 50 rows against an empty page
# measures the page, not the history, so the verdict (≤ 1.2×) is taken against the first day.
#   bench/growth.sh                 seed at full scale: 1 M users, 10 M ledger entries, 3 M orders, 20 M updates
#   GROWTH_SCALE=0.1 bench/growth.sh  a tenth of that;  GROWTH_DB=name reuses an already seeded database
#   GROWTH_SEED_ONLY=1  seed GROWTH_DB (created) and stop: a grown database for the HTTP-level runs (bench/README §7)
#   GROWTH_ONLY=regex  only the statements whose name matches;  RUNS=n  timings per statement (7)
# Needs psql and the local superuser (trust auth), as deploy/local/services.sh sets up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pg=(psql -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -U postgres -v ON_ERROR_STOP=1 -qAt)
runs=${RUNS:-7}
scale=${GROWTH_SCALE:-1}
n() { awk -v s="$2" -v v="$1" 'BEGIN { printf "%d", v * s }'; }
suffix=$(date +%s)
empty=premium_growth_empty_$suffix
base=premium_growth_base_$suffix
# as the services' role, so that a seeded database can also serve the services (HTTP-level runs)
migrate() {
  "${pg[@]}" -c "create database $1 owner premium"
  for f in $(ls "$root"/shared-model/src/main/resources/db/migration/V*__*.sql | sort -t V -k2 -n); do
    "${pg[@]}" -d "$1" -c "set role premium" -f "$f" >/dev/null
  done
}
seed() { # database, users, ledger entries, orders, processed updates
  "${pg[@]}" -d "$1" -v users="$2" -v ledger="$3" -v orders="$4" -v updates="$5" \
    -f "$root/bench/src/main/resources/growth/seed.sql" >/dev/null
}
seed_grown() { seed "$1" "$(n 1000000 "$scale")" "$(n 10000000 "$scale")" "$(n 3000000 "$scale")" "$(n 20000000 "$scale")"; }
if [ -n "${GROWTH_SEED_ONLY:-}" ]; then
  grown=${GROWTH_DB:?GROWTH_SEED_ONLY needs GROWTH_DB, the database to create and seed}
  migrate "$grown"; start=$(date +%s); seed_grown "$grown"
  echo "seeded $grown at scale $scale in $(( $(date +%s) - start )) s"
  exit 0
fi
cleanup() {
  "${pg[@]}" -c "drop database if exists $empty" -c "drop database if exists $base" || true
  [ -z "${GROWTH_DB:-}" ] && "${pg[@]}" -c "drop database if exists ${grown:-none}" || true
}
trap cleanup EXIT
migrate "$empty"
migrate "$base"; seed "$base" 2000 4000 6000 40000
if [ -n "${GROWTH_DB:-}" ]; then
  grown=$GROWTH_DB
  echo "grown database: $grown (seeded before)"
else
  grown=premium_growth_grown_$suffix
  migrate "$grown"
  start=$(date +%s)
  seed_grown "$grown"
  echo "seeded $grown in $(( $(date +%s) - start )) s"
fi
"${pg[@]}" -d "$base" -c "select 'first day: ' || (select count(*) from users) || ' users, ' || (select count(*) from ledger_entries) || ' ledger entries, ' || (select count(*) from orders) || ' orders, ' || (select count(*) from processed_updates) || ' processed updates'"
"${pg[@]}" -d "$grown" -c "select 'history: ' || (select count(*) from users) || ' users, ' || (select count(*) from ledger_entries) || ' ledger entries, ' || (select count(*) from orders) || ' orders, ' || (select count(*) from processed_updates) || ' processed updates'"
"${pg[@]}" -d "$empty" -c "vacuum analyze" >/dev/null
echo "load before: $(uptime)"
median_ms() { # db, statement (:ledger_top replaced by that database's highest ledger id, as the worker binds it)
  # prints "<median ms> <buffers>": buffers (shared hit + read of the plan's busiest node) don't depend on the CPU's
  # other tenants
  local t=() top plan buffers
  top=$("${pg[@]}" -d "$1" -c "select coalesce(max(id), 0) from ledger_entries")
  set -- "$1" "${2//:ledger_top/$top}"
  for _ in $(seq "$runs"); do
    plan=$("${pg[@]}" -d "$1" -c "begin" -c "explain (analyze, buffers, format json) $2" -c "rollback" | tr -d '\n')
    t+=("$(sed -E 's/.*"Execution Time": ([0-9.]+).*/\1/' <<<"$plan")")
    # the plan's nodes (each counts its children; a CTE counts under its own node, not the top one), without planning
    buffers=$(paste -d' ' <(grep -o '"Shared Hit Blocks": [0-9]*' <<<"${plan%%\"Planning\": \{*}" | grep -o '[0-9]*$') \
                          <(grep -o '"Shared Read Blocks": [0-9]*' <<<"${plan%%\"Planning\": \{*}" | grep -o '[0-9]*$') \
              | awk '{ if ($1 + $2 > m) m = $1 + $2 } END { print m + 0 }')
  done
  echo "$(printf '%s\n' "${t[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }') $buffers"
}
printf '%-66s %8s %8s %9s %8s %8s %18s\n' "statement (median of $runs, ms)" empty "1st day" grown "g/empty" "g/day" "buffers e→d→g"
awk '/^-- name: /{ if (name) print name "\t" stmt; name = substr($0, 10); stmt = ""; next } /^--/ { next } { stmt = stmt " " $0 } END { print name "\t" stmt }' \
    "$root/bench/src/main/resources/growth/queries.sql" | while IFS=$'\t' read -r name stmt; do
  if [ -n "${GROWTH_ONLY:-}" ] && ! [[ $name =~ $GROWTH_ONLY ]]; then continue; fi
  read -r e eb <<<"$(median_ms "$empty" "$stmt")"; read -r d db <<<"$(median_ms "$base" "$stmt")"
  read -r g gb <<<"$(median_ms "$grown" "$stmt")"
  awk -v n="$name" -v e="$e" -v d="$d" -v g="$g" -v eb="$eb" -v db="$db" -v gb="$gb" 'BEGIN {
    re = g / (e < 0.01 ? 0.01 : e); rd = g / (d < 0.01 ? 0.01 : d); v = rd <= 1.2 ? "" : "  missed"; if (n ~ /\(before\)/) v = "  (replaced)"
    printf "%-66s %8.3f %8.3f %9.3f %7.1fx %7.1fx %6d→%d→%-6d%s\n", n, e, d, g, re, rd, eb, db, gb, v }'
done
echo "load after: $(uptime)"
