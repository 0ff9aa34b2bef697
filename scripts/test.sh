#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (scripts/setup.sh --dev), builds, tests.
# The cluster tests start their own redis-server and silo processes on free loopback ports.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Specs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" --dev
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test "$here/tests/SweepRunner.Tests/SweepRunner.Tests.csproj" -c Release -nologo \
  --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line, whatever the runner printed above it ("Total tests / Passed / Failed" blocks).
field() { grep -E "^[[:space:]]+$1: [0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
if grep -q '^Total tests:' "$log"; then
  echo "tests: $(field Passed) passed, $(field Failed) failed, $(field Skipped) skipped"
fi
exit $status
