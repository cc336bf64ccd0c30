#!/usr/bin/env bash
# Stops the Cassandra that start.sh started, by its recorded pid only (never by name): TERM, then KILL when it
# has not exited after CASSANDRA_STOP_TIMEOUT seconds (default 20). A stale or recycled pid is left alone.
set -uo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

stop_timeout="${CASSANDRA_STOP_TIMEOUT:-20}"

if [ ! -f "$CASSANDRA_PID_FILE" ]; then
  echo "Cassandra: no pid file, nothing to stop"
  exit 0
fi
pid="$(cat "$CASSANDRA_PID_FILE")"
if ! is_our_cassandra "$pid"; then
  echo "Cassandra: pid $pid is not running (or is no longer our Cassandra); removing the stale pid file"
  rm -f "$CASSANDRA_PID_FILE" "$CASSANDRA_RUN/env"
  exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 $(( stop_timeout * 10 ))); do
  is_our_cassandra "$pid" || break
  sleep 0.1
done
if is_our_cassandra "$pid"; then
  echo "Cassandra (pid $pid) still running after ${stop_timeout} s; sending KILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    is_our_cassandra "$pid" || break
    sleep 0.1
  done
fi
if is_our_cassandra "$pid"; then
  echo "Cassandra (pid $pid) did not exit" >&2
  exit 1
fi
rm -f "$CASSANDRA_PID_FILE" "$CASSANDRA_RUN/env"
echo "Cassandra (pid $pid) stopped"
