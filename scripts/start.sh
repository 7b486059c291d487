#!/usr/bin/env bash
# README quick start, command 1 (`npm start`): the whole system on embedded defaults.
# On a machine with only Node and npm: installs bun from npm, the dependencies from the lockfile, then
# runs apps/simulator/src/cli/up.ts with the arguments given (`npm start -- --help` lists them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh

bootstrap_bun
bun install --frozen-lockfile
exec bun apps/simulator/src/cli/up.ts "$@"
