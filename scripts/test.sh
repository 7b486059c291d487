#!/usr/bin/env bash
# The whole test suite (README quick start, command 2; also what CI runs through .ci/run).
# Installs what is missing (bun from npm), type-checks, runs every suite, and ends with the line
# "N passed, N failed" summed over all suites. Exit status: non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh
source scripts/lib/services.sh
source scripts/lib/cluster.sh
source scripts/lib/browser.sh
source scripts/lib/quickstart-check.sh

bootstrap_bun || exit 1
section "install"
bun install --frozen-lockfile || exit 1

section "typecheck"
bun run typecheck || exit 1

start_services || { echo "0 passed, 1 failed"; exit 1; }
trap 'stop_cluster; stop_services' EXIT

passed=0 failed=0 status=0
# Adds one runner's counts (from its log) to the totals.
tally() { # $1 = log file, $2 = pass regex, $3 = fail regex
  local p f
  p=$(grep -Eo "$2" "$1" | tail -1 | grep -Eo '[0-9]+' | head -1)
  f=$(grep -Eo "$3" "$1" | tail -1 | grep -Eo '[0-9]+' | head -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

# Properties draw from the commit: new runs each commit, and a CI failure replays from the commit alone.
export SIM_SEED=${SIM_SEED:-$(git rev-parse HEAD 2>/dev/null || echo 1)}
section "unit, property and e2e tests (bun test, SIM_SEED=$SIM_SEED)"
log=$(mktemp)
bun test 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
tally "$log" '^ *[0-9]+ pass$' '^ *[0-9]+ fail$'
# An import error counts as a failure even when bun reports no failing test.
if [ "$rc" -ne 0 ]; then status=1; [ "$failed" -eq 0 ] && failed=1; fi
rm -f "$log"

# The cluster suite is skipped in the run above (its variables are unset there) and runs here, on a
# node of its own: images built from deploy/images, pods on a real kubelet.
section "cluster e2e (a real kubelet: tools/real-cluster, e2e/cluster)"
t0=$(date +%s)
log=$(mktemp)
if start_cluster; then
  bun test e2e/cluster 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  tally "$log" '^ *[0-9]+ pass$' '^ *[0-9]+ fail$'
  if [ "$rc" -ne 0 ]; then status=1; grep -Eq '^ *[1-9][0-9]* fail$' "$log" || failed=$((failed + 1)); fi
else
  echo "could not start the cluster (see above)"
  failed=$((failed + 1)); status=1
fi
rm -f "$log"
stop_cluster
echo "cluster e2e: $(( $(date +%s) - t0 )) s including builds and node start"

section "quick start smoke check (npm start)"
if check_quickstart 18090; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi

section "browser e2e (Playwright + Debian chromium)"
if ensure_chromium; then
  log=$(mktemp)
  run_browser_tests "$log" || status=1
  # The fail count is the number after "passed, ": tally takes the first number of each match.
  tally "$log" '^PLAYWRIGHT [0-9]+ passed' 'passed, [0-9]+ failed$'
  rm -f "$log"
else
  failed=$((failed + 1)); status=1
fi

echo "$passed passed, $failed failed"
exit $status
