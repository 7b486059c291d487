#!/bin/bash
# Build a real kube-apiserver v1.20.2 from Debian bookworm's `kubernetes` source package with
# Debian's Go 1.19 (recipe: docs/design/real-apiserver.md), offline GOPATH-mode build.
#
# Usage: tools/real-apiserver/build.sh            (no args; needs root or sudo for apt)
# Output: .cache/real-apiserver/bin/kube-apiserver   (~105 MB)
#         .cache/real-apiserver/build.log            (full log of the build)
#         .cache/real-apiserver/gocache/             (Go build cache, GOCACHE; ~1.1 GB, makes rebuilds fast)
# Scratch: .cache/real-apiserver/build/ (source tree + GOPATH), deleted after a successful build.
# If the binary already exists and `--version` says v1.20.2, exits 0 at once.
# Env: FORCE=1 rebuilds even when the binary is present.
# Cold build on 2 cores: ~5-7 min (make generated_files ~1 min, go build ~3-4 min).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=$ROOT/.cache/real-apiserver
BIN=$CACHE/bin/kube-apiserver
LOG=$CACHE/build.log
S=$CACHE/build
WANT=v1.20.2

have_binary() {
  [ -x "$BIN" ] && "$BIN" --version 2>/dev/null | grep -qw "$WANT"
}

if [ "${FORCE:-0}" != 1 ] && have_binary; then
  echo "kube-apiserver $WANT already built: $BIN"
  exit 0
fi

mkdir -p "$CACHE"
# Serialize concurrent builds (e.g. two start.sh racing); re-check after getting the lock.
exec 9>"$CACHE/build.lock"
flock 9
if [ "${FORCE:-0}" != 1 ] && have_binary; then
  echo "kube-apiserver $WANT already built: $BIN"
  exit 0
fi

START=$(date +%s)
: >"$LOG"
echo "building kube-apiserver $WANT (log: $LOG) ..."

fail() {
  echo "build FAILED after $(( $(date +%s) - START ))s: $*" >&2
  echo "--- last 40 lines of $LOG ---" >&2
  tail -n 40 "$LOG" >&2 || true
  exit 1
}
trap 'fail "command failed at line $LINENO"' ERR

SUDO=
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" = 0 ]; then
    $SUDO apt-get update >>"$LOG" 2>&1
    APT_UPDATED=1
  fi
}

# 1. Enable source packages (skip if a deb-src entry already exists: a duplicate makes apt warn).
if ! grep -qs '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources &&
   ! grep -qs '^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    echo "enabling deb-src in /etc/apt/sources.list.d/debian-src.sources" >>"$LOG"
    awk -v RS= 'NR==1' /etc/apt/sources.list.d/debian.sources |
      sed 's/^Types: deb$/Types: deb-src/' | $SUDO tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
  else
    echo "enabling deb-src in /etc/apt/sources.list.d/debian-src.list" >>"$LOG"
    grep -h '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' |
      $SUDO tee /etc/apt/sources.list.d/debian-src.list >/dev/null
  fi
  apt_update
fi

# 2. Build dependencies (only what is missing).
PKGS=()
[ -x /usr/lib/go-1.19/bin/go ] || PKGS+=(golang-1.19-go)
command -v make >/dev/null || PKGS+=(make)
command -v rsync >/dev/null || PKGS+=(rsync)
command -v jq >/dev/null || PKGS+=(jq)
command -v etcd >/dev/null || PKGS+=(etcd-server)
[ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || PKGS+=(golang-github-modern-go-reflect2-dev)
command -v dpkg-source >/dev/null || PKGS+=(dpkg-dev)
command -v curl >/dev/null || PKGS+=(curl)
command -v openssl >/dev/null || PKGS+=(openssl)
if [ ${#PKGS[@]} -gt 0 ]; then
  echo "installing: ${PKGS[*]}" | tee -a "$LOG"
  apt_update
  $SUDO apt-get install -y --no-install-recommends "${PKGS[@]}" >>"$LOG" 2>&1
fi
# The source index may be missing even when a deb-src entry exists (never updated).
if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q '^Package: kubernetes'; then
  apt_update
fi

# 3. Download the source package and unpack the upstream tarball (used as is).
rm -rf "$S"
mkdir -p "$S"
cd "$S"
T0=$(date +%s)
apt-get source --download-only kubernetes >>"$LOG" 2>&1
TARBALL=$(ls kubernetes_*really1.20.2.orig.tar.gz 2>/dev/null | head -n1 || true)
[ -n "$TARBALL" ] || fail "no kubernetes_*really1.20.2.orig.tar.gz downloaded (got: $(ls))"
tar xzf "$TARBALL"
[ -d kubernetes-1.20.2 ] || fail "tarball did not unpack into kubernetes-1.20.2/"
echo "source downloaded and unpacked in $(( $(date +%s) - T0 ))s" >>"$LOG"

# 4. GOPATH mode: the tree must be at $GOPATH/src/k8s.io/kubernetes, work from that path.
export GOPATH=$S/gopath GO111MODULE=off GOPROXY=off GOTOOLCHAIN=local CGO_ENABLED=0
export GOCACHE=$CACHE/gocache GOFLAGS=
export PATH=/usr/lib/go-1.19/bin:$PATH
mkdir -p "$GOPATH/src/k8s.io" "$GOCACHE"
ln -s "$S/kubernetes-1.20.2" "$GOPATH/src/k8s.io/kubernetes"
cd "$GOPATH/src/k8s.io/kubernetes"
go version >>"$LOG" 2>&1

# 5. Generated files (zz_generated.openapi.go is not in the tarball).
T0=$(date +%s)
make generated_files >>"$LOG" 2>&1
[ -f pkg/generated/openapi/zz_generated.openapi.go ] || fail "make generated_files did not produce the openapi file"
echo "make generated_files took $(( $(date +%s) - T0 ))s" >>"$LOG"

# 6. Replace vendored reflect2 1.0.1 (panics at run time with Go >= 1.18) with Debian's 1.0.2.
rm -rf vendor/github.com/modern-go/reflect2
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 vendor/github.com/modern-go/

# 7. Build, stamping the version into both component-base/version and client-go/pkg/version.
T0=$(date +%s)
V=k8s.io/kubernetes/vendor/k8s.io
LDF="-s -w"
for p in $V/component-base/version $V/client-go/pkg/version; do
  LDF="$LDF -X $p.gitVersion=$WANT -X $p.gitMajor=1 -X $p.gitMinor=20"
done
go build -ldflags "$LDF" -o "$S/kube-apiserver" ./cmd/kube-apiserver >>"$LOG" 2>&1
echo "go build took $(( $(date +%s) - T0 ))s" >>"$LOG"

"$S/kube-apiserver" --version 2>&1 | tee -a "$LOG" | grep -qw "$WANT" || fail "built binary does not report $WANT"
mkdir -p "$CACHE/bin"
mv -f "$S/kube-apiserver" "$BIN.tmp"
mv -f "$BIN.tmp" "$BIN"

# Save disk: drop the scratch tree (the Go build cache stays in $GOCACHE).
cd "$ROOT"
chmod -R u+w "$S" 2>/dev/null || true
rm -rf "$S"

trap - ERR
echo "built $BIN ($("$BIN" --version)) in $(( $(date +%s) - START ))s" | tee -a "$LOG"
