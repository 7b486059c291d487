#!/bin/bash
# Start a private, isolated Docker engine (Debian docker.io's dockerd, overlay2) for tests and
# import the test image local/busybox:latest (recipe: docs/design/docker-engine.md).
#
# Usage: tools/docker-engine/start.sh ENGINE_DIR        (needs root: dockerd, and apt if missing)
#   ENGINE_DIR  private scratch folder; everything the engine writes lives under it:
#               data/ (data-root), exec/ (exec-root, containerd), docker.sock, docker.pid, dockerd.log.
#               Keep it SHORT (e.g. /tmp/de1): unix socket paths are limited to 107 bytes and
#               containerd's socket is ENGINE_DIR/exec/containerd/containerd.sock.ttrpc.
# Networking is isolated (--iptables=false --ip6tables=false --bridge=none --ip-forward=false
# --ip-masq=false): the host's firewall, sysctls and links are untouched; containers only get `lo`.
# Idempotent: installs docker.io/busybox-static only when missing; reuses a dockerd already
# running from ENGINE_DIR/docker.pid if it answers /_ping; imports the image only when missing.
# The image: /bin/busybox (static) plus symlinks sh, sleep, true; no init inside (use --init /
# HostConfig.Init=true, which injects the host's docker-init = tini).
# Last line of output: DOCKER_HOST=unix://ENGINE_DIR/docker.sock
# Stop with tools/docker-engine/stop.sh ENGINE_DIR.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 ENGINE_DIR" >&2; exit 2; }
mkdir -p "$1"
DIR=$(cd "$1" && pwd -P)
SOCK=$DIR/docker.sock
PIDFILE=$DIR/docker.pid
LOG=$DIR/dockerd.log
export DOCKER_HOST=unix://$SOCK

LONGEST=$DIR/exec/containerd/containerd.sock.ttrpc
if [ ${#LONGEST} -gt 107 ]; then
  echo "ENGINE_DIR too long: $LONGEST is ${#LONGEST} bytes, unix sockets allow 107" >&2
  exit 2
fi

SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
PKGS=()
command -v dockerd >/dev/null || PKGS+=(docker.io)
command -v docker >/dev/null || PKGS+=(docker.io)
command -v docker-init >/dev/null || PKGS+=(tini)
[ -x /bin/busybox ] || PKGS+=(busybox-static)
command -v curl >/dev/null || PKGS+=(curl)
if [ ${#PKGS[@]} -gt 0 ]; then
  echo "installing: ${PKGS[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${PKGS[@]}" | sort -u) >/dev/null
fi
if ldd /bin/busybox >/dev/null 2>&1; then   # ldd fails on a static binary
  echo "/bin/busybox is not static (install busybox-static)" >&2
  exit 1
fi

ping_ok() { curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }
# PID of the dockerd that serves this ENGINE_DIR, if alive (guards against PID reuse).
engine_pid() {
  local p
  p=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline | grep -qF -- "--pidfile $PIDFILE" || return 1
  echo "$p"
}

ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(ms)
if PID=$(engine_pid); then
  # Already running (or starting): wait for it to answer.
  for _ in $(seq 1 300); do ping_ok && break; kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  ping_ok || { echo "dockerd pid $PID from $PIDFILE does not answer _ping:" >&2; tail -n 20 "$LOG" >&2; exit 1; }
  echo "reusing dockerd pid $PID" >&2
else
  # No live engine: clean up after a crashed one (stale containerd/shims/mounts), if any.
  "$(dirname "${BASH_SOURCE[0]}")/stop.sh" "$DIR" >/dev/null
  # setsid: own session, so the daemon outlives this script and the caller's terminal/process group.
  setsid dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" --pidfile "$PIDFILE" \
    -H "unix://$SOCK" --storage-driver overlay2 \
    --iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false \
    </dev/null >>"$LOG" 2>&1 &
  PID=$!
  echo "$PID" >"$DIR/dockerd.bgpid"
  for _ in $(seq 1 600); do   # up to 30 s
    ping_ok && break
    kill -0 "$PID" 2>/dev/null || { echo "dockerd died:" >&2; tail -n 20 "$LOG" >&2; exit 1; }
    sleep 0.05
  done
  ping_ok || { echo "dockerd did not answer _ping within 30 s:" >&2; tail -n 20 "$LOG" >&2; exit 1; }
  echo "dockerd pid $PID ready in $(( $(ms) - T0 )) ms" >&2
fi

if ! docker image inspect local/busybox:latest >/dev/null 2>&1; then
  rm -rf "$DIR/rootfs" "$DIR/rootfs.tar"
  mkdir -p "$DIR/rootfs/bin"
  cp /bin/busybox "$DIR/rootfs/bin/busybox"
  for a in sh sleep true; do ln -s busybox "$DIR/rootfs/bin/$a"; done
  tar -C "$DIR/rootfs" -cf "$DIR/rootfs.tar" .
  docker import -c 'CMD ["/bin/sleep","100000"]' "$DIR/rootfs.tar" local/busybox:latest >/dev/null
  rm -rf "$DIR/rootfs" "$DIR/rootfs.tar"
  echo "imported local/busybox:latest" >&2
fi

echo "DOCKER_HOST=unix://$SOCK"
