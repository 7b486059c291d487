# Browser e2e (Playwright 1.65.1 + Debian chromium, docs/design/toolchain.md §7). Source it, then:
#   ensure_chromium                 installs Debian's chromium when it is missing (needs root; idempotent)
#   run_browser_tests LOGFILE       runs e2e/browser with the node runner, logs to LOGFILE, and ends with
#                                   the line "PLAYWRIGHT N passed, M failed"; returns Playwright's status
# Never runs `playwright install`: the suite uses /usr/bin/chromium through executablePath.

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1 && [ -x /usr/bin/chromium ]; then return 0; fi
  echo "installing Debian chromium (apt-get)"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1
  if [ -z "${_BROWSER_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq || return 1
    _BROWSER_APT_UPDATED=1
  fi
  $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null || return 1
  [ -x /usr/bin/chromium ] || { echo "chromium is not at /usr/bin/chromium after apt-get install" >&2; return 1; }
}

run_browser_tests() { # $1 = log file
  local log=${1:?usage: run_browser_tests LOGFILE} root rc passed failed flaky
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  # --no-workspaces: without it npx runs in the workspace folder (e2e/), where the config is not.
  (cd "$root/e2e/browser" && npx --no-workspaces playwright test --reporter=list) 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  passed=$(grep -Eo '^ *[0-9]+ passed' "$log" | tail -1 | grep -Eo '[0-9]+')
  failed=$(grep -Eo '^ *[0-9]+ failed' "$log" | tail -1 | grep -Eo '[0-9]+')
  flaky=$(grep -Eo '^ *[0-9]+ flaky' "$log" | tail -1 | grep -Eo '[0-9]+')
  passed=$(( ${passed:-0} + ${flaky:-0} )) failed=${failed:-0}
  # A run that failed before any test ran (config error, server not starting) counts as one failure.
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  # Into the log too: the summary counts from the log, not from this function's stdout.
  echo "PLAYWRIGHT $passed passed, $failed failed" | tee -a "$log"
  return "$rc"
}
