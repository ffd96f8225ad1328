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

exec ./mvnw -B verify "$@"
