#!/usr/bin/env bash
# R synthdid / MCPanel timings on the panels of the BenchmarkDotNet cases (see benchmarks/README.md).
#   benchmarks/r-timings.sh [--slow]     (--slow adds the 5,000 x 100 cases and SDID placebo: about 10 minutes more)
# Prints "R not installed" and exits 0 when Rscript, synthdid or MCPanel is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v Rscript > /dev/null || ! Rscript -e 'library(synthdid); library(MCPanel)' > /dev/null 2>&1; then
  echo "R not installed (Rscript with the synthdid and MCPanel packages is needed for the R timings)"
  exit 0
fi
folder="$(mktemp -d)"
trap 'rm -rf "$folder"' EXIT
panel() { dotnet run -c Release --project "$here/CausalPanel.Benchmarks" -- panel "$@"; }
panel block 1000 50 100 10 "$folder/block1000x50.csv"
if [[ " $* " == *" --slow "* ]]; then panel block 5000 100 500 20 "$folder/block5000x100.csv"; fi
Rscript "$here/r/r-timings.R" "$folder" "$@"
