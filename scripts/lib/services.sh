# Starts the real backends the e2e suites use, once per test run, and stops them on exit:
#   CA_REAL_DOCKER_HOST  a private dockerd (Debian docker.io) with local/busybox:latest
#   CA_REAL_DOCKER_HOST_2  a second one, for the fleet suite (two engines, two controllers, one cluster)
#   CA_REAL_KUBECONFIG   a real kube-apiserver v1.20.2 + etcd on loopback (built once into .cache/)
# Both are started by the scripts in tools/ (see tools/README.md); stopped by PID, never by name.

# kubectl drives the e2e suites like a user would. Machines of this kind ship one; elsewhere Debian's
# kubernetes-client (1.20) is the fallback.
ensure_kubectl() {
  command -v kubectl >/dev/null && return 0
  section "installing kubectl (Debian kubernetes-client)"
  DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq --no-install-recommends kubernetes-client >/dev/null
}

start_services() {
  ensure_kubectl || return 1
  ENGINE_DIR=$(mktemp -d /tmp/ca-de.XXXX)
  ENGINE_DIR_2=$(mktemp -d /tmp/ca-de2.XXXX)
  APISERVER_DIR=$(mktemp -d /tmp/ca-ks.XXXX)
  trap stop_services EXIT

  section "real dockerd"
  local line
  line=$(tools/docker-engine/start.sh "$ENGINE_DIR" | tail -1) || { tail -20 "$ENGINE_DIR/dockerd.log"; return 1; }
  export CA_REAL_DOCKER_HOST=${line#DOCKER_HOST=}
  echo "CA_REAL_DOCKER_HOST=$CA_REAL_DOCKER_HOST"
  line=$(tools/docker-engine/start.sh "$ENGINE_DIR_2" | tail -1) || { tail -20 "$ENGINE_DIR_2/dockerd.log"; return 1; }
  export CA_REAL_DOCKER_HOST_2=${line#DOCKER_HOST=}
  echo "CA_REAL_DOCKER_HOST_2=$CA_REAL_DOCKER_HOST_2"

  section "real kube-apiserver (built once into .cache/real-apiserver)"
  tools/real-apiserver/build.sh || return 1
  line=$(tools/real-apiserver/start.sh "$APISERVER_DIR" "${CA_APISERVER_PORT:-6443}" | tail -1) || return 1
  export CA_REAL_KUBECONFIG=${line#KUBECONFIG=}
  export CA_REAL_APISERVER_DIR=$APISERVER_DIR
  echo "CA_REAL_KUBECONFIG=$CA_REAL_KUBECONFIG"
}

stop_services() {
  [ -n "${APISERVER_DIR:-}" ] && tools/real-apiserver/stop.sh "$APISERVER_DIR" >/dev/null 2>&1
  [ -n "${ENGINE_DIR:-}" ] && tools/docker-engine/stop.sh "$ENGINE_DIR" >/dev/null 2>&1
  [ -n "${ENGINE_DIR:-}" ] && rm -rf "$ENGINE_DIR"
  [ -n "${ENGINE_DIR_2:-}" ] && tools/docker-engine/stop.sh "$ENGINE_DIR_2" >/dev/null 2>&1
  [ -n "${ENGINE_DIR_2:-}" ] && rm -rf "$ENGINE_DIR_2"
  [ -n "${APISERVER_DIR:-}" ] && rm -rf "$APISERVER_DIR"
  APISERVER_DIR= ENGINE_DIR= ENGINE_DIR_2=
}
