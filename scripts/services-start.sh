#!/usr/bin/env bash
# Starts the real servers the integration suites need (Cassandra and Apache WebDAV) on free loopback ports,
# installing what is missing, and writes their addresses to .run/services.env.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .run
bash scripts/cassandra/start.sh > .run/cassandra-start.log 2>&1 &
cassandra_pid=$!
if ! bash scripts/webdav/start.sh; then
  wait "$cassandra_pid" || true
  exit 1
fi
if ! wait "$cassandra_pid"; then
  echo "Cassandra failed to start:" >&2
  tail -n 40 .run/cassandra-start.log >&2
  exit 1
fi
cat .run/cassandra/env .run/webdav/env > .run/services.env
echo "services ready:"
cat .run/services.env | sed 's/PASSWORD=.*/PASSWORD=***/'
