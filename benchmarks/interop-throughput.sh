#!/usr/bin/env bash
# Whole-process benchmark of imports and exports (issue 6): imports 1,000,000 CSV indicators (an abuse.ch Feodo
# Tracker layout, one address per row), then exports the 1,000,000 indicators as a STIX 2.1 bundle, as a MISP feed
# directory and as a DNS RPZ zone. Reports objects/s and peak resident memory of each `perisai` process, as JSON lines.
# Anchor (issue 6): a MISP restSearch over 45,640 attributes took 19 minutes (PyMISP issue 583). Goal: each of the four
# under 60 s here, peak memory under 1 GB.
#
#   benchmarks/interop-throughput.sh [--rows 1000000] [--dir /tmp/perisai-interop-bench]
#
# Needs GNU time (Debian: apt-get install time); named-checkzone (bind9-utils) is used to check the zone when present.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=1000000; dir=/tmp/perisai-interop-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--dir DIR]" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "GNU time is missing (apt-get install time)" >&2; exit 2; }
dotnet build -c Release src/Perisai.Cli -v q -nologo >/dev/null
perisai=(dotnet src/Perisai.Cli/bin/Release/net10.0/perisai.dll)
rm -rf "$dir/data" "$dir/feed" "$dir"/*.json "$dir"/*.rpz
mkdir -p "$dir"
if [ ! -f "$dir/ipblocklist.csv" ] || [ "$(grep -vc '^[#"]first' "$dir/ipblocklist.csv")" != "$((rows))" ]; then
  benchmarks/feodo-csv.sh "$rows" "$dir/ipblocklist.csv"
fi
"${perisai[@]}" org add BenchCERT --data "$dir/data" >/dev/null
"${perisai[@]}" collection add --title "Bench" --alias bench --owner BenchCERT --data "$dir/data" >/dev/null

run() { # name, objects, then the command: prints one JSON line
  local name=$1 objects=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || { echo "$name failed:" >&2; tail -5 "$dir/$name.err" >&2; exit 1; }
  read -r secs kb < "$dir/$name.time"
  awk -v n="$name" -v o="$objects" -v s="$secs" -v k="$kb" 'BEGIN { printf "{\"step\":\"%s\",\"objects\":%d,\"seconds\":%s,\"objects_per_s\":%.0f,\"peak_rss_mb\":%d}\n", n, o, s, o / (s > 0 ? s : 0.001), k / 1024 }'
}
echo "{\"rows\":$rows,\"csv_bytes\":$(stat -c %s "$dir/ipblocklist.csv")}"
run import-csv "$rows" "${perisai[@]}" import "$dir/ipblocklist.csv" --preset feodo --collection bench --as BenchCERT --data "$dir/data" --json
added=$(grep -o '"added": [0-9]*' "$dir/import-csv.out" | grep -o '[0-9]*$')
[ "$added" = "$rows" ] || { echo "import added $added of $rows" >&2; exit 1; }
run export-stix "$rows" "${perisai[@]}" export --collection bench --as BenchCERT --format stix --out "$dir/bundle.json" --data "$dir/data"
run export-misp-feed "$rows" "${perisai[@]}" export --collection bench --as BenchCERT --format misp-feed --out "$dir/feed" --data "$dir/data"
run export-rpz "$rows" "${perisai[@]}" export --collection bench --as BenchCERT --format rpz --out "$dir/zone.rpz" --data "$dir/data"
echo "{\"check\":\"bundle objects\",\"count\":$(grep -o '"type":"indicator"' "$dir/bundle.json" | wc -l)}"
echo "{\"check\":\"feed events\",\"count\":$(ls "$dir/feed" | grep -c '^[0-9a-f-]*\.json$'),\"hashes\":$(wc -l < "$dir/feed/hashes.csv")}"
echo "{\"check\":\"rpz triggers\",\"count\":$(grep -c 'rpz-ip CNAME' "$dir/zone.rpz")}"
if command -v named-checkzone >/dev/null; then
  echo "{\"check\":\"named-checkzone\",\"result\":\"$(named-checkzone -q rpz.perisai "$dir/zone.rpz" && echo ok || echo failed)\"}"
fi
