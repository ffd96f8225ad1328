#!/usr/bin/env bash
# The run command: builds what changed, then brings up the whole backend on this machine (PostgreSQL and Redis where
# they answer, embedded ones otherwise; a stand-in for the Telegram Bot API), walks one demo order through and stays
# up until Ctrl-C, which stops everything and drops the demo database.
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

demo_jar() { ls e2e/target/e2e-*.jar 2>/dev/null | grep -v -e '-sources' -e '-tests' | head -n 1; }

needs_build() {
  local jar
  jar=$(demo_jar)
  [ -n "$jar" ] || return 0
  [ -f api-service/target/quarkus-app/quarkus-run.jar ] || return 0
  [ -f worker-service/target/quarkus-app/quarkus-run.jar ] || return 0
  # anything in the build newer than the demo jar (the reactor's last artifact)?
  [ -n "$(find . -path '*/target' -prune -o -path './.git' -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit)" ]
}

if needs_build; then
  echo "Building (./mvnw -B -q package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
else
  echo "Build is up to date."
fi

# exec: Ctrl-C reaches the JVM directly, whose shutdown hook stops the services and drops the demo database
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar "$(demo_jar)" "$@"
