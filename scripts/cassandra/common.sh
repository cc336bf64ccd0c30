# Shared by install.sh, start.sh and stop.sh (sourced, not run): paths and the Java 17 to use.
# Cassandra 5.0 runs on Java 11 or 17 and refuses newer JDKs (a JDK 25 may be installed next to 17).

CASSANDRA_VERSION=5.0.8
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CASSANDRA_JARS="$REPO_ROOT/.cache/cassandra-jars"
CASSANDRA_JARS_MARKER="$CASSANDRA_JARS/.complete"
CASSANDRA_RUN="$REPO_ROOT/.run/cassandra"
CASSANDRA_PID_FILE="$CASSANDRA_RUN/pid"

# Prints the first JDK home whose java reports version 17: $CASSANDRA_JAVA_HOME, Debian's path, $JAVA_HOME.
find_java17_home() {
  local candidate
  for candidate in "${CASSANDRA_JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-* "${JAVA_HOME:-}"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | head -n 1 | grep -q '"17\.'; then
      echo "$candidate"
      return 0
    fi
  done
  echo "no Java 17 found (Cassandra $CASSANDRA_VERSION refuses newer JDKs): install openjdk-17-jre-headless or set CASSANDRA_JAVA_HOME" >&2
  return 1
}

# True when $1 is a live process running our CassandraDaemon (guards against a recycled pid).
is_our_cassandra() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qx "org.apache.cassandra.service.CassandraDaemon" || return 1
  tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$CASSANDRA_RUN/cassandra.yaml"
}
