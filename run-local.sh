#!/usr/bin/env bash
# Quick start: runs password-email-worker's main job on this machine and shows it working.
# Needs Java 17+ and Maven (Maven Central reachable on the first run); no Docker, no Kafka install.
#
# It starts an embedded single-node Kafka (KRaft, 127.0.0.1) and the XC API simulator in one JVM,
# the worker as its own process with its real start command (java -jar target/password-email-worker.jar,
# configured through environment variables only), produces sample onboarding events, shows progress,
# stops the worker with SIGTERM and prints a summary. Exit code 0 means every event was accounted for.
#
#   ./run-local.sh                                  # 3000 events, MAX_IN_FLIGHT 64, API latency 20-80 ms
#   ./run-local.sh --events 3000 --max-in-flight 64 --latency-ms 20-80 --timeout-s 120
#   ./run-local.sh --help
set -euo pipefail

exec "$(dirname "${BASH_SOURCE[0]}")/scripts/run-test-main.sh" -- dev.pew.local.LocalRun "$@"
