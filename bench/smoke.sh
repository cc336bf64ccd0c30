#!/usr/bin/env bash
# Runs every benchmark in its smallest mode against the servers `npm test` started (env from
# .run/services.env), after `npm run build`. It checks that each benchmark still runs end to end; it asserts
# nothing about speed. Exits non-zero only when a benchmark crashes. Results go to a scratch directory
# (BENCH_RESULTS_DIR), never over the figures in bench/results/.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${CASSANDRA_CONTACT_POINTS:?source .run/services.env first}"
: "${WEBDAV_URL:?source .run/services.env first}"
BENCH_RESULTS_DIR="$(mktemp -d)"
export BENCH_RESULTS_DIR
trap 'rm -rf "$BENCH_RESULTS_DIR"' EXIT

failed=()
run() {
  local name=$1
  shift
  local started=$SECONDS
  # Each run is bounded in time: a hung benchmark counts as a crash.
  if timeout 120 "$@" > "$BENCH_RESULTS_DIR/$name.log" 2>&1; then
    echo "bench smoke: $name ok ($((SECONDS - started)) s)"
  else
    echo "bench smoke: $name FAILED ($((SECONDS - started)) s); last lines:" >&2
    tail -n 30 "$BENCH_RESULTS_DIR/$name.log" >&2
    failed+=("$name")
  fi
}

run p1-recorders node --expose-gc dist/bench/recorders/p1-signal-latency.js --recorders 50 --paced 20 --repeat 1
run p2-idle-recorders node --expose-gc dist/bench/recorders/p1-signal-latency.js --recorders 50 --idle-only --idle-seconds 2 --heartbeat-ms 500
run p1-telephony-link node dist/bench/telephony-link.js --smoke
run p3-p4-screen-http node --expose-gc dist/bench/screen-http.js --smoke
run p3-storage env BENCH_SIZE_MB=16 BENCH_ROUNDS=1 node --expose-gc dist/bench/storage-1g.js
run p4-crypto-playback env BENCH_MB=8 BENCH_RANGES=10 node dist/bench/crypto-playback.bench.js
run p5-p6-recordings node dist/bench/recordings-bench.js 300 100
run p6-p7-search-growth node dist/bench/search-growth.js --smoke
run auth-cost env BENCH_QUICK=1 node dist/bench/auth-cost.js
run p1-cluster node dist/bench/cluster/p1-cluster.js --smoke

if ((${#failed[@]})); then
  echo "bench smoke: crashed: ${failed[*]}" >&2
  exit 1
fi
echo "bench smoke: all benchmarks ran"
