#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (scripts/setup.sh --dev), builds, tests.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Specs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/scripts/setup.sh" --dev
# One test process at a time: the machine has 2 cores and training tests use them.
dotnet test "$here/tests/SweepRunner.Tests/SweepRunner.Tests.csproj" -c Release -nologo \
  --logger "console;verbosity=normal" "$@"
