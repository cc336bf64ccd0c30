#!/usr/bin/env bash
# Stops the Apache WebDAV server that start.sh started: by its recorded pid only (TERM, then KILL after a
# timeout, children included), never by process name.
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
run_dir="${WEBDAV_RUN_DIR:-$repo/.run/webdav}"
[ -d "$run_dir" ] || exit 0
run_dir="$(cd "$run_dir" && pwd)"
pid_file="$run_dir/apache.pid"

ours() {
  # The pid is still our Apache (and not a recycled pid) when its command line names our config file.
  kill -0 "$1" 2>/dev/null && tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null | grep -qF "$run_dir/httpd.conf"
}

if [ -s "$pid_file" ]; then
  pid="$(cat "$pid_file")"
  if ours "$pid"; then
    # Apache's children, listed by parent pid, in case the parent has to be killed hard.
    children="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -s ' \n' ' ')"
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 100); do
      ours "$pid" || break
      sleep 0.1
    done
    if ours "$pid"; then
      echo "Apache (pid $pid) did not stop within 10 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
    for child in $children; do
      if ours "$child"; then kill -KILL "$child" 2>/dev/null; fi
    done
    echo "WebDAV stopped (pid $pid)"
  fi
fi
rm -f "$pid_file" "$run_dir/httpd.pid" "$run_dir/env"
if [ -s "$run_dir/shared-dir" ]; then
  shared="$(cat "$run_dir/shared-dir")"
  case "$shared" in /tmp/rws-webdav.*) rm -rf "$shared" ;; esac
  rm -f "$run_dir/shared-dir"
fi
exit 0
