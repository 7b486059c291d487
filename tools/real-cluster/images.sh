#!/bin/bash
# Load the images a test node needs into the dockerd at DOCKER_HOST, with no registry:
#   local/pause:3.2                        the pod sandbox (static pause binary from build.sh)
#   local/debian:bookworm                  debootstrap minbase root from build.sh
#   local/bun:1.4.5                        local/debian plus this machine's bun at /usr/local/bin/bun
#   local/container-actions-controller:e2e deploy/images/controller.Dockerfile, on the two above
#   local/container-actions-webhook:e2e    deploy/images/webhook.Dockerfile, on the two above
# The app images come from the repository's own Dockerfiles with BUN_IMAGE/RUNTIME_IMAGE build
# arguments (the production defaults stay oven/bun and distroless). The legacy builder is what this
# engine has (no buildx), so the context is a tar of the files the Dockerfiles copy, as git lists them
# (no node_modules, no .cache), streamed to `docker build -`. The build stage's
# `bun install` reaches the npm registry through the host's network (--network=host).
#
# Usage: DOCKER_HOST=unix://… tools/real-cluster/images.sh      (runs build.sh first if needed)
# Each image is imported or built only when missing. The two app images are saved into
# .cache/real-cluster/images/apps-<hash of the build context, bun and the base>.tar after a build,
# and loaded from there while the context is unchanged.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=$ROOT/.cache/real-cluster
: "${DOCKER_HOST:?set DOCKER_HOST to the node dockerd}"
"$HERE/build.sh" >&2
ms() { echo $(( $(date +%s%N) / 1000000 )); }
have() { docker image inspect "$1" >/dev/null 2>&1; }
T0=$(ms)
LOG=$(mktemp)
trap 'rm -f "$LOG" "${CONTEXT:-}" "${SAVED:-}.tmp"' EXIT

if ! have local/pause:3.2; then
  tar -C "$CACHE/pause" -c pause | docker import --change 'ENTRYPOINT ["/pause"]' - local/pause:3.2 >/dev/null
fi
# The build context: the Dockerfiles and the files they COPY (their source arguments), as git lists them
# (tracked and untracked, minus .gitignore), as a reproducible tar (names sorted, no times or owners),
# so that its hash says whether the app images of a previous run still fit: a change elsewhere (a
# test, a doc) does not rebuild them.
SOURCES="deploy/images/ $(sed -n 's/^COPY \([^-].*\) [^ ]*$/\1/p' "$ROOT"/deploy/images/*.Dockerfile | tr ' ' '\n' | sort -u)"
CONTEXT=$(mktemp)
# shellcheck disable=SC2086
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard -- $SOURCES |
  xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
  tar --null -T - --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c) >"$CONTEXT"
KEY=$( (cat "$CONTEXT"; bun --version; sha256sum "$CACHE/debian-bookworm.tar" | cut -c1-64) | sha256sum | cut -c1-16)
SAVED=$CACHE/images/apps-$KEY.tar
APPS=(local/container-actions-controller:e2e local/container-actions-webhook:e2e)

if [ -s "$SAVED" ]; then
  docker load -i "$SAVED" >/dev/null
  echo "app images loaded from $SAVED in $(( $(ms) - T0 )) ms" >&2
  rm -f "$CONTEXT"
  exit 0
fi

if ! have local/debian:bookworm; then
  docker import - local/debian:bookworm <"$CACHE/debian-bookworm.tar" >/dev/null
fi
if ! have local/bun:1.4.5; then
  ctx=$(mktemp -d)
  cp "$(readlink -f "$(command -v bun)")" "$ctx/bun"
  printf 'FROM local/debian:bookworm\nCOPY bun /usr/local/bin/bun\nWORKDIR /home/bun/app\n' >"$ctx/Dockerfile"
  # This machine's bun trusts extra CAs (a TLS-inspecting egress proxy): the image's bun the same.
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -s "$NODE_EXTRA_CA_CERTS" ]; then
    cp "$NODE_EXTRA_CA_CERTS" "$ctx/extra-ca.crt"
    printf 'COPY extra-ca.crt /etc/ssl/extra-ca.crt\nENV NODE_EXTRA_CA_CERTS=/etc/ssl/extra-ca.crt\n' >>"$ctx/Dockerfile"
  fi
  docker build -q -t local/bun:1.4.5 "$ctx" >/dev/null
  rm -rf "$ctx"
fi
echo "base images ready in $(( $(ms) - T0 )) ms" >&2

for app in controller webhook; do
  T1=$(ms)
  docker build --network=host -f "deploy/images/$app.Dockerfile" \
    --build-arg BUN_IMAGE=local/bun:1.4.5 --build-arg RUNTIME_IMAGE=local/debian:bookworm \
    -t "local/container-actions-$app:e2e" - <"$CONTEXT" >"$LOG" 2>&1 ||
    { echo "docker build of $app failed:" >&2; tail -n 30 "$LOG" >&2; exit 1; }
  echo "local/container-actions-$app:e2e built in $(( $(ms) - T1 )) ms" >&2
done
rm -f "$CONTEXT"
# Keep only this context's images: a warm rerun loads them instead of building (≈ 5 s instead of ≈ 90 s).
mkdir -p "$CACHE/images"
rm -f "$CACHE"/images/apps-*.tar
docker save -o "$SAVED.tmp" "${APPS[@]}"
mv -f "$SAVED.tmp" "$SAVED"
