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
