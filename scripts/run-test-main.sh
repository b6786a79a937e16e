#!/usr/bin/env bash
# Runs a main class that lives with the tests (the local run, the benchmark: they need Kafka's broker
# test kit and the simulator) on the test class path, building first when needed.
#   scripts/run-test-main.sh [JVM options...] -- MAIN_CLASS [arguments...]
# Needs Java 17+ and Maven (Maven Central reachable on the first run).
set -euo pipefail

cd -P "$(dirname "${BASH_SOURCE[0]}")/.."

jvm_options=()
while [[ $# -gt 0 && $1 != -- ]]; do
  jvm_options+=("$1")
  shift
done
[[ ${1:-} == -- ]] || { echo "usage: scripts/run-test-main.sh [JVM options...] -- MAIN_CLASS [args...]" >&2; exit 2; }
shift
main_class=$1
shift

jar=target/password-email-worker.jar
classpath_file=target/local-run.classpath

# Build when the jar (or the test classes that hold the main class) is missing or older than any source.
if [[ ! -f $jar || ! -f target/test-classes/${main_class//.//}.class ]] \
    || [[ -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  echo "Building $jar (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi

# The test class path is resolved once, again only when pom.xml changes.
if [[ ! -s $classpath_file || pom.xml -nt $classpath_file ]]; then
  echo "Resolving the test class path once into $classpath_file ..."
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
fi

exec java ${jvm_options[@]+"${jvm_options[@]}"} -cp "target/test-classes:target/classes:$(<"$classpath_file")" "$main_class" "$@"
