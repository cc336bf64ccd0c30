#!/usr/bin/env bash
# Restarts node <n> of the local cluster the way an operator does a rolling restart: SIGTERM by its recorded pid
# (the node drains: /health/live answers 503 until HAProxy has taken it out, requests in flight finish), wait
# for it to exit, start it again with the command start.sh wrote (node<n>/run.sh), wait until it is ready and
# HAProxy sends it traffic again. Restart the nodes one after the other, never two at once.
#
# Usage: npm run cluster:restart-node -- <n>      Env: CLUSTER_RUN_DIR (default .run/cluster)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
run_dir="${CLUSTER_RUN_DIR:-$repo/.run/cluster}"
index="${1:-}"
[[ "$index" =~ ^[1-9][0-9]?$ ]] || { echo "usage: restart-node.sh <node number>" >&2; exit 2; }
pids="$run_dir/pids"
launcher="$run_dir/node$index/run.sh"
[ -f "$pids" ] && [ -f "$launcher" ] || { echo "no node$index in $run_dir" >&2; exit 1; }
node_bin="$repo/node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin="$(command -v node)"
# shellcheck source=pids.sh
source "$repo/scripts/cluster/pids.sh"

# The drain (3 s) plus the close; a node that does not stop within a minute is killed.
stop_pid "node$index" "$(pid_of "node$index")" 600 >&2

bash "$launcher" >> "$run_dir/logs/node$index.log" 2>&1 &
node_pid=$!
record_pid "node$index" "$node_pid"
url="$(cat "$run_dir/node$index/url")"
"$node_bin" "$repo/scripts/cluster/wait-http.mjs" "$url/health/ready" 120
# HAProxy puts it back after one good check (rise 1, every second): wait that long so the next restart does
# not leave fewer nodes serving than expected.
sleep 1.5
echo "node$index restarted (pid $node_pid, $url)"
