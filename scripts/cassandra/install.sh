#!/usr/bin/env bash
# Fetches the Cassandra server jars (cassandra-all and its runtime dependencies) from Maven Central into the
# git-ignored .cache/cassandra-jars, unless a previous run completed (marker written last, so an interrupted
# download is redone from scratch). Needs Java 17 and Maven.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"

pom="$REPO_ROOT/scripts/cassandra/pom.xml"
# The marker names the pom it came from: editing the pom (e.g. a new Cassandra version) refetches.
wanted="$(sha256sum "$pom" | cut -d' ' -f1)"
if [ -f "$CASSANDRA_JARS_MARKER" ] && [ "$(cat "$CASSANDRA_JARS_MARKER")" = "$wanted" ]; then
  exit 0
fi

command -v mvn >/dev/null 2>&1 || { echo "Maven (mvn) is required: apt-get install maven" >&2; exit 1; }
JAVA_HOME="$(find_java17_home)"
export JAVA_HOME

mkdir -p "$REPO_ROOT/.cache"
# Two concurrent installs would write the same directory: serialise them.
exec 9>"$REPO_ROOT/.cache/cassandra-jars.lock"
flock 9
if [ -f "$CASSANDRA_JARS_MARKER" ] && [ "$(cat "$CASSANDRA_JARS_MARKER")" = "$wanted" ]; then
  exit 0
fi

partial="$CASSANDRA_JARS.partial"
rm -rf "$partial" "$CASSANDRA_JARS"
started=$(date +%s)
echo "fetching Cassandra $CASSANDRA_VERSION jars from Maven Central into $CASSANDRA_JARS ..."
# The parent pom of cassandra-all prints one harmless "systemPath \${jmc5.path}" error line; the exit status counts.
# (Maven 3.8 prints colour resets even in batch mode: strip them.)
mvn -B -q -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$partial" 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g'

if ! ls "$partial"/cassandra-all-"$CASSANDRA_VERSION".jar "$partial"/jamm-*.jar >/dev/null 2>&1; then
  echo "the download lacks cassandra-all-$CASSANDRA_VERSION.jar or jamm-*.jar" >&2
  exit 1
fi
mv "$partial" "$CASSANDRA_JARS"
echo "$wanted" > "$CASSANDRA_JARS_MARKER"
echo "Cassandra jars ready: $(find "$CASSANDRA_JARS" -name '*.jar' | wc -l) jars, $(du -sh "$CASSANDRA_JARS" | cut -f1), $(( $(date +%s) - started )) s"
