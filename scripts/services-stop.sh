#!/usr/bin/env bash
# Stops the servers that services-start.sh started (by their recorded pids only).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/webdav/stop.sh || true
bash scripts/cassandra/stop.sh || true
