#!/bin/bash
# Stop the private Docker engine started by tools/docker-engine/start.sh ENGINE_DIR.
#
# Usage: tools/docker-engine/stop.sh ENGINE_DIR
# 1. Removes all containers (docker rm -f over ENGINE_DIR/docker.sock; otherwise dockerd would
#    stop them one by one on shutdown).
# 2. SIGTERMs dockerd (pid from ENGINE_DIR/docker.pid) and waits up to 20 s (normally ~3 s;
#    containerd and the shims exit with it), then SIGKILLs it.
# 3. Only after a crash/SIGKILL: reaps what survived, by PID, matched on this ENGINE_DIR's paths:
#    container processes (cgroups of the containers in ENGINE_DIR/data/containers, thawed first
#    if paused), containerd-shims with `-address ENGINE_DIR/exec/...`, and the engine's containerd;
#    then lazily unmounts leftover mounts under ENGINE_DIR.
# Leaves the files in ENGINE_DIR (rm -rf it to free disk). Safe to run twice or when nothing runs.
# start.sh also runs this when it finds no live dockerd, to clean up after a crash.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 ENGINE_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "no engine dir $1: nothing to stop"; exit 0; }
DIR=$(cd "$1" && pwd -P)
SOCK=$DIR/docker.sock
PIDFILE=$DIR/docker.pid
export DOCKER_HOST=unix://$SOCK

# The pid in FILE if alive and its command line contains PATTERN (guards against PID reuse).
live_pid() {
  local p
  p=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline | grep -qF -- "$2" || return 1
  echo "$p"
}
# PIDs of processes whose command line contains the fixed string $1.
pids_matching() {
  local f p
  for f in /proc/[0-9]*/cmdline; do
    p=${f#/proc/}; p=${p%/cmdline}
    [ "$p" = $$ ] && continue
    tr '\0' ' ' 2>/dev/null <"$f" | grep -qF -- "$1" && echo "$p"
  done
  return 0
}
kill_wait() {   # kill_wait SIGNAL TENTHS PID...
  local sig=$1 n=$2 p; shift 2
  [ $# -gt 0 ] || return 0
  kill -"$sig" "$@" 2>/dev/null || true
  for _ in $(seq 1 "$n"); do
    for p in "$@"; do kill -0 "$p" 2>/dev/null && break 1; p=; done
    [ -z "${p:-}" ] && return 0
    sleep 0.1
  done
}

if [ -S "$SOCK" ] && curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; then
  IDS=$(docker ps -aq 2>/dev/null || true)
  if [ -n "$IDS" ]; then
    # shellcheck disable=SC2086
    docker rm -f $IDS >/dev/null 2>&1 || echo "warning: docker rm -f failed for some containers" >&2
  fi
fi

if PID=$(live_pid "$PIDFILE" "--pidfile $PIDFILE") || PID=$(live_pid "$DIR/dockerd.bgpid" "--pidfile $PIDFILE"); then
  kill_wait TERM 200 "$PID"
  if kill -0 "$PID" 2>/dev/null; then
    echo "dockerd $PID still alive after 20 s: SIGKILL" >&2
    kill_wait KILL 50 "$PID"
  fi
  echo "dockerd $PID stopped"
else
  echo "dockerd not running"
fi

# Leftovers after a crash (normally none).
CONTAINER_PIDS=()
for c in "$DIR"/data/containers/*/; do
  id=$(basename "$c"); [ ${#id} -eq 64 ] || continue
  for cg in /sys/fs/cgroup/*/docker/"$id" /sys/fs/cgroup/docker/"$id" /sys/fs/cgroup/system.slice/docker-"$id".scope; do
    [ -d "$cg" ] || continue
    [ -f "$cg/freezer.state" ] && echo THAWED >"$cg/freezer.state" 2>/dev/null || true
    [ -f "$cg/cgroup.freeze" ] && echo 0 >"$cg/cgroup.freeze" 2>/dev/null || true
    [ -f "$cg/cgroup.procs" ] && CONTAINER_PIDS+=($(cat "$cg/cgroup.procs" 2>/dev/null))
  done
done
if [ ${#CONTAINER_PIDS[@]} -gt 0 ]; then
  CONTAINER_PIDS=($(printf '%s\n' "${CONTAINER_PIDS[@]}" | sort -un))
  echo "killing leftover container processes: ${CONTAINER_PIDS[*]}" >&2
  kill_wait KILL 50 "${CONTAINER_PIDS[@]}"
fi
SHIMS=($(pids_matching "-address $DIR/exec/containerd/containerd.sock"))
if [ ${#SHIMS[@]} -gt 0 ]; then
  echo "killing leftover containerd-shims: ${SHIMS[*]}" >&2
  kill_wait TERM 30 "${SHIMS[@]}"; kill_wait KILL 30 "${SHIMS[@]}"
fi
CTRD=($(pids_matching "--config $DIR/exec/containerd/containerd.toml"))
if [ ${#CTRD[@]} -gt 0 ]; then
  echo "killing leftover containerd: ${CTRD[*]}" >&2
  kill_wait TERM 50 "${CTRD[@]}"; kill_wait KILL 30 "${CTRD[@]}"
fi
# Mounts left by an unclean exit (deepest first), so that ENGINE_DIR can be removed.
{ grep -F " $DIR/" /proc/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do
  umount -l "$m" 2>/dev/null || true
done
rm -f "$PIDFILE" "$DIR/dockerd.bgpid" "$SOCK"
