#!/usr/bin/env bash
# Simulates a 3-pod StatefulSet on one machine, without a cluster or a container engine: each pod
# is a network namespace on a private bridge, named and resolved like Kubernetes names it
# (etcd-0.etcd, etcd-0.etcd.default.svc.cluster.local, ...), with its own hostname and its own
# data directory bind-mounted where the manifest mounts its volume. Each pod runs the container
# command taken verbatim from the manifest. Then the tutorial's session runs against it.
#
#   pod-sim.sh tutorial   [BIN_DIR]   # k8s/tutorial manifest: set, read everywhere, kill the
#                                     # leader pod, degraded health (exit 5), writes go on,
#                                     # relaunch on the same volume, healthy, leader changed
#   pod-sim.sh production [BIN_DIR]   # the production entrypoint: bootstrap, then a pod whose
#                                     # volume is lost rejoins as a new member
#
# BIN_DIR holds the `etcd` and `etcdctl` the pods run (default: Cairn's image wrappers in docker/,
# over the jars in server/target/lib). Pass /usr/bin to run real etcd. Needs root.
set -euo pipefail

mode=${1:?usage: pod-sim.sh tutorial|production [BIN_DIR]}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/cairn-pod-sim.XXXXXX)
logs=${POD_SIM_LOGS:-$repo/k8s/target/pod-sim}   # the pods' logs are kept here
bin=$work/bin
mkdir -p "$bin"
extra_env=()
if [ -n "${2:-}" ]; then
  # Real etcd 3.4 serves v2 only when asked (the tutorial predates that); Cairn always does.
  extra_env=(ETCD_ENABLE_V2=true ETCDCTL_API=2)
  ln -s "$2/etcd" "$bin/etcd"
  ln -s "$2/etcdctl" "$bin/etcdctl"
else
  ln -s "$repo/docker/etcd" "$bin/etcd"
  ln -s "$repo/docker/etcdctl" "$bin/etcdctl"
  ln -s "$repo/docker/cairn-entrypoint" "$bin/cairn-entrypoint"
  export CAIRN_HOME=$repo/server/target
fi
[ -e "$bin/cairn-entrypoint" ] || ln -s "$repo/docker/cairn-entrypoint" "$bin/cairn-entrypoint"

case "$mode" in
  tutorial) set_name=etcd; service=etcd; manifest=$repo/k8s/tutorial/etcd-statefulset.yaml; mount=/var/run/etcd ;;
  production) set_name=cairn; service=cairn; manifest=$repo/k8s/base/statefulset.yaml; mount=/var/lib/cairn ;;
  *) echo "pod-sim: unknown mode $mode" >&2; exit 2 ;;
esac
subnet=10.244.77
bridge_ns=cairn-k8s-net
pods=("${set_name}-0" "${set_name}-1" "${set_name}-2")
declare -A pid

log() { printf '%s pod-sim: %s\n' "$(date +%T)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

teardown() {
  for p in "${pods[@]}"; do
    ip netns pids "$p" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$p" 2>/dev/null || true
    rm -rf "/etc/netns/$p"
  done
  ip netns del "$bridge_ns" 2>/dev/null || true
  mkdir -p "$logs"
  cp "$work"/*.log "$logs/" 2>/dev/null || true
  rm -rf "$work"
}
trap teardown EXIT INT TERM

# The container command, verbatim: the block after `command:` in the manifest.
container_command() {
  if [ "$mode" = tutorial ]; then
    awk '/^            - \|$/ {on=1; next} on && /^  volumeClaimTemplates:/ {exit} on {sub(/^              /, ""); print}' "$manifest"
  else
    # The image's entrypoint path; here the same script comes first on the pod's PATH.
    local entrypoint
    entrypoint=$(awk '/command:/ {getline; print $2; exit}' "$manifest")
    echo "exec $(basename "$entrypoint")"
  fi
}
cmd=$(container_command)
[ -n "$cmd" ] || fail "no container command found in $manifest"

hosts_file() {
  local self=$1 i=0 q ip
  echo "127.0.0.1 localhost"
  for q in "${pods[@]}"; do
    ip="${subnet}.1${i}"
    echo "$ip ${q}.${service}.default.svc.cluster.local ${q}.${service}.default.svc ${q}.${service}.default ${q}.${service}"
    # A headless Service name resolves to every pod (host.conf `multi on`).
    echo "$ip ${service} ${service}.default.svc.cluster.local"
    if [ "$q" = "$self" ]; then echo "$ip ${q}"; fi
    i=$((i + 1))
  done
}

network_up() {
  # A run that was killed may have left its namespaces behind: they are ours, remove them.
  for p in "${pods[@]}" "$bridge_ns"; do
    ip netns pids "$p" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns del "$p" 2>/dev/null || true
  done
  ip netns add "$bridge_ns"
  ip -n "$bridge_ns" link add br0 type bridge
  ip -n "$bridge_ns" link set br0 up
  local i=0
  for p in "${pods[@]}"; do
    ip netns add "$p"
    ip -n "$p" link set lo up
    ip link add "v-$p" type veth peer name eth0 netns "$p"
    ip link set "v-$p" netns "$bridge_ns"
    ip -n "$bridge_ns" link set "v-$p" master br0 up
    ip -n "$p" addr add "${subnet}.1${i}/24" dev eth0
    ip -n "$p" link set eth0 up
    mkdir -p "/etc/netns/$p" "$work/pvc/$p"
    hosts_file "$p" > "/etc/netns/$p/hosts"
    printf 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 127.0.0.1\noptions ndots:5\n' \
      > "/etc/netns/$p/resolv.conf"
    i=$((i + 1))
  done
  mkdir -p "$mount"
}

# Starts a pod: its own UTS and mount namespaces, hostname, volume, then the container command.
start_pod() {
  local p=$1
  chown -R 10001:10001 "$work/pvc/$p" 2>/dev/null || true
  # shellcheck disable=SC2016 # the inner script is expanded by the pod's shell, from its arguments
  ip netns exec "$p" unshare --uts --mount --propagation private \
    env -i PATH="$bin:/usr/local/bin:/usr/bin:/bin" HOSTNAME="$p" POD_NAME="$p" POD_NAMESPACE=default \
      CAIRN_HOME="${CAIRN_HOME:-}" CAIRN_SERVICE="$service" CAIRN_REPLICAS=3 CAIRN_CLUSTER_TOKEN=pod-sim \
      CAIRN_DATA_DIR="$mount/data" JAVA_OPTS="-Xmx256m -XX:+UseSerialGC" "${extra_env[@]}" \
      sh -c 'hostname "$HOSTNAME" && mount --bind "$1" "$2" && exec /bin/sh -c "$3"' pod "$work/pvc/$p" "$mount" "$cmd" \
      >> "$work/$p.log" 2>&1 &
  pid[$p]=$!
  log "started pod $p (pid ${pid[$p]})"
}

kill_pod() {
  local p=$1
  ip netns pids "$p" | xargs -r kill -9
  wait "${pid[$p]}" 2>/dev/null || true
  log "deleted pod $p"
}

# `kubectl exec POD -- CMD`
# etcdctl 3.4 speaks v3 unless told otherwise; the tutorial's etcdctl (and cairnctl) speak v2.
pexec() { local p=$1; shift; ip netns exec "$p" env PATH="$bin:/usr/bin:/bin" CAIRN_HOME="${CAIRN_HOME:-}" ETCDCTL_API=2 "$@"; }

# Waits (bounded) until a command succeeds.
await() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "timed out after ${seconds}s waiting for: $what"
    sleep 1
  done
  log "ok: $what"
}

# health_is POD EXIT_CODE VERDICT: `etcdctl cluster-health` exits so and ends with `cluster is VERDICT`.
health_is() {
  local p=$1 expected=$2 verdict=$3 out rc=0
  out=$(pexec "$p" etcdctl cluster-health 2>&1) || rc=$?
  [ "$rc" -eq "$expected" ] && echo "$out" | grep -q "^cluster is ${verdict}\$"
}

healthy_members() {
  local out
  out=$(pexec "$1" etcdctl cluster-health 2>&1) || return 1
  [ "$(echo "$out" | grep -c ' is healthy: ')" -eq "$2" ]
}

leader_name() { pexec "$1" etcdctl member list | sed -n 's/.* name=\([^ ]*\) .*isLeader=true.*/\1/p'; }
value_on() { pexec "$1" curl -sf "http://$2.${service}:2379/v2/keys/msg"; }

run_tutorial() {
  for p in "${pods[@]}"; do start_pod "$p"; done
  await "cluster-health says healthy" "${POD_SIM_START_SECONDS:-120}" health_is "${pods[0]}" 0 healthy

  local set_out
  set_out=$(pexec "${pods[0]}" curl -sf "http://${pods[1]}.${service}:2379/v2/keys/msg" -XPUT -d value=hello-world)
  echo "$set_out" | grep -q '"action":"set"' || fail "set msg: $set_out"
  for p in "${pods[@]}"; do
    value_on "${pods[0]}" "$p" | grep -q '"value":"hello-world"' || fail "msg not readable from $p"
    [ "$(pexec "$p" etcdctl get msg)" = hello-world ] || fail "etcdctl get msg on $p"
  done
  log "ok: msg=hello-world readable from every member, by curl and by etcdctl"

  local leader
  leader=$(leader_name "${pods[0]}")
  [ -n "$leader" ] || fail "member list shows no leader"
  [ "$(pexec "${pods[0]}" etcdctl member list | grep -c 'isLeader=true')" -eq 1 ] || fail "not exactly one leader"
  log "ok: member list shows one leader, $leader"

  kill_pod "$leader"
  local other
  for p in "${pods[@]}"; do [ "$p" != "$leader" ] && other=$p && break; done
  await "cluster-health says degraded and exits 5" "${POD_SIM_DEGRADED_SECONDS:-60}" health_is "$other" 5 degraded
  local health
  health=$(pexec "$other" etcdctl cluster-health 2>&1 || true)
  echo "$health" | grep -q "is unreachable" || fail "the lost member is not reported unreachable: $health"
  value_on "$other" "$other" | grep -q hello-world || fail "read after leader loss"
  local again=""
  local deadline=$((SECONDS + 30))
  until echo "$again" | grep -q '"prevNode":{"key":"/msg","value":"hello-world"'; do
    [ "$SECONDS" -lt "$deadline" ] || fail "write after leader loss: $again"
    again=$(pexec "$other" curl -s "http://${other}.${service}:2379/v2/keys/msg" -XPUT -d value=hello-again || true)
    sleep 1
  done
  log "ok: writes continue without the leader: $again"

  start_pod "$leader"
  await "cluster healthy again" 120 health_is "$other" 0 healthy
  await "relaunched member serves the new value" 60 sh -c "ip netns exec $leader curl -sf http://${leader}.${service}:2379/v2/keys/msg | grep -q hello-again"
  local now
  now=$(leader_name "$other")
  if [ -z "$now" ] || [ "$now" = "$leader" ]; then
    fail "leader did not change (was $leader, now $now)"
  fi
  log "ok: leader changed from $leader to $now"
}

run_production() {
  for p in "${pods[@]}"; do start_pod "$p"; done
  await "cluster-health says healthy" 150 health_is "${pods[0]}" 0 healthy
  pexec "${pods[0]}" curl -sf "http://${pods[0]}.${service}:2379/v2/keys/msg" -XPUT -d value=kept >/dev/null
  local lost=${pods[2]}
  kill_pod "$lost"
  rm -rf "${work:?}/pvc/$lost"
  mkdir -p "$work/pvc/$lost"
  log "volume of $lost lost; relaunching it empty"
  start_pod "$lost"
  await "rejoined member serves the data" 150 sh -c "ip netns exec $lost curl -sf http://${lost}.${service}:2379/v2/keys/msg | grep -q kept"
  await "three healthy members" 60 healthy_members "${pods[0]}" 3
  [ "$(pexec "${pods[0]}" etcdctl member list | grep -c "name=")" -eq 3 ] || fail "expected 3 started members"
  log "ok: a pod with an empty volume rejoined as a new member"
}

network_up
"run_$mode"
log "PASSED ($mode)"
