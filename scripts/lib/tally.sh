# The CI summary's counting. Source it, then:
#   tally LOGFILE PASS_REGEX FAIL_REGEX   adds one runner's counts to $passed and $failed: the last
#                                         match of each regex in the log, and the first number in it
passed=${passed:-0} failed=${failed:-0}
tally() {
  local p f
  p=$(grep -Eo "$2" "$1" | tail -1 | grep -Eo '[0-9]+' | head -1)
  f=$(grep -Eo "$3" "$1" | tail -1 | grep -Eo '[0-9]+' | head -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
}

# One `turbo run test` log (default task prefixes, `--continue`): adds every workspace's bun test counts.
# A task that failed without a failing test (an import error, a crash) counts as one failure, and so
# does a turbo run that failed before any workspace reported.
tally_turbo() { # $1 = log file, $2 = turbo's exit status
  local task p f counted=0
  for task in $(grep -Eo '^[^ :]+:test: ' "$1" | sort -u | sed 's/: $//'); do
    p=$(grep -E "^$task: +[0-9]+ pass$" "$1" | tail -1 | grep -Eo '[0-9]+ pass$' | grep -Eo '[0-9]+')
    f=$(grep -E "^$task: +[0-9]+ fail$" "$1" | tail -1 | grep -Eo '[0-9]+ fail$' | grep -Eo '[0-9]+')
    if [ "${f:-0}" -eq 0 ] && grep -qE "^${task%:test}#test: +ERROR" "$1"; then f=1; fi
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); counted=$((counted + ${p:-0} + ${f:-0}))
  done
  if [ "$2" -ne 0 ] && [ "$counted" -eq 0 ]; then failed=$((failed + 1)); fi
  return 0
}
