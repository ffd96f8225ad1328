#!/usr/bin/env bash
# The test command: makes sure local PostgreSQL and Redis run (the services' integration tests use them), then runs
# every test of every module, end-to-end tests of the packaged services included.
set -euo pipefail
cd "$(dirname "$0")"

# Java 25 where this machine has it: the services' runtime, and the build records their AOT cache with it (README
# "Java 25 and the AOT cache"). PREMIUM_JAVA_HOME picks another JDK; without either, the java on PATH (17+) builds.
java25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -n "${PREMIUM_JAVA_HOME:-}" ]; then
  export JAVA_HOME="$PREMIUM_JAVA_HOME"
elif [ -x "$java25/bin/java" ]; then
  export JAVA_HOME="$java25"
fi

if ! deploy/local/services.sh; then
  echo "[test] deploy/local/services.sh could not provide PostgreSQL/Redis (see its output above; installing them" >&2
  echo "[test] needs root or sudo). Going on: the end-to-end stack falls back to embedded PostgreSQL and Redis," >&2
  echo "[test] but the services' own integration tests need the local ones and will fail without them." >&2
fi

# One test run per machine at a time: the services' tests share the local databases and Redis, and the benches
# (bench/run.sh) take the same lock so that no measurement runs beside a build. -o: children (a daemonized Redis,
# service processes) never inherit the lock; the flock process holds it until the build ends.
lock=/tmp/premium-tests.lock
if [ -n "${PREMIUM_TEST_LOCK_HELD:-}" ]; then
  exec ./mvnw -B verify "$@"
fi
if ! flock -n "$lock" true; then
  echo "[test] another test run or bench on this machine holds $lock; waiting for it" >&2
fi
exec flock -o "$lock" env PREMIUM_TEST_LOCK_HELD=1 ./mvnw -B verify "$@"
