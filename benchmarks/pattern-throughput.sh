#!/usr/bin/env bash
# Whole-process benchmark of the STIX pattern matcher (issue 4): compiles 10,000 generated indicator patterns, reads
# 100,000 generated observed-data, then per run indexes the observations and matches every pattern against all of them
# on one thread. Reports pattern×observation evaluations per second (patterns × observations / seconds), for the first
# run and the median of --runs, plus compile and read rates and peak memory, as JSON.
#
#   benchmarks/pattern-throughput.sh [--patterns 10000] [--observations 100000] [--runs 5] [--write DIR]
#
# --write DIR also writes the exact workload (patterns.txt, observed-data.json), so that another matcher (the OASIS
# Python one: benchmarks/pattern-anchor.py) can be timed on the same work.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release benchmarks/Perisai.Benchmarks -v q -nologo >/dev/null
exec dotnet benchmarks/Perisai.Benchmarks/bin/Release/net10.0/Perisai.Benchmarks.dll patterns --runs 5 "$@"
