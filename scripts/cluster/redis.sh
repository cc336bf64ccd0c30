#!/usr/bin/env bash
# Stops or starts the local cluster's Redis (tests of a Redis outage, and trying it by hand): `stop` ends it
# by its recorded pid, `start` runs it again with the same config (same port), `restart` does both.
#
# Usage: npm run cluster:redis -- stop|start|restart      Env: CLUSTER_RUN_DIR (default .run/cluster)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
run_dir="${CLUSTER_RUN_DIR:-$repo/.run/cluster}"
pids="$run_dir/pids"
conf="$run_dir/redis/redis.conf"
[ -f "$pids" ] && [ -f "$conf" ] || { echo "no cluster Redis in $run_dir" >&2; exit 1; }
port="$(awk '$1 == "port" { print $2 }' "$conf")"
# shellcheck source=pids.sh
source "$repo/scripts/cluster/pids.sh"

stop() {
  local pid
  pid="$(pid_of redis)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || { echo "redis is not running"; return 0; }
  stop_pid redis "$pid"
}

start() {
  if redis-cli -p "$port" ping >/dev/null 2>&1; then echo "redis already answers on $port"; return 0; fi
  redis-server "$conf" >> "$run_dir/logs/redis.log" 2>&1 &
  local pid=$!
  record_pid redis "$pid"
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && { echo "redis started ($pid, port $port)"; return 0; }; sleep 0.1; done
  echo "redis did not start on $port (see $run_dir/logs/redis.log)" >&2
  return 1
}

case "${1:-}" in
  stop) stop ;;
  start) start ;;
  restart) stop; start ;;
  *) echo "usage: redis.sh stop|start|restart" >&2; exit 2 ;;
esac
