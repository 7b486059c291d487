#!/bin/bash
# Stop the node started by tools/real-cluster/start.sh NODE_DIR.
#
# Usage: [DOCKER_HOST=unix://…] tools/real-cluster/stop.sh NODE_DIR
# Kills the kubelet, the scheduler and the controller-manager by their pid files (checking that each
# pid still runs this NODE_DIR's or this repository's binary): SIGTERM, up to 10 s, then SIGKILL.
# With DOCKER_HOST set, then removes the pods' containers from that dockerd (those the kubelet
# labelled io.kubernetes.docker.type), and unmounts what the kubelet mounted under NODE_DIR (secret
# and memory emptyDir volumes are tmpfs). Safe to run twice or when nothing runs.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 NODE_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "no node dir $1: nothing to stop"; exit 0; }
NODE_DIR=$(cd "$1" && pwd -P)

stop_one() {   # stop_one NAME: the pid in NODE_DIR/NAME.pid, if it runs a binary of .cache/real-cluster
  local name=$1 pidfile=$NODE_DIR/$1.pid p
  p=$(cat "$pidfile" 2>/dev/null || true)
  if [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null ||
     ! tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline | grep -qF -- "real-cluster/bin/"; then
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then kill -KILL "$p" 2>/dev/null || true; sleep 0.2; fi
  echo "$name $p stopped"
  rm -f "$pidfile"
}
stop_one kubelet
stop_one scheduler
stop_one controller-manager

if [ -n "${DOCKER_HOST:-}" ] && timeout 5 docker info >/dev/null 2>&1; then
  IDS=$(docker ps -aq --filter label=io.kubernetes.docker.type 2>/dev/null || true)
  # shellcheck disable=SC2086
  [ -z "$IDS" ] || docker rm -f $IDS >/dev/null 2>&1 || echo "warning: could not remove some pod containers" >&2
fi
{ grep -F " $NODE_DIR/" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do
  umount -l "$m" 2>/dev/null || true
done
