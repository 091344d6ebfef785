#!/usr/bin/env bash
# Whole-process benchmark of the web interface (issue 7): server time per page with 1,000,000 stored objects.
# Imports a 1,000,000-row Feodo-layout CSV (benchmarks/feodo-csv.sh) into a fresh SQLite node, starts `perisai serve`,
# signs in over HTTP (cookie and anti-forgery token, as a browser does) and times the dashboard, a search by value and
# an object page, each requested --runs times after one warm-up; prints the median and the slowest, in milliseconds,
# as JSON lines. Goal (issue 7): under 200 ms for the dashboard, search and object pages.
#
#   benchmarks/web-pages.sh [--rows 1000000] [--runs 7] [--dir /tmp/perisai-web-bench]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=1000000; runs=7; dir=/tmp/perisai-web-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "usage: $0 [--rows N] [--runs N] [--dir DIR]" >&2; exit 2 ;;
  esac
done
dotnet build -c Release src/Perisai.Cli -v q -nologo >/dev/null
perisai=(dotnet src/Perisai.Cli/bin/Release/net10.0/perisai.dll)
mkdir -p "$dir"
if [ ! -f "$dir/data/perisai.db" ] || [ "$(cat "$dir/rows" 2>/dev/null)" != "$rows" ]; then
  rm -rf "$dir/data"
  benchmarks/feodo-csv.sh "$rows" "$dir/ipblocklist.csv"
  "${perisai[@]}" org add BenchCERT --data "$dir/data" >/dev/null
  "${perisai[@]}" collection add --title "Bench" --alias bench --owner BenchCERT --data "$dir/data" >/dev/null
  "${perisai[@]}" key add --org BenchCERT --account web-bench --data "$dir/data" >/dev/null
  printf 'web-bench-password\n' | "${perisai[@]}" account password web-bench --password-stdin --data "$dir/data" >/dev/null
  "${perisai[@]}" import "$dir/ipblocklist.csv" --preset feodo --collection bench --as BenchCERT --data "$dir/data" --json >/dev/null
  echo "$rows" > "$dir/rows"
fi
port=$((20000 + RANDOM % 20000))
"${perisai[@]}" serve --data "$dir/data" --urls "http://127.0.0.1:$port" > "$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do grep -q "Now listening" "$dir/serve.log" && break; sleep 1; done
base="http://127.0.0.1:$port"
jar="$dir/cookies"; rm -f "$jar"
token=$(curl -s -c "$jar" -b "$jar" "$base/ui/login" | grep -o 'RequestVerificationToken" value="[^"]*' | sed 's/.*value="//')
curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "_handler=login" --data-urlencode "__RequestVerificationToken=$token" \
  --data-urlencode "Form.Account=web-bench" --data-urlencode "Form.Password=web-bench-password" "$base/ui/login"
# An address from the middle of the list, and its indicator's page.
value=$(sed -n "$((rows / 2 + 2))p" "$dir/ipblocklist.csv" | cut -d, -f2 | tr -d '"')
object=$(curl -s -b "$jar" "$base/ui/search?q=$value" | grep -o '/ui/objects/indicator--[0-9a-f-]*' | head -1)
[ -n "$object" ] || { echo "search for $value found no indicator" >&2; exit 1; }
time_page() { # name, path
  local name=$1 path=$2 times=()
  curl -s -b "$jar" -o /dev/null "$base$path"
  for _ in $(seq 1 "$runs"); do times+=("$(curl -s -b "$jar" -o /dev/null -w '%{time_total}' "$base$path")"); done
  printf '%s\n' "${times[@]}" | sort -n | awk -v n="$name" -v p="$path" '{ t[NR] = $1 * 1000 } END {
    printf "{\"page\":\"%s\",\"path\":\"%s\",\"runs\":%d,\"median_ms\":%.1f,\"max_ms\":%.1f}\n", n, p, NR, t[int((NR + 1) / 2)], t[NR] }'
}
echo "{\"objects\":$rows}"
time_page dashboard "/ui/"
time_page search "/ui/search?q=$value"
time_page object "$object"
