#!/usr/bin/env bash
# Benchmark: how close password-email-worker runs to its limits on this machine (docs/benchmarks.md).
# Needs Java 17+ and Maven; no Docker. Starts an embedded single-node Kafka (KRaft, 127.0.0.1) in one
# JVM, and for each point of the matrix the XC simulator and the worker as its own process
# (java -jar target/password-email-worker.jar), loads a backlog, then an open-loop stream, and writes
# a Markdown table and an SVG chart.
#
#   ./bench.sh                      # default matrix, 3 repeats: about an hour on 2 cores
#   ./bench.sh --matrix quick       # smoke run, under a minute
#   ./bench.sh --matrix peers       # beside Parallel Consumer + Vert.x and a naive pool (../shared/peers), cold and warm
#   ./bench.sh --points cold:20/64/6/1:20000,warm:20/64/6/1 --peers pc-vertx,naive
#   ./bench.sh --points 20/64/6/1 --repeats 1 --jvm-opts "-Xmx128m -XX:StartFlightRecording=filename=target/bench/w.jfr"
#   ./bench.sh --help
set -euo pipefail

exec "$(dirname "${BASH_SOURCE[0]}")/scripts/run-test-main.sh" -Xmx2g -- dev.pew.bench.BenchMain "$@"
