#!/bin/bash
# Start a real single-node Kubernetes v1.20.2 node on a given dockerd and kube-apiserver: kubelet
# (built-in dockershim), kube-controller-manager and kube-scheduler (recipe: docs/operations.md,
# "Proven on a real kubelet"). Pods run on that dockerd; only `hostNetwork: true` pods get a network
# (the dockerd has --bridge=none): the host's loopback. The node has no address (the kubelet refuses a
# loopback node IP), so pods have no IP in their status and probes are sent with an empty host.
#
# Usage: DOCKER_HOST=unix://… KUBECONFIG=… tools/real-cluster/start.sh NODE_DIR [KUBELET_PORT]
#   DOCKER_HOST   the node's dockerd (tools/docker-engine/start.sh); images are loaded into it
#                 (tools/real-cluster/images.sh) before the node starts
#   KUBECONFIG    an admin kubeconfig of the apiserver (tools/real-apiserver/start.sh)
#   APISERVER_DIR that apiserver's RUN_DIR, for sa.key and ca.crt (default: the kubeconfig's folder)
#   NODE_DIR      folder for this node: kubelet root, logs, pid files (kubelet.pid,
#                 controller-manager.pid, scheduler.pid)
#   KUBELET_PORT  the kubelet's port on 127.0.0.1 (default 10250)
# Waits for the node `127.0.0.1` to be Ready (≈ 15 s) and removes its not-ready taint (there is no
# node lifecycle controller). Stop with tools/real-cluster/stop.sh NODE_DIR.
# Last line of output: NODE=127.0.0.1
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 NODE_DIR [KUBELET_PORT]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=$ROOT/.cache/real-cluster/bin
: "${DOCKER_HOST:?set DOCKER_HOST to the node dockerd (unix://…)}"
: "${KUBECONFIG:?set KUBECONFIG to an admin kubeconfig of the apiserver}"
[[ $DOCKER_HOST == unix://* ]] || { echo "DOCKER_HOST must be unix://…" >&2; exit 2; }
APISERVER_DIR=${APISERVER_DIR:-$(dirname "$KUBECONFIG")}
[ -s "$APISERVER_DIR/sa.key" ] && [ -s "$APISERVER_DIR/ca.crt" ] ||
  { echo "no sa.key/ca.crt in $APISERVER_DIR (set APISERVER_DIR)" >&2; exit 2; }
mkdir -p "$1"
NODE_DIR=$(cd "$1" && pwd -P)
KUBELET_PORT=${2:-10250}
NODE=127.0.0.1
export KUBECONFIG DOCKER_HOST
ms() { echo $(( $(date +%s%N) / 1000000 )); }

DOCKER_HOST=$DOCKER_HOST "$HERE/images.sh"
"$HERE/stop.sh" "$NODE_DIR" >/dev/null
T0=$(ms)

launch() {   # launch NAME ARGS...: own session, pid file written by the shell that execs the daemon
  local name=$1; shift
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$NODE_DIR/$name.pid" "$@" </dev/null >"$NODE_DIR/$name.log" 2>&1 &
}
launch controller-manager "$BIN/kube-controller-manager" --kubeconfig="$KUBECONFIG" \
  --service-account-private-key-file="$APISERVER_DIR/sa.key" --root-ca-file="$APISERVER_DIR/ca.crt" \
  --controllers='*,-nodeipam,-nodelifecycle' --leader-elect=false --port=0 --secure-port=0
launch scheduler "$BIN/kube-scheduler" --kubeconfig="$KUBECONFIG" --leader-elect=false --port=0 --secure-port=0
# The oom-score-adj flag and the patched build: the sandbox refuses negative values (build.sh).
launch kubelet "$BIN/kubelet" --kubeconfig="$KUBECONFIG" --container-runtime=docker \
  --docker-endpoint="$DOCKER_HOST" --pod-infra-container-image=local/pause:3.2 \
  --cgroup-driver=cgroupfs --fail-swap-on=false --root-dir="$NODE_DIR/kubelet" \
  --cert-dir="$NODE_DIR/pki" --experimental-dockershim-root-directory="$NODE_DIR/dockershim" \
  --hostname-override=$NODE --node-ip=$NODE --register-node=true --read-only-port=0 \
  --address=127.0.0.1 --port="$KUBELET_PORT" --healthz-port=0 --cgroups-per-qos=false \
  --enforce-node-allocatable= --eviction-hard= --image-gc-high-threshold=100 --network-plugin= \
  --oom-score-adj=0

failed() {
  echo "node did not become Ready: $*" >&2
  for f in kubelet controller-manager scheduler; do
    echo "--- tail of $NODE_DIR/$f.log ---" >&2; tail -n 15 "$NODE_DIR/$f.log" >&2 || true
  done
  "$HERE/stop.sh" "$NODE_DIR" >&2 || true
  exit 1
}
DEADLINE=$(( $(ms) + 90000 ))
until [ "$(kubectl get node $NODE -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do
  [ "$(ms)" -lt "$DEADLINE" ] || failed "timeout after 90 s"
  for f in kubelet controller-manager scheduler; do
    p=$(cat "$NODE_DIR/$f.pid" 2>/dev/null || true)
    if [ -n "$p" ] && ! kill -0 "$p" 2>/dev/null; then failed "$f (pid $p) exited"; fi
  done
  sleep 0.5
done
# Registered with node.kubernetes.io/not-ready; nothing else removes it here.
kubectl taint nodes $NODE node.kubernetes.io/not-ready- >/dev/null 2>&1 || true
echo "node $NODE Ready in $(( $(ms) - T0 )) ms (kubelet $(cat "$NODE_DIR/kubelet.pid"), controller-manager $(cat "$NODE_DIR/controller-manager.pid"), scheduler $(cat "$NODE_DIR/scheduler.pid"))" >&2
echo "NODE=$NODE"
