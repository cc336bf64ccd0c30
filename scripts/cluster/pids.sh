# The local cluster's pids file ("<name> <pid>" lines, $pids), shared by stop.sh, redis.sh and restart-node.sh:
# processes are found and stopped by the pid recorded for their name, never by process name.

# The last pid recorded for <name> (empty when none).
pid_of() { awk -v name="$1" '$1 == name { pid = $2 } END { print pid }' "$pids"; }

# Records <pid> for <name> in place of the old one: cluster:stop must never signal a pid the system may have reused.
record_pid() {
  sed -i "/^$1 /d" "$pids"
  echo "$1 $2" >> "$pids"
}

# SIGTERM to <pid>, SIGKILL when it is still there after <tenths> tenths of a second (default 100: 10 s).
# Says which it was; nothing when <pid> is not running.
stop_pid() {
  local name="$1" pid="$2" tenths="${3:-100}"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || { echo "stopped $name ($pid)"; return 0; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  echo "killed $name ($pid)"
}
