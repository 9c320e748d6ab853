#!/usr/bin/env bash
# Runs the publishable benchmark set and regenerates the results page and its plots:
#   docs/benchmarks/results-<date>.md, docs/benchmarks/plots/results-<date>/*.png, docs/benchmarks/data/results-<date>/*.csv
#
#   eng/run-benchmarks.sh            publishable set: ~12-15 min on 2 idle cores. Run it on a quiet machine.
#   eng/run-benchmarks.sh --short    smoke set (fewer iterations, fewer tier cases): a few minutes; the page is
#                                    docs/benchmarks/smoke-<date>.md and is labelled as a smoke run.
#   eng/run-benchmarks.sh --report-only [--short]   regenerate the page from the existing BenchmarkDotNet.Artifacts/results.
#   --name NAME                      the page's name (default results-<date> / smoke-<date>; a run that would overwrite an
#                                    existing page of that name gets -2, -3, ... appended instead).
#
# One BenchmarkDotNet run (one build of the generated project) covers every class: the machine limits (copy bandwidth at
# 256 KiB / 8 MiB / 128 MiB, FMA peak on 1 and 2 threads: the 100 % references), softmax, SGEMM (with OpenBLAS when
# installed), chop, quantize/dequantize and format conversion, all on the v512 job; softmax (32K, 16M) and conversion
# also run on the scalar / v128 / v256 jobs (--isa-tiers=GLOB). See docs/benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

command="eng/run-benchmarks.sh $*"
short=0; report_only=0; name=""
while [ $# -gt 0 ]; do
  case $1 in
    --short) short=1 ;;
    --report-only) report_only=1 ;;
    --name) shift; name=${1:?run-benchmarks: --name needs a value} ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run-benchmarks: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

date=$(date -u +%F)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if ! git diff --quiet HEAD -- src bench 2>/dev/null; then commit="$commit (plus uncommitted changes in src/ or bench/)"; fi
results=BenchmarkDotNet.Artifacts/results

filters=('*MachineLimits*' '*.SoftmaxBenchmarks*' '*FormatsConversionBenchmarks*' '*EmulationBenchmarks*'
         '*QuantizationBenchmarks*' '*GemmBenchmarks*' '*GemmNaiveBenchmarks*' '*GemmInt8Benchmarks*'
         '*QuantizedGemvBenchmarks*' '*EmulationExtrasBenchmarks*' '*PackedCodesBenchmarks*' '*SoftmaxNativeBenchmarks*')
if [ $short -eq 1 ]; then
  stem="smoke-$date"; label=(--smoke)
  job=(--warmupCount 1 --iterationCount 3 --iterationTime 100 --launchCount 1)
  samejob=(--warmupCount 1 --iterationCount 3 --iterationTime 100)
  tiers=('--isa-tiers=*SoftmaxBenchmarks*(Length: 32768)' '--isa-tiers=*FormatsConversionBenchmarks*(Length: 32768)')
else
  stem="results-$date"; label=()
  job=(--warmupCount 2 --iterationCount 5 --iterationTime 250 --launchCount 1)
  samejob=(--warmupCount 3 --iterationCount 15 --iterationTime 250)
  tiers=('--isa-tiers=*SoftmaxBenchmarks*(Length: 32768)' '--isa-tiers=*SoftmaxBenchmarks*(Length: 16777216)'
         '--isa-tiers=*FormatsConversionBenchmarks*')
fi
if [ -n "$name" ]; then
  stem=$name
elif [ $report_only -eq 0 ] && [ -e "docs/benchmarks/$stem.md" ]; then
  # A second run on the same day keeps the first page.
  n=2
  while [ -e "docs/benchmarks/$stem-$n.md" ]; do n=$((n + 1)); done
  stem="$stem-$n"
fi

dotnet build bench/Numerics.BenchmarkReport -c Release -v q -nologo
if [ $report_only -eq 0 ]; then
  dotnet build bench/Numerics.Benchmarks -c Release -v q -nologo
  bash eng/build-native.sh   # the C softmax peer of SoftmaxNativeBenchmarks (skipped without a C compiler)
  rm -rf BenchmarkDotNet.Artifacts
  start=$(date +%s)
  # OpenBLAS must auto-detect its AVX-512 kernels (KERNELS.md G1 vs G3).
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    dotnet artifacts/bin/Numerics.Benchmarks/release/Numerics.Benchmarks.dll \
      --filter "${filters[@]}" "${tiers[@]}" "${job[@]}"
  # The out-of-cache contests once more, in one process on shared buffers (SameBuffers*: streams differ by up to 1.6x
  # between processes on the reference VM, so the per-process rows above can mislead by that much; see docs/benchmarks/README.md).
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    dotnet artifacts/bin/Numerics.Benchmarks/release/Numerics.Benchmarks.dll \
      --filter '*SameBuffers*' --inProcess "${samejob[@]}"
  echo "run-benchmarks: benchmarks took $(( $(date +%s) - start )) s"
fi

dotnet artifacts/bin/Numerics.BenchmarkReport/release/Numerics.BenchmarkReport.dll \
  --results "$results" --out docs/benchmarks --name "$stem" --date "$date" --commit "$commit" \
  --command "$command" "${label[@]}"
mkdir -p "docs/benchmarks/data/$stem"
cp "$results"/*.csv "docs/benchmarks/data/$stem/"
echo "run-benchmarks: docs/benchmarks/$stem.md, plots in docs/benchmarks/plots/$stem/, BenchmarkDotNet CSV in docs/benchmarks/data/$stem/"
