#!/usr/bin/env bash
# Starts a throw-away single-node Cassandra 5.0 for the integration suites: fetches the jars if needed, picks
# free loopback ports, writes a minimal cassandra.yaml + logback.xml with fresh data directories under
# .run/cassandra/, starts CassandraDaemon in the background (pid in .run/cassandra/pid), waits until a real
# CQL query answers, then writes .run/cassandra/env (CASSANDRA_CONTACT_POINTS, CASSANDRA_KEYSPACE).
# Stop it with stop.sh. Environment: CASSANDRA_READY_TIMEOUT (seconds, default 180), CASSANDRA_JAVA_HOME.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
cd "$REPO_ROOT"

ready_timeout="${CASSANDRA_READY_TIMEOUT:-180}"

if [ -f "$CASSANDRA_PID_FILE" ] && is_our_cassandra "$(cat "$CASSANDRA_PID_FILE")"; then
  echo "Cassandra already running (pid $(cat "$CASSANDRA_PID_FILE")); stop it first with scripts/cassandra/stop.sh" >&2
  exit 1
fi

bash scripts/cassandra/install.sh
java_home="$(find_java17_home)"

# Three distinct free loopback ports (native transport, storage, JMX), held together while chosen.
free_ports() {
  node -e '
    const net = require("node:net");
    const servers = [0, 1, 2].map(() => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok, fail) => s.once("error", fail).listen(0, "127.0.0.1", ok))))
      .then(() => { console.log(servers.map((s) => s.address().port).join(" ")); servers.forEach((s) => s.close()); })
      .catch((e) => { console.error(e.message); process.exit(1); });'
}

write_config() {
  local native_port="$1" storage_port="$2"
  rm -rf "$CASSANDRA_RUN"
  mkdir -p "$CASSANDRA_RUN"/{data,commitlog,saved_caches,hints,cdc_raw,logs,tmp}
  cat > "$CASSANDRA_RUN/cassandra.yaml" <<YAML
# Minimal single-node Cassandra 5.0 for tests (unknown keys abort start-up, so only what differs from defaults).
cluster_name: rws-test
num_tokens: 1
initial_token: 0
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
listen_address: 127.0.0.1
rpc_address: 127.0.0.1
native_transport_port: $native_port
storage_port: $storage_port
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$storage_port"
data_file_directories: [$CASSANDRA_RUN/data]
commitlog_directory: $CASSANDRA_RUN/commitlog
saved_caches_directory: $CASSANDRA_RUN/saved_caches
hints_directory: $CASSANDRA_RUN/hints
cdc_raw_directory: $CASSANDRA_RUN/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
auto_snapshot: false
memtable_heap_space: 128MiB
disk_access_mode: standard
storage_compatibility_mode: NONE
YAML
  # The cassandra-all jar ships no logback configuration: without one, DEBUG floods the console.
  cat > "$CASSANDRA_RUN/logback.xml" <<XML
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$CASSANDRA_RUN/logs/system.log</file>
    <encoder><pattern>%d %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
XML
}

launch() {
  local jmx_port="$1"
  local jvm=(
    "-javaagent:$CASSANDRA_JARS/jamm-0.4.0.jar"
    # Java 17 module flags of Cassandra's conf/jvm17-server.options.
    -Djdk.attach.allowAttachSelf=true
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
    --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
    --add-exports java.base/sun.nio.ch=ALL-UNNAMED
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
    --add-exports java.management/com.sun.jmx.remote.security=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
    --add-exports java.sql/java.sql=ALL-UNNAMED
    --add-exports java.base/java.lang.ref=ALL-UNNAMED
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
    --add-opens java.base/java.lang.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED
    --add-opens java.base/java.io=ALL-UNNAMED
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
    --add-opens java.base/java.lang=ALL-UNNAMED
    --add-opens java.base/java.util=ALL-UNNAMED
    --add-opens java.base/java.nio=ALL-UNNAMED
    -Dio.netty.tryReflectionSetAccessible=true
    # A small test node on 2 cores.
    -Xms1g -Xmx1g -XX:+UseG1GC -XX:ParallelGCThreads=2 -XX:ConcGCThreads=1 -XX:+ExitOnOutOfMemoryError
    "-Dcassandra.config=file://$CASSANDRA_RUN/cassandra.yaml"
    "-Dcassandra.storagedir=$CASSANDRA_RUN"
    "-Dcassandra.logdir=$CASSANDRA_RUN/logs"
    "-Dlogback.configurationFile=$CASSANDRA_RUN/logback.xml"
    -Dcassandra-foreground=yes
    # Fast single-node start.
    -Dcassandra.skip_wait_for_gossip_to_settle=0
    -Dcassandra.initial_token=0
    -Dcassandra.superuser_setup_delay_ms=0
    -Dcassandra.unsafesystem=true
    -Dcassandra.libjemalloc=-
    # JNA unpacks a native library; a noexec /tmp would make that (fatal) fail.
    "-Djna.tmpdir=$CASSANDRA_RUN/tmp"
    "-Dcassandra.jmx.local.port=$jmx_port"
  )
  # exec keeps the pid of the background subshell: $! is the JVM itself. setsid detaches it from the
  # caller's terminal signals (Ctrl-C in a test run); stop.sh ends it by pid.
  ( exec setsid "$java_home/bin/java" "${jvm[@]}" -cp "$CASSANDRA_JARS/*" org.apache.cassandra.service.CassandraDaemon \
      > "$CASSANDRA_RUN/out.log" 2>&1 < /dev/null ) &
  echo $! > "$CASSANDRA_PID_FILE"
}

# Cassandra logs a few huge lines (its whole configuration, the classpath): cut lines to stay readable.
print_log_tail() {
  echo "--- tail of $CASSANDRA_RUN/logs/system.log" >&2
  tail -n 40 "$CASSANDRA_RUN/logs/system.log" 2>/dev/null | cut -c1-400 >&2 || true
  echo "--- tail of $CASSANDRA_RUN/out.log" >&2
  tail -n 20 "$CASSANDRA_RUN/out.log" 2>/dev/null | cut -c1-400 >&2 || true
}

# Another process may take a chosen port before Cassandra binds it: then start again on new ports.
for attempt in 1 2 3; do
  read -r native_port storage_port jmx_port < <(free_ports)
  write_config "$native_port" "$storage_port"
  started_ms=$(date +%s%3N)
  launch "$jmx_port"
  pid="$(cat "$CASSANDRA_PID_FILE")"
  echo "Cassandra starting (pid $pid, CQL 127.0.0.1:$native_port, storage $storage_port, JMX $jmx_port)"
  status=0
  node scripts/cassandra/wait-ready.mjs --port "$native_port" --pid "$pid" --timeout "$ready_timeout" || status=$?
  if [ "$status" -eq 0 ]; then
    elapsed_ms=$(( $(date +%s%3N) - started_ms ))
    echo "Cassandra start-to-ready: $(( elapsed_ms / 1000 )).$(( elapsed_ms % 1000 / 100 )) s"
    {
      echo "CASSANDRA_CONTACT_POINTS=127.0.0.1:$native_port"
      echo "CASSANDRA_KEYSPACE=rws_test"
    } > "$CASSANDRA_RUN/env"
    exit 0
  fi
  if [ "$status" -eq 2 ] && [ "$attempt" -lt 3 ] && grep -qs "Address already in use" "$CASSANDRA_RUN/logs/system.log" "$CASSANDRA_RUN/out.log"; then
    echo "a chosen port was taken meanwhile; retrying on other ports" >&2
    rm -f "$CASSANDRA_PID_FILE"
    continue
  fi
  print_log_tail
  bash scripts/cassandra/stop.sh || true
  exit 1
done
exit 1
