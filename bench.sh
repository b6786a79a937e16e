#!/usr/bin/env bash
# Benchmark: how close password-email-worker runs to its limits on this machine (docs/benchmarks.md).
# Needs Java 17+ and Maven; no Docker. Starts an embedded single-node Kafka (KRaft, 127.0.0.1) in one
# JVM, and for each point of the matrix the XC simulator and the worker as its own process
# (java -jar target/password-email-worker.jar), loads a backlog, then an open-loop stream, and writes
# a Markdown table and an SVG chart.
#
#   ./bench.sh                      # default matrix, 3 repeats: about an hour on 2 cores
#   ./bench.sh --matrix quick       # smoke run, under a minute
#   ./bench.sh --points 20/64/6/1 --repeats 1 --jvm-opts "-Xmx128m -XX:StartFlightRecording=filename=target/bench/w.jfr"
#   ./bench.sh --help
set -euo pipefail

cd -P "$(dirname "${BASH_SOURCE[0]}")"

jar=target/password-email-worker.jar
classpath_file=target/local-run.classpath
main_class=dev.pew.bench.BenchMain

# Build when the jar (or the test classes that hold the benchmark) is missing or older than any source.
if [[ ! -f $jar || ! -f target/test-classes/${main_class//.//}.class ]] \
    || [[ -n $(find src pom.xml -newer "$jar" -print -quit) ]]; then
  echo "Building $jar (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests package
fi

# The test class path (embedded broker, simulator, load generator) is resolved once, again only when pom.xml changes.
if [[ ! -s $classpath_file || pom.xml -nt $classpath_file ]]; then
  echo "Resolving the test class path once into $classpath_file ..."
  mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
fi

exec java -Xmx2g -cp "target/test-classes:target/classes:$(<"$classpath_file")" "$main_class" "$@"
