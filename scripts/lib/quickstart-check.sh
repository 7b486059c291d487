# CI smoke check of README quick start command 1 (`npm start` = scripts/start.sh). Source it, then:
#   check_quickstart [PORT]
# starts scripts/start.sh on the simulated engine (deterministic even where a real dockerd runs), waits
# for the console (at most 90 s), requests `stop` on a demo container through the console API, waits
# until its lastAction carries that request's id, then sends SIGTERM and expects exit 0 within 20 s.
# Prints "QUICKSTART PASS" or "QUICKSTART FAIL: why"; returns 0 or 1. Processes are stopped by PID.

check_quickstart() {
  local port=${1:-18090} root state log pid rc why="" started elapsed
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  state=$(mktemp -d /tmp/ca-quickstart.XXXX)
  log="$state/start.log"
  started=$(date +%s)
  (cd "$root" && exec bash scripts/start.sh --port "$port" --docker simulated --state-dir "$state") >"$log" 2>&1 &
  pid=$!

  _qs_json() { # $1 = JavaScript expression over `data` (the parsed stdin); prints its value
    node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const data=JSON.parse(s);const v=('"$1"');process.stdout.write(v===undefined||v===null?"":String(v))})'
  }

  local url="http://127.0.0.1:$port" deadline id answer request_id state_now
  deadline=$((started + 90))
  until curl -sf "$url/healthz" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then why="scripts/start.sh exited before the console answered"; break; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then why="the console did not answer within 90 s"; break; fi
    sleep 1
  done

  if [ -z "$why" ]; then
    id=$(curl -sf "$url/api/containers" | _qs_json 'data.find(r => r.name === "demo-web")?.id')
    [ -n "$id" ] || why="the console lists no demo-web container"
  fi
  if [ -z "$why" ]; then
    answer=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"action":"stop"}' "$url/api/containers/$id/actions")
    request_id=$(printf '%s' "$answer" | _qs_json 'data.requestId')
    [ -n "$request_id" ] || why="the stop request was not accepted: $answer"
  fi
  if [ -z "$why" ]; then
    deadline=$(($(date +%s) + 30))
    while :; do
      state_now=$(curl -sf "$url/api/containers" | _qs_json "(r => r && r.lastAction && r.lastAction.requestId === '$request_id' && !r.pending ? r.lastAction.action + ' ' + r.lastAction.state + ' ' + r.status : '')(data.find(r => r.id === '$id'))")
      [ -n "$state_now" ] && break
      if [ "$(date +%s)" -ge "$deadline" ]; then why="lastAction never showed request $request_id within 30 s"; break; fi
      sleep 0.5
    done
    [ -z "$why" ] && [ "$state_now" != "stop Succeeded exited" ] && why="unexpected outcome: $state_now"
  fi

  # SIGTERM by PID (start.sh exec'd into up.ts), then at most 20 s for a clean exit 0.
  kill -TERM "$pid" 2>/dev/null
  deadline=$(($(date +%s) + 20))
  while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    [ -z "$why" ] && why="up did not exit within 20 s of SIGTERM"
    kill -KILL "$pid" 2>/dev/null
    # Its children are listed in the state folder; stop them by PID too.
    for child in $(grep -Eo '"(controller|webhook)": [0-9]+' "$state/stack.json" 2>/dev/null | grep -Eo '[0-9]+$'); do
      kill -KILL "$child" 2>/dev/null
    done
  fi
  wait "$pid" 2>/dev/null
  rc=$?
  [ -z "$why" ] && [ "$rc" -ne 0 ] && why="up exited with code $rc after SIGTERM"
  elapsed=$(($(date +%s) - started))

  if [ -z "$why" ]; then
    echo "QUICKSTART PASS (start, console, stop request $request_id → stop Succeeded, SIGTERM → exit 0; ${elapsed}s)"
    rm -rf "$state"
    return 0
  fi
  echo "--- last lines of $log ---"
  tail -30 "$log"
  echo "QUICKSTART FAIL: $why"
  return 1
}
