#!/usr/bin/env bash
# The benchmark harness (issue 5): builds the command line and the harness (Release), then measures.
# Prints a table of figures against their targets and writes them as JSON (default runs/bench/bench-<time>.json).
#   scripts/bench.sh            the full run, about 5 minutes on 2 cores
#   scripts/bench.sh --quick    smaller sizes, to check the harness (figures are not for the record)
#   scripts/bench.sh --out FILE.json
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$here/src/Client/SweepRunner.Client.csproj" -c Release -nologo -v q -clp:ErrorsOnly
dotnet build "$here/bench/SweepRunner.Bench/SweepRunner.Bench.csproj" -c Release -nologo -v q -clp:ErrorsOnly
exec "$here/bench/SweepRunner.Bench/bin/Release/net10.0/sweeprunner-bench" "$@"
