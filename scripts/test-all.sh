#!/usr/bin/env bash
# The whole test suite: lint and type-check, unit specs, then the integration and contract suites against a
# real Cassandra 5.0 and a real Apache WebDAV server that this script starts and always stops again.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run lint
npm run build
bash scripts/lint-deploy.sh
npx jest --selectProjects unit

# The trap goes first: when one server fails to start, the other one is stopped too.
trap 'bash scripts/services-stop.sh' EXIT
bash scripts/services-start.sh
set -a
# shellcheck disable=SC1091
source .run/services.env
set +a
npx jest --selectProjects integration --maxWorkers=2
# Every benchmark once in its smallest mode (crash check only, never a verdict on speed).
bash bench/smoke.sh
