#!/bin/bash
# Build what a real single-node Kubernetes needs here, beside the real kube-apiserver
# (tools/real-apiserver/build.sh): kubelet, kube-controller-manager and kube-scheduler v1.20.2 from
# the same Debian source package, and two local images, since no registry is reachable:
#   local/pause:3.2          the pod sandbox: the source tree's build/pause/linux/pause.c, gcc -Os -static
#   local/debian:bookworm    a minimal Debian (debootstrap --variant=minbase) to build the app images on
# The recipe (docs/operations.md, "Proven on a real kubelet"): same GOPATH-mode tree, same reflect2 swap and
# version stamping as the apiserver, plus two patches for this sandbox, which refuses a negative
# oom_score_adj: the pod sandbox's -998 and Guaranteed containers' -997 become 0 (kubelet only).
#
# Usage: tools/real-cluster/build.sh                 (no args; needs root or sudo for apt)
# Output (.cache/real-cluster/):
#   bin/kubelet bin/kube-controller-manager bin/kube-scheduler
#   pause/pause.c pause/pause        the sandbox source, copied out of the tree, and its static binary
#   debian-bookworm.tar              the debootstrap root as a tarball (docker import reads it)
#   build.log
# The Go build shares the apiserver's cache (.cache/real-apiserver/gocache) and its scratch path and
# lock: package build IDs include the source folder, so building in the same place reuses most of it.
# Exits at once when everything is present; safe to rerun; FORCE=1 rebuilds the binaries.
# Images are imported by tools/real-cluster/images.sh, into a given dockerd.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=$(mkdir -p "$ROOT/.cache/real-cluster" && cd "$ROOT/.cache/real-cluster" && pwd -P)
APISERVER_CACHE=$(mkdir -p "$ROOT/.cache/real-apiserver" && cd "$ROOT/.cache/real-apiserver" && pwd -P)
S=$APISERVER_CACHE/build
LOG=$CACHE/build.log
WANT=v1.20.2
BINS=(kubelet kube-controller-manager kube-scheduler)
ROOTFS_TAR=$CACHE/debian-bookworm.tar

have_binaries() {
  local b
  for b in "${BINS[@]}"; do
    [ -x "$CACHE/bin/$b" ] && "$CACHE/bin/$b" --version 2>/dev/null | grep -qw "$WANT" || return 1
  done
  [ -x "$CACHE/pause/pause" ]
}
have_all() { [ "${FORCE:-0}" != 1 ] && have_binaries && [ -s "$ROOTFS_TAR" ]; }

if have_all; then
  echo "real-cluster binaries and base image already built: $CACHE"
  exit 0
fi

SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1

# --- base OS image root (independent of the Go build; its own lock) ------------------------------
build_rootfs() {
  exec 8>"$CACHE/rootfs.lock"
  flock 8
  [ -s "$ROOTFS_TAR" ] && return 0
  local t0 mirror dir
  t0=$(date +%s)
  command -v debootstrap >/dev/null || { $SUDO apt-get update -qq; $SUDO apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
  # The machine's own Debian mirror (deb822 .sources or a one-line .list).
  mirror=$(awk '/^Types:/{deb=($0 ~ /(^| )deb( |$)/)} deb && /^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
  [ -n "$mirror" ] || { echo "no Debian mirror found in /etc/apt/sources.list*" >&2; return 1; }
  dir=$CACHE/rootfs
  $SUDO rm -rf "$dir"
  $SUDO debootstrap --variant=minbase bookworm "$dir" "$mirror" >>"$LOG" 2>&1
  $SUDO rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  $SUDO tar -C "$dir" -cf "$ROOTFS_TAR.tmp" .
  $SUDO rm -rf "$dir"
  mv -f "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  echo "debootstrap bookworm ($mirror) in $(( $(date +%s) - t0 ))s: $ROOTFS_TAR" | tee -a "$LOG"
}

mkdir -p "$CACHE"
: >>"$LOG"
START=$(date +%s)
[ -s "$ROOTFS_TAR" ] || build_rootfs

if [ "${FORCE:-0}" = 1 ] || ! have_binaries; then
  # The apiserver first (it prepares the same tree), then this build under the same lock.
  "$ROOT/tools/real-apiserver/build.sh" >&2
  exec 9>"$APISERVER_CACHE/build.lock"
  flock 9
fi
if [ "${FORCE:-0}" != 1 ] && have_binaries; then
  echo "real-cluster built in $(( $(date +%s) - START ))s: $CACHE"
  exit 0
fi

fail() {
  echo "build FAILED after $(( $(date +%s) - START ))s: $*" >&2
  echo "--- last 40 lines of $LOG ---" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}
trap 'fail "command failed at line $LINENO"' ERR
echo "building ${BINS[*]} $WANT (log: $LOG) ..."

# Source tree exactly as tools/real-apiserver/build.sh prepares it (deb-src and build
# dependencies are in place: that script just ran).
command -v gcc >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends gcc libc6-dev; } >>"$LOG" 2>&1
rm -rf "$S"
mkdir -p "$S"
cd "$S"
apt-get source --download-only kubernetes >>"$LOG" 2>&1
TARBALL=$(ls kubernetes_*really1.20.2.orig.tar.gz 2>/dev/null | head -n1 || true)
[ -n "$TARBALL" ] || fail "no kubernetes_*really1.20.2.orig.tar.gz downloaded (got: $(ls))"
tar xzf "$TARBALL"
export GOPATH=$S/gopath GO111MODULE=off GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE=$APISERVER_CACHE/gocache GOFLAGS=
export PATH=/usr/lib/go-1.19/bin:$PATH
mkdir -p "$GOPATH/src/k8s.io" "$GOCACHE"
ln -s "$S/kubernetes-1.20.2" "$GOPATH/src/k8s.io/kubernetes"
cd "$GOPATH/src/k8s.io/kubernetes"

# The pause source, kept beside the binary so that the sandbox image can be rebuilt from it.
mkdir -p "$CACHE/pause"
cp build/pause/linux/pause.c "$CACHE/pause/pause.c"
gcc -Os -static -o "$CACHE/pause/pause.tmp" "$CACHE/pause/pause.c" >>"$LOG" 2>&1
strip "$CACHE/pause/pause.tmp" 2>/dev/null || true
mv -f "$CACHE/pause/pause.tmp" "$CACHE/pause/pause"

T0=$(date +%s)
make generated_files >>"$LOG" 2>&1
echo "make generated_files took $(( $(date +%s) - T0 ))s" >>"$LOG"
rm -rf vendor/github.com/modern-go/reflect2
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 vendor/github.com/modern-go/

# The sandbox refuses a negative oom_score_adj (runc: "can't get final child's PID from pipe").
patch_const() {   # patch_const FILE FROM TO
  grep -qF -- "$2" "$1" || fail "$1 no longer contains '$2'"
  sed -i "s/$2/$3/" "$1"
}
patch_const pkg/kubelet/dockershim/docker_sandbox.go 'defaultSandboxOOMAdj int = -998' 'defaultSandboxOOMAdj int = 0'
patch_const pkg/kubelet/qos/policy.go 'guaranteedOOMScoreAdj int = -997' 'guaranteedOOMScoreAdj int = 0'

V=k8s.io/kubernetes/vendor/k8s.io
LDF="-s -w"
for p in $V/component-base/version $V/client-go/pkg/version; do
  LDF="$LDF -X $p.gitVersion=$WANT -X $p.gitMajor=1 -X $p.gitMinor=20"
done
mkdir -p "$CACHE/bin"
for b in "${BINS[@]}"; do
  T0=$(date +%s)
  go build -ldflags "$LDF" -o "$S/$b" "./cmd/$b" >>"$LOG" 2>&1
  "$S/$b" --version 2>&1 | tee -a "$LOG" | grep -qw "$WANT" || fail "$b does not report $WANT"
  mv -f "$S/$b" "$CACHE/bin/$b"
  echo "go build $b took $(( $(date +%s) - T0 ))s" | tee -a "$LOG"
done

cd "$ROOT"
chmod -R u+w "$S" 2>/dev/null || true
rm -rf "$S"
trap - ERR
echo "real-cluster built in $(( $(date +%s) - START ))s: $CACHE" | tee -a "$LOG"
