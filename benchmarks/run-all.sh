#!/usr/bin/env bash
# Issue 18's benchmark run: every BenchmarkDotNet case below, then the R timings on the same panels, one after the other
# in one run on one machine (run it on a quiet machine: nothing else busy). Results go to benchmarks/results/<UTC time>/.
#   benchmarks/run-all.sh            # everything (about an hour; the R part adds about 10 minutes with --slow)
#   benchmarks/run-all.sh '*Block5000x100.McCv*' '*DwcpTuned*'    # only these BenchmarkDotNet filters, then R
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/results/$(date -u +%Y%m%dT%H%MZ)"
mkdir -p "$out"
filters=("$@")
if [ ${#filters[@]} -eq 0 ]; then
  filters=('*Block5000x100*' '*Staggered5000x100*' '*Block100000x50*' '*DwcpTuned.Tuned*' '*Staggered500x5*'
           '*CaliforniaEstimators*' '*CaliforniaVariance*' '*CpsVariance*' '*CpsDwcp*')
fi
{ echo "# $(date -u) on $(hostname): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"; uptime; } | tee "$out/machine.txt"
dotnet build -c Release "$here/CausalPanel.Benchmarks" > "$out/build.log"
dotnet run -c Release --no-build --project "$here/CausalPanel.Benchmarks" -- --filter "${filters[@]}" \
  --artifacts "$out/BenchmarkDotNet" 2>&1 | tee "$out/benchmarkdotnet.log"
for panel in block100000x50 block5000x100; do
  for method in did sc sdid; do
    dotnet run -c Release --no-build --project "$here/CausalPanel.Benchmarks" -- peak "$panel" "$method" | tee -a "$out/peak.txt"
  done
done
"$here/r-timings.sh" --slow 2>&1 | tee "$out/r-timings.txt"
echo "Results: $out (summaries in $out/BenchmarkDotNet/results/*.md)"
