#!/bin/bash
# Stop the kube-apiserver and etcd started by tools/real-apiserver/start.sh RUN_DIR.
#
# Usage: tools/real-apiserver/stop.sh RUN_DIR
# Kills the apiserver, then etcd, by RUN_DIR/apiserver.pid and RUN_DIR/etcd.pid (checking that the
# pid still belongs to this RUN_DIR's process): SIGTERM, wait up to 15 s, then SIGKILL.
# Removes the pid files; leaves certs, logs and etcd data. Safe to run twice or when nothing runs.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 RUN_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "no run dir $1: nothing to stop"; exit 0; }
RUN=$(cd "$1" && pwd -P)

stop_one() {   # stop_one NAME PIDFILE PATTERN
  local name=$1 pidfile=$2 pattern=$3 p
  p=$(cat "$pidfile" 2>/dev/null || true)
  if [ -z "$p" ] || ! kill -0 "$p" 2>/dev/null ||
     ! tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline | grep -qF -- "$pattern"; then
    echo "$name not running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$p" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then
    echo "$name $p still alive after 15 s: SIGKILL" >&2
    kill -KILL "$p" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  fi
  echo "$name $p stopped"
  rm -f "$pidfile"
}

stop_one kube-apiserver "$RUN/apiserver.pid" "--tls-cert-file=$RUN/apiserver.crt"
stop_one etcd "$RUN/etcd.pid" "--data-dir $RUN/etcd"
