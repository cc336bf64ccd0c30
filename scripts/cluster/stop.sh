#!/usr/bin/env bash
# Stops what scripts/cluster/start.sh started, by the pids it recorded (never by process name): HAProxy, the RWS
# nodes, the simulator, Redis, and Cassandra/WebDAV only when that run started them itself.
# Env: CLUSTER_RUN_DIR (default .run/cluster).
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
run_dir="${CLUSTER_RUN_DIR:-$repo/.run/cluster}"
pids="$run_dir/pids"
[ -f "$pids" ] || { echo "no cluster recorded in $run_dir"; exit 0; }

# shellcheck source=pids.sh
source "$repo/scripts/cluster/pids.sh"

services=false
# Reverse order: the load balancer first, the stores last.
while read -r name pid; do
  case "$name" in
    services-started) services=true ;;
    *) stop_pid "$name" "$pid" ;;
  esac
done < <(tac "$pids")
$services && bash "$repo/scripts/services-stop.sh"
rm -f "$pids"
