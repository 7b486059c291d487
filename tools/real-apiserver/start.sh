#!/bin/bash
# Start a real kube-apiserver v1.20.2 + etcd on loopback (recipe: docs/design/real-apiserver.md).
#
# Usage: tools/real-apiserver/start.sh RUN_DIR [PORT]
#   RUN_DIR  folder for this instance (created if missing): certs, etcd data, logs, pid files.
#   PORT     apiserver secure port on 127.0.0.1 (default 6443, at most 44535).
#            etcd client port = PORT+20000 (26443 by default), etcd peer port = PORT+21000 (27443),
#            both on 127.0.0.1 and below the kernel's ephemeral range (32768+) for PORT <= 11767.
#            Several instances coexist when their PORTs differ (by less than 1000, so that no
#            PORT+20000/PORT+21000 pair overlaps).
#            Override with env ETCD_CLIENT_PORT / ETCD_PEER_PORT.
# Env: KEEP_DATA=1 keeps the etcd data of a previous run in RUN_DIR (default: fresh, empty cluster).
#
# Writes into RUN_DIR:
#   ca.crt ca.key          test CA (key kept so tests can sign more certs, e.g. for webhooks)
#   apiserver.{crt,key}    serving cert, SANs IP:127.0.0.1, DNS:localhost, IP:10.96.0.1
#   admin.{crt,key}        client cert CN=admin O=system:masters
#   webhook.{crt,key}      spare serving cert for a test webhook (IP:127.0.0.1, DNS:localhost)
#   sa.key sa.pub          service-account signing key pair
#   etcd/ etcd.log etcd.pid apiserver.log apiserver.pid port
#   kubeconfig             certs embedded, cluster/user/context `real`/`admin`/`real`
# Certs are reused on a rerun while valid for another day; otherwise all are regenerated.
# If this RUN_DIR's etcd and apiserver are already running on PORT and ready, they are reused;
# stale ones are stopped first (tools/real-apiserver/stop.sh). Builds the binary first
# (tools/real-apiserver/build.sh) if it is missing. Waits up to 60 s for /readyz (~4-5 s usual).
# Last line of output: KUBECONFIG=RUN_DIR/kubeconfig
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 RUN_DIR [PORT]" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=$ROOT/.cache/real-apiserver/bin/kube-apiserver
mkdir -p "$1"
RUN=$(cd "$1" && pwd -P)
PORT=${2:-6443}
[[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 44535 ] || { echo "bad PORT $PORT (1..44535)" >&2; exit 2; }
ETCD_CLIENT_PORT=${ETCD_CLIENT_PORT:-$((PORT + 20000))}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-$((PORT + 21000))}
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- dependencies -------------------------------------------------------------------------------
if [ ! -x "$BIN" ]; then
  "$HERE/build.sh" >&2
fi
PKGS=()
command -v etcd >/dev/null || PKGS+=(etcd-server)
command -v openssl >/dev/null || PKGS+=(openssl)
command -v curl >/dev/null || PKGS+=(curl)
if [ ${#PKGS[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "installing: ${PKGS[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${PKGS[@]}" >/dev/null
fi

# --- helpers ------------------------------------------------------------------------------------
live_pid() {   # live_pid PIDFILE PATTERN: the pid if alive and its cmdline contains PATTERN
  local p
  p=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
  tr '\0' ' ' 2>/dev/null </proc/"$p"/cmdline | grep -qF -- "$2" || return 1
  echo "$p"
}
readyz() {
  curl -sf --max-time 2 --cacert "$RUN/ca.crt" --cert "$RUN/admin.crt" --key "$RUN/admin.key" \
    "https://127.0.0.1:$PORT/readyz" >/dev/null 2>&1
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- reuse a running instance, or clear a stale one -------------------------------------------------
if live_pid "$RUN/apiserver.pid" "--tls-cert-file=$RUN/apiserver.crt" >/dev/null &&
   live_pid "$RUN/etcd.pid" "--data-dir $RUN/etcd" >/dev/null &&
   [ "$(cat "$RUN/port" 2>/dev/null)" = "$PORT" ] && [ -f "$RUN/kubeconfig" ] && readyz; then
  echo "reusing running kube-apiserver $(cat "$RUN/apiserver.pid") / etcd $(cat "$RUN/etcd.pid")" >&2
  echo "KUBECONFIG=$RUN/kubeconfig"
  exit 0
fi
"$HERE/stop.sh" "$RUN" >/dev/null
for p in "$PORT" "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT"; do
  if port_busy "$p"; then echo "port 127.0.0.1:$p is already in use" >&2; exit 1; fi
done

T0=$(ms)
# --- certificates ---------------------------------------------------------------------------------
certs_ok() {
  local f
  for f in ca apiserver admin webhook; do
    [ -s "$RUN/$f.crt" ] && [ -s "$RUN/$f.key" ] || return 1
    openssl x509 -noout -checkend 86400 -in "$RUN/$f.crt" >/dev/null 2>&1 || return 1
  done
  [ -s "$RUN/sa.key" ] && [ -s "$RUN/sa.pub" ]
}
if ! certs_ok; then
  (
    cd "$RUN"
    rm -f ca.* apiserver.* admin.* webhook.* sa.key sa.pub
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=test-ca -keyout ca.key -out ca.crt 2>/dev/null
    sign() {
      openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$1.key" -out "$1.csr" 2>/dev/null &&
        openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 -out "$1.crt" \
          -extfile <(printf "$3\n") 2>/dev/null && rm -f "$1.csr"
    }
    sign apiserver /CN=kube-apiserver 'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1\nextendedKeyUsage=serverAuth'
    sign admin /CN=admin/O=system:masters 'extendedKeyUsage=clientAuth'
    sign webhook /CN=webhook 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 600 ./*.key
  )
  echo "generated certificates in $(( $(ms) - T0 )) ms" >&2
fi
T1=$(ms)

# --- etcd + kube-apiserver ------------------------------------------------------------------------
[ "${KEEP_DATA:-0}" = 1 ] || rm -rf "$RUN/etcd"
rm -f "$RUN/etcd.pid" "$RUN/apiserver.pid"
echo "$PORT" >"$RUN/port"
# setsid: own session, so both outlive this script and the caller's process group; the pid file is
# written by the shell that then execs the daemon, so it is the daemon's own pid.
setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN/etcd.pid" \
  etcd --name default --data-dir "$RUN/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" \
  </dev/null >"$RUN/etcd.log" 2>&1 &
setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN/apiserver.pid" \
  "$BIN" --bind-address=127.0.0.1 --secure-port="$PORT" --insecure-port=0 \
  --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
  --etcd-servers="http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --tls-cert-file="$RUN/apiserver.crt" --tls-private-key-file="$RUN/apiserver.key" \
  --client-ca-file="$RUN/ca.crt" --authorization-mode=RBAC \
  --service-account-key-file="$RUN/sa.pub" --service-account-signing-key-file="$RUN/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --api-audiences=https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range=10.96.0.0/16 \
  --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,ValidatingAdmissionWebhook,MutatingAdmissionWebhook \
  </dev/null >"$RUN/apiserver.log" 2>&1 &

failed() {
  echo "kube-apiserver did not become ready: $*" >&2
  echo "--- tail of $RUN/etcd.log ---" >&2; tail -n 15 "$RUN/etcd.log" >&2 || true
  echo "--- tail of $RUN/apiserver.log ---" >&2; tail -n 30 "$RUN/apiserver.log" >&2 || true
  "$HERE/stop.sh" "$RUN" >&2 || true
  exit 1
}
DEADLINE=$(( $(ms) + 60000 ))
until readyz; do
  [ "$(ms)" -lt "$DEADLINE" ] || failed "timeout after 60 s"
  for f in etcd apiserver; do
    p=$(cat "$RUN/$f.pid" 2>/dev/null || true)
    if [ -n "$p" ] && ! kill -0 "$p" 2>/dev/null; then failed "$f (pid $p) exited"; fi
  done
  sleep 0.2
done
T2=$(ms)

# --- kubeconfig (no kubectl needed) -----------------------------------------------------------------
umask 077
cat >"$RUN/kubeconfig.tmp" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: real
  cluster:
    server: https://127.0.0.1:$PORT
    certificate-authority-data: $(base64 -w0 "$RUN/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(base64 -w0 "$RUN/admin.crt")
    client-key-data: $(base64 -w0 "$RUN/admin.key")
contexts:
- name: real
  context:
    cluster: real
    user: admin
current-context: real
preferences: {}
YAML
mv -f "$RUN/kubeconfig.tmp" "$RUN/kubeconfig"

echo "kube-apiserver $(cat "$RUN/apiserver.pid") on https://127.0.0.1:$PORT, etcd $(cat "$RUN/etcd.pid") on :$ETCD_CLIENT_PORT; ready in $(( T2 - T1 )) ms after launch ($(( T2 - T0 )) ms incl. certs)" >&2
echo "KUBECONFIG=$RUN/kubeconfig"
