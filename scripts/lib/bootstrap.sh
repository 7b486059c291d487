# Shared by the project's scripts: print a section header; make sure the pinned bun is on PATH.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
BUN_VERSION=1.4.5

section() { printf '\n=== %s ===\n' "$*"; }

# Installs bun from the npm registry when it is missing or another version (the only source this
# project's machines reach). Prefers a global install; falls back to the user prefix when /usr is read-only.
bootstrap_bun() {
  if command -v bun >/dev/null && [ "$(bun --version)" = "$BUN_VERSION" ]; then return 0; fi
  section "installing bun $BUN_VERSION from npm"
  npm install -g "bun@$BUN_VERSION" --no-audit --no-fund --allow-scripts=bun >/dev/null 2>&1 ||
    npm install -g "bun@$BUN_VERSION" --no-audit --no-fund >/dev/null || return 1
  hash -r
  command -v bun >/dev/null || { echo "bun is not on PATH after npm install -g" >&2; return 1; }
}
