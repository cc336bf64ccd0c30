#!/usr/bin/env bash
# Starts a local RWS cluster on loopback: Cassandra and Apache WebDAV (scripts/services-start.sh, or the ones an
# env file names), Redis, a SIP Server simulator HA pair with its control surface, N RWS nodes (the built dist)
# and HAProxy in front (HTTP round robin, no stickiness; WebSocket upgrades pass through). Writes the addresses
# to .run/cluster.env. Stop everything with `npm run cluster:stop` (by the pids recorded here, never by name).
#
# Usage: npm run cluster:start -- [--nodes N]   (default 3)
# Env:   CLUSTER_SERVICES_ENV  an existing services.env (CASSANDRA_*, WEBDAV_*) to use instead of starting them
#        CLUSTER_RUN_DIR       where config, logs, data and pids go (default .run/cluster)
#        CLUSTER_ENV_FILE      the answer (default .run/cluster.env)
#        CLUSTER_NODE_MAIN     the node's entry script (default dist/server/main.js; benchmarks use their own)
#        RWS_*                 any RWS setting in this environment reaches every node (and its restarts)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
nodes=3
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --nodes=*) nodes="${1#--nodes=}"; shift ;;
    *) echo "unknown argument $1 (usage: cluster:start -- --nodes N)" >&2; exit 2 ;;
  esac
done
[[ "$nodes" =~ ^[1-9][0-9]?$ ]] || { echo "--nodes must be 1..99" >&2; exit 2; }
run_dir="${CLUSTER_RUN_DIR:-$repo/.run/cluster}"
env_file="${CLUSTER_ENV_FILE:-$repo/.run/cluster.env}"
node_bin="$repo/node_modules/.bin/node"
[ -x "$node_bin" ] || node_bin="$(command -v node)"

haproxy_bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
if ! command -v redis-server >/dev/null 2>&1 || [ ! -x "$haproxy_bin" ]; then
  bash "$repo/scripts/install-system-deps.sh"
fi
[ -f "$repo/dist/server/main.js" ] || npm run build
node_main="${CLUSTER_NODE_MAIN:-$repo/dist/server/main.js}"
[ -f "$node_main" ] || { echo "no node entry $node_main" >&2; exit 2; }

# A cluster left running in this directory is stopped first (by its recorded pids).
bash "$repo/scripts/cluster/stop.sh" >/dev/null 2>&1 || true
rm -rf "$run_dir"
mkdir -p "$run_dir/logs"
run_dir="$(cd "$run_dir" && pwd)"
pids="$run_dir/pids"
: > "$pids"
# On any failure, stop what this run started.
trap 'status=$?; if [ $status -ne 0 ]; then echo "cluster start failed; stopping what was started" >&2; CLUSTER_RUN_DIR="$run_dir" bash "$repo/scripts/cluster/stop.sh" >&2 || true; fi' EXIT

started() { echo "$1 $2" >> "$pids"; }

# --- Cassandra and WebDAV: shared ones when given, otherwise our own.
if [ -n "${CLUSTER_SERVICES_ENV:-}" ]; then
  services_env="$CLUSTER_SERVICES_ENV"
else
  bash "$repo/scripts/services-start.sh"
  services_env="$repo/.run/services.env"
  echo "services-started $services_env" >> "$pids"
fi
set -a
# shellcheck disable=SC1090
source "$services_env"
set +a

mapfile -t ports < <("$node_bin" "$repo/scripts/cluster/free-ports.mjs" $((nodes + 5)))
redis_port="${ports[0]}"; sim_port="${ports[1]}"; sim_backup_port="${ports[2]}"; sim_control_port="${ports[3]}"; lb_port="${ports[4]}"

# --- Redis: a private process with its own config and directory, nothing persisted (it holds no record).
mkdir -p "$run_dir/redis"
cat > "$run_dir/redis/redis.conf" <<CONF
bind 127.0.0.1
port $redis_port
dir $run_dir/redis
daemonize no
save ""
appendonly no
protected-mode yes
CONF
redis-server "$run_dir/redis/redis.conf" > "$run_dir/logs/redis.log" 2>&1 &
started redis $!
for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" ping >/dev/null
redis_url="redis://127.0.0.1:$redis_port"

# --- SIP Server simulator, HA pair (primary + backup) with its HTTP control surface.
"$node_bin" "$repo/dist/tools/sipserver-sim/main.js" --port "$sim_port" --backup-port "$sim_backup_port" --control-port "$sim_control_port" --quiet \
  > "$run_dir/logs/sipserver-sim.log" 2>&1 &
started sipserver-sim $!
sim_control_url="http://127.0.0.1:$sim_control_port"
for _ in $(seq 1 100); do grep -q '"listening"' "$run_dir/logs/sipserver-sim.log" 2>/dev/null && break; sleep 0.1; done
grep -q '"listening"' "$run_dir/logs/sipserver-sim.log"

# --- Secrets every node shares (tokens signed on one node verify on all; page tokens and sealed keys too).
secret() { openssl rand -base64 "$1" | tr -d '\n'; }
ops_username=ops
ops_password="$(secret 18 | tr '+/' '-_')"
auth_secret="$(secret 36)"
page_token_key="$(secret 36)"
master_key="$(secret 32)"

# Each node's command is written to its directory (node<i>/run.sh, with the shared secrets: mode 0700), so
# scripts/cluster/restart-node.sh starts it again exactly as it was started here.
start_node() {
  local index="$1" port="$2" dir="$run_dir/node$1"
  mkdir -p "$dir"
  (umask 077
  {
    echo '#!/usr/bin/env bash'
    # RWS_* settings of the environment cluster:start ran in, so a restart starts the node with the same ones.
    for name in $(compgen -e); do
      if [[ "$name" == RWS_* ]]; then printf 'export %s=%q\n' "$name" "${!name}"; fi
    done
    cat <<RUN
exec env PORT="$port" RWS_DATA_DIR="$dir" RWS_LOG_LEVEL=warn \\
  RWS_METADATA=cassandra RWS_STORAGE=webdav \\
  SIPSERVER_ADDRESSES="127.0.0.1:$sim_port,127.0.0.1:$sim_backup_port" \\
  RWS_CLUSTER_REDIS_URL="$redis_url" RWS_NODE_URL="http://127.0.0.1:$port" \\
  RWS_OPS_USERNAME="$ops_username" RWS_OPS_PASSWORD="$ops_password" \\
  RWS_AUTH_SECRET="$auth_secret" RWS_PAGE_TOKEN_KEY="$page_token_key" RWS_MASTER_KEY="$master_key" \\
  "$node_bin" "$node_main"
RUN
  } > "$dir/run.sh"
  chmod 700 "$dir/run.sh")
  echo "http://127.0.0.1:$port" > "$dir/url"
  bash "$dir/run.sh" >> "$run_dir/logs/node$index.log" 2>&1 &
  started "node$index" $!
}

# --- RWS nodes: the first alone (it runs the schema migrations), then the others together.
node_urls=()
for i in $(seq 1 "$nodes"); do node_urls+=("http://127.0.0.1:${ports[$((i + 4))]}"); done
start_node 1 "${ports[5]}"
"$node_bin" "$repo/scripts/cluster/wait-http.mjs" "${node_urls[0]}/health/ready" 120
for i in $(seq 2 "$nodes"); do start_node "$i" "${ports[$((i + 4))]}"; done
for url in "${node_urls[@]:1}"; do "$node_bin" "$repo/scripts/cluster/wait-http.mjs" "$url/health/ready" 120; done

# --- HAProxy: round robin over the nodes, each checked on /health/live; WebSockets tunnel through.
# Every recorder holds a WebSocket through the balancer (two descriptors each in HAProxy): allow as many
# connections as this user's descriptor limit does.
fd_limit="$(ulimit -Hn)"; [ "$fd_limit" = unlimited ] && fd_limit=200000
lb_maxconn=$(( (fd_limit - 200) / 2 )); [ "$lb_maxconn" -gt 100000 ] && lb_maxconn=100000
{
  cat <<CONF
global
  maxconn $lb_maxconn
defaults
  mode http
  option forwardfor
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
frontend rws
  bind 127.0.0.1:$lb_port
  # One screen upload's PATCHes to one node while it lives (it continues the upload's SHA-256 in memory).
  acl tus_upload path_beg /api/v2/screen-recordings/uploads/
  use_backend rws_uploads if tus_upload
  default_backend rws_nodes
CONF
  for backend in rws_uploads rws_nodes; do
    echo "backend $backend"
    if [ "$backend" = rws_uploads ]; then printf '  balance uri\n  hash-type consistent\n'; else echo "  balance roundrobin"; fi
    cat <<CONF
  # A node shutting down answers /health/live 503 while it drains (RWS_SHUTDOWN_DRAIN_SECONDS, 3 s here): two
  # failed checks 1 s apart take it out before it stops accepting. A connection refused (a node that died) is
  # retried on another node; nothing else is retried here (a POST may have been applied).
  option httpchk GET /health/live
  option redispatch 1
  retries 3
  retry-on conn-failure
CONF
    for i in $(seq 1 "$nodes"); do echo "  server node$i 127.0.0.1:${ports[$((i + 4))]} check inter 1s fall 2 rise 1"; done
  done
} > "$run_dir/haproxy.cfg"
"$haproxy_bin" -c -q -f "$run_dir/haproxy.cfg"
"$haproxy_bin" -db -f "$run_dir/haproxy.cfg" > "$run_dir/logs/haproxy.log" 2>&1 &
started haproxy $!
lb_url="http://127.0.0.1:$lb_port"
"$node_bin" "$repo/scripts/cluster/wait-http.mjs" "$lb_url/health/live" 30

mkdir -p "$(dirname "$env_file")"
umask 077
cat > "$env_file" <<ENV
RWS_LB_URL=$lb_url
RWS_NODE_URLS=$(IFS=,; echo "${node_urls[*]}")
SIM_CONTROL_URL=$sim_control_url
SIPSERVER_ADDRESSES=127.0.0.1:$sim_port,127.0.0.1:$sim_backup_port
RWS_OPS_USERNAME=$ops_username
RWS_OPS_PASSWORD=$ops_password
REDIS_URL=$redis_url
CLUSTER_RUN_DIR=$run_dir
ENV
cp "$env_file" "$run_dir/cluster.env"
echo "cluster ready ($nodes nodes): $lb_url  (addresses in $env_file)"
