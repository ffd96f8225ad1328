#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on loopback and that the project's role and databases exist.
# Starts them if installed but down; installs them from Debian packages if absent (needs root or sudo).
# Idempotent: safe to run before every build.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=${PG_PORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
DB_ROLE=${DB_ROLE:-premium}
DB_ROLE_PASSWORD=${DB_ROLE_PASSWORD:-premium}
DATABASES=(premium premium_api_test premium_worker_test)

log() { printf '[services] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_install() {
  log "installing $* from Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt_install postgresql postgresql-client
  fi
  if ! pg_ready; then
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  fi
  pg_ready || { log "PostgreSQL does not answer on $PG_HOST:$PG_PORT"; exit 1; }

  # superuser access: trust on loopback (the machine's default), or the postgres OS user
  local psql_admin=(psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if ! "${psql_admin[@]}" -c 'select 1' >/dev/null 2>&1; then
    psql_admin=(as_root runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -qtA)
  fi
  if [ "$("${psql_admin[@]}" -c "select 1 from pg_roles where rolname = '$DB_ROLE'")" != "1" ]; then
    log "creating role $DB_ROLE"
    "${psql_admin[@]}" -c "create role $DB_ROLE login createdb password '$DB_ROLE_PASSWORD'"
  fi
  for db in "${DATABASES[@]}"; do
    if [ "$("${psql_admin[@]}" -c "select 1 from pg_database where datname = '$db'")" != "1" ]; then
      log "creating database $db"
      "${psql_admin[@]}" -c "create database $db owner $DB_ROLE"
    fi
  done
  # password auth must work over TCP for the services (trust or md5/scram both do)
  PGPASSWORD=$DB_ROLE_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$DB_ROLE" -d premium -qtA -c 'select 1' >/dev/null \
    || { log "role $DB_ROLE cannot log in over TCP"; exit 1; }
  log "PostgreSQL ready on $PG_HOST:$PG_PORT (role $DB_ROLE; databases ${DATABASES[*]})"
}

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

ensure_redis() {
  command -v redis-server >/dev/null || apt_install redis-server redis-tools
  # redis-cli builds the e2e tests' Redis Cluster (--cluster create); sentinels run from redis-server itself
  command -v redis-cli >/dev/null || apt_install redis-tools
  if ! redis_ready; then
    log "starting Redis"
    local dir=${TMPDIR:-/tmp}/premium-redis
    mkdir -p "$dir"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
      --dir "$dir" --logfile "$dir/redis.log"
    for _ in $(seq 1 30); do redis_ready && break; sleep 0.2; done
  fi
  redis_ready || { log "Redis does not answer on 127.0.0.1:$REDIS_PORT"; exit 1; }
  log "Redis ready on 127.0.0.1:$REDIS_PORT"
}

# promtool (Debian package prometheus) checks and unit-tests the alert rules in deploy-checks. The package
# would start a Prometheus server: a policy-rc.d forbids that during the install, and any running one is stopped.
ensure_promtool() {
  if command -v promtool >/dev/null; then return 0; fi
  local policy=/usr/sbin/policy-rc.d created=no
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy" && created=yes
  fi
  apt_install prometheus || true
  [ "$created" = yes ] && as_root rm -f "$policy"
  if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
    as_root systemctl disable --now prometheus || true
  fi
  command -v promtool >/dev/null || { log "promtool is not installed (Debian package prometheus)"; exit 1; }
  log "promtool ready: $(promtool --version 2>&1 | head -n 1)"
}

# Headless Chromium and its WebDriver for the operator console's browser test (e2e ConsoleBrowserIT).
ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then return 0; fi
  apt_install chromium chromium-driver
  command -v chromedriver >/dev/null || { log "chromedriver is not installed (Debian package chromium-driver)"; exit 1; }
  log "chromium ready: $(chromium --version 2>&1 | head -n 1)"
}

ensure_postgres
ensure_redis
ensure_promtool
ensure_chromium
