#!/usr/bin/env bash
# Whole-process TAXII benchmark over loopback: starts `perisai serve` (SQLite, or PostgreSQL with --postgres),
# POSTs N generated indicators in envelopes, waits for every status to complete, pages them all back, and reports
# objects/s for both, the server's peak resident memory, and the store's bytes per object.
#
#   benchmarks/taxii-throughput.sh [--objects 100000] [--runs 3] [--warmup 20000] [--reads 5] [--read-as member|producer]
#                                  [--postgres "Host=127.0.0.1;...;Database=..."]
#
# Each run first ingests --warmup objects into a separate collection (reported as cold_ingest_objects_per_s), so the
# measured run shows the steady state of a node that has been up for a while; --warmup 0 measures a cold start.
# The collection is then read --reads times and the median pass reported. --read-as member (the default) reads with the
# key of another organization that was granted read access, so every row goes through the TLP rule of the sharing
# filter; --read-as producer reads with the writer's own key.
set -euo pipefail
cd "$(dirname "$0")/.."
objects=100000; runs=3; pg=""; warmup=20000; reads=5; read_as=member
while [ $# -gt 0 ]; do
  case "$1" in
    --objects) objects=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --postgres) pg=$2; shift 2 ;;
    --reads) reads=$2; shift 2 ;;
    --read-as) read_as=$2; shift 2 ;;
    *) echo "usage: $0 [--objects N] [--runs N] [--warmup N] [--reads N] [--read-as member|producer] [--postgres CONNSTRING]" >&2; exit 2 ;;
  esac
done
dotnet build -c Release src/Perisai.Cli -v q -nologo >/dev/null
dotnet build -c Release benchmarks/Perisai.Benchmarks -v q -nologo >/dev/null
perisai="dotnet src/Perisai.Cli/bin/Release/net10.0/perisai.dll"
load="dotnet benchmarks/Perisai.Benchmarks/bin/Release/net10.0/Perisai.Benchmarks.dll load"

for run in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  store=(--data "$data"); [ -n "$pg" ] && store=(--postgres "$pg")
  $perisai serve "${store[@]}" --urls "http://127.0.0.1:$port" >"$data/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do grep -q "Now listening" "$data/serve.log" 2>/dev/null && break; sleep 0.2; done
  key=$(grep -o 'PERISAI_KEY=perisai_[A-Za-z0-9_-]*' "$data/serve.log" | head -n1 | cut -d= -f2 || true)
  if [ -z "$key" ] && [ -n "$pg" ]; then
    # An existing PostgreSQL node already has its administrator; issue a key for the benchmark.
    $perisai key add --org "Node operator" --account admin "${store[@]}" --label bench --json >"$data/key.json"
    key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$data/key.json")
  fi
  collection="bench-$run-$$"
  $perisai collection add --title "$collection" --id "$collection" "${store[@]}" >/dev/null
  reader=()
  if [ "$read_as" = member ]; then
    $perisai org add "Bench reader $run-$$" --country SG --kind national-cert "${store[@]}" >/dev/null
    $perisai collection grant "$collection" --org "Bench reader $run-$$" --read "${store[@]}" >/dev/null
    $perisai key add --org "Bench reader $run-$$" --account "bench-reader-$run-$$" --role reader --label bench "${store[@]}" --json >"$data/reader.json"
    reader=(--read-key "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secret"])' "$data/reader.json")")
  fi
  warm=()
  if [ "$warmup" -gt 0 ]; then
    $perisai collection add --title "$collection-warmup" --id "$collection-warmup" "${store[@]}" >/dev/null
    warm=(--warmup "$warmup" --warmup-collection "$collection-warmup")
  fi
  result=$($load --url "http://127.0.0.1:$port" --key "$key" --collection "$collection" --objects "$objects" --reads "$reads" "${warm[@]}" "${reader[@]}")
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  if [ -n "$pg" ] && command -v psql >/dev/null; then
    bytes=$(psql "$(python3 -c 'import sys; print(" ".join(p.replace("Username","user").replace("Host","host").replace("Port","port").replace("Password","password").replace("Database","dbname") for p in sys.argv[1].split(";") if p))' "$pg")" -Atc \
      "SELECT pg_total_relation_size('objects') / GREATEST(COUNT(*),1) FROM objects" 2>/dev/null || echo "?")
  else
    bytes=$(( $(du -sb "$data" | cut -f1) / (objects + warmup) ))
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "run $run: $result peak_rss_mb=$((rss_kb / 1024)) store_bytes_per_object=$bytes"
  rm -rf "$data"
done
