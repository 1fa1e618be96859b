#!/usr/bin/env bash
# Regenerates mcpanel_generated.csv: writes the generated panels, runs MCPanel on them (5,000 x 100 takes about 4 minutes).
#   tests/CausalPanel.Tests/TestData/reference/mcpanel_generated.sh > tests/CausalPanel.Tests/TestData/reference/mcpanel_generated.csv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../../../.."
folder="$(mktemp -d)"
trap 'rm -rf "$folder"' EXIT
sizes=(100x20 500x50 1000x50 5000x100)
for size in "${sizes[@]}"; do
  n=${size%x*}; t=${size#*x}
  dotnet run -c Release --project "$root/benchmarks/CausalPanel.Benchmarks" -- panel block "$n" "$t" $((n / 10)) $((t / 5)) "$folder/block$size.csv" >&2
done
Rscript "$here/mcpanel_generated.R" "$folder" "${sizes[@]}"
