# The cluster e2e suite's own backends, apart from the shared ones of services.sh: the controller it
# installs mirrors every container of its dockerd, so it gets a dockerd, a kube-apiserver and a node
# (kubelet, controller-manager, scheduler; tools/real-cluster) of its own, and they are stopped, by
# PID, as soon as the suite is done. Exports CA_CLUSTER_DOCKER_HOST and CA_CLUSTER_KUBECONFIG.
# Ports: apiserver CA_CLUSTER_APISERVER_PORT (6456; etcd +20000/+21000), kubelet 19650, and the pods'
# host ports 19640, 19641, 19643 (e2e/cluster/overlay).

start_cluster() {
  CLUSTER_ENGINE_DIR=$(mktemp -d /tmp/ca-cde.XXXX)
  CLUSTER_APISERVER_DIR=$(mktemp -d /tmp/ca-cks.XXXX)
  CLUSTER_NODE_DIR=$(mktemp -d /tmp/ca-cnd.XXXX)
  local line
  tools/real-cluster/build.sh || return 1
  line=$(tools/docker-engine/start.sh "$CLUSTER_ENGINE_DIR" | tail -1) || return 1
  export CA_CLUSTER_DOCKER_HOST=${line#DOCKER_HOST=}
  line=$(tools/real-apiserver/start.sh "$CLUSTER_APISERVER_DIR" "${CA_CLUSTER_APISERVER_PORT:-6456}" | tail -1) || return 1
  export CA_CLUSTER_KUBECONFIG=${line#KUBECONFIG=}
  DOCKER_HOST=$CA_CLUSTER_DOCKER_HOST KUBECONFIG=$CA_CLUSTER_KUBECONFIG \
    tools/real-cluster/start.sh "$CLUSTER_NODE_DIR" 19650 >/dev/null || return 1
  echo "CA_CLUSTER_DOCKER_HOST=$CA_CLUSTER_DOCKER_HOST CA_CLUSTER_KUBECONFIG=$CA_CLUSTER_KUBECONFIG"
}

stop_cluster() {
  [ -n "${CLUSTER_NODE_DIR:-}" ] && DOCKER_HOST=${CA_CLUSTER_DOCKER_HOST:-} tools/real-cluster/stop.sh "$CLUSTER_NODE_DIR" >/dev/null 2>&1
  [ -n "${CLUSTER_APISERVER_DIR:-}" ] && tools/real-apiserver/stop.sh "$CLUSTER_APISERVER_DIR" >/dev/null 2>&1
  [ -n "${CLUSTER_ENGINE_DIR:-}" ] && tools/docker-engine/stop.sh "$CLUSTER_ENGINE_DIR" >/dev/null 2>&1
  for d in "${CLUSTER_NODE_DIR:-}" "${CLUSTER_APISERVER_DIR:-}" "${CLUSTER_ENGINE_DIR:-}"; do [ -n "$d" ] && rm -rf "$d"; done
  CLUSTER_NODE_DIR= CLUSTER_APISERVER_DIR= CLUSTER_ENGINE_DIR=
  unset CA_CLUSTER_DOCKER_HOST CA_CLUSTER_KUBECONFIG
}
