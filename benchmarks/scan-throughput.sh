#!/usr/bin/env bash
# Whole-process benchmark of `perisai scan` (issue 5): 1,000,000 domain indicators (a plain list) against a
# 5,000,000-line Zeek dns.log, beside `rg -F -f` and an awk hash join (mawk) on the same files, in one run.
# Reports MB/s (of dns.log) and peak resident memory for each, and perisai's indicator load time, as JSON lines.
#
#   benchmarks/scan-throughput.sh [--indicators 1000000] [--lines 5000000] [--dir /tmp/perisai-scan-bench]
#
# perisai scan runs on one thread, so its MB/s is per core. The three tools do not answer the same question:
# perisai matches the query column by domain and parent domains (a.evil.com hits evil.com, notevil.com does not);
# rg -F matches the listed strings anywhere in a line (so notevil.com hits evil.com); the awk join matches the query
# column exactly (so a.evil.com misses evil.com). Their hit counts are printed so the difference is visible.
# Needs ripgrep, mawk and GNU time (Debian: apt-get install ripgrep mawk time).
set -euo pipefail
cd "$(dirname "$0")/.."
indicators=1000000; lines=5000000; dir=/tmp/perisai-scan-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --indicators) indicators=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "usage: $0 [--indicators N] [--lines N] [--dir DIR]" >&2; exit 2 ;;
  esac
done
for tool in rg mawk /usr/bin/time; do command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install ripgrep mawk time)" >&2; exit 2; }; done
dotnet build -c Release src/Perisai.Cli -v q -nologo >/dev/null
dotnet build -c Release benchmarks/Perisai.Benchmarks -v q -nologo >/dev/null
if [ ! -f "$dir/dns.log" ] || [ "$(grep -vc '^#' "$dir/dns.log")" != "$lines" ] || [ "$(wc -l < "$dir/domains.txt")" != "$indicators" ]; then
  dotnet benchmarks/Perisai.Benchmarks/bin/Release/net10.0/Perisai.Benchmarks.dll scan-data --indicators "$indicators" --lines "$lines" --out "$dir"
fi
size=$(stat -c %s "$dir/dns.log")
list_size=$(stat -c %s "$dir/domains.txt")
run() { # name, then the command; prints seconds, peak KB, hits
  local name=$1; shift
  local out; out=$( { /usr/bin/time -f "%e %M" "$@" 2>"$dir/$name.err" | wc -l; } 2>&1 )
  local t; t=$(tail -1 "$dir/$name.err")
  echo "$name $t $out"
}
cat "$dir/dns.log" "$dir/domains.txt" > /dev/null   # warm the page cache for all three alike
read -r _ ps pk ph < <(run perisai dotnet src/Perisai.Cli/bin/Release/net10.0/perisai.dll scan "$dir/dns.log" --indicators "$dir/domains.txt" --format zeek --json)
load=$(grep -o '"indicator_load_seconds": [0-9.]*' "$dir/perisai.err" | grep -o '[0-9.]*$')
scan=$(grep -o '"elapsed_seconds": [0-9.]*' "$dir/perisai.err" | grep -o '[0-9.]*$')
read -r _ rs rk rh < <(run rg rg -F -f "$dir/domains.txt" "$dir/dns.log")
read -r _ as ak ah < <(run awk mawk -F'\t' 'NR==FNR { d[$1]; next } /^#/ { next } ($10 in d)' "$dir/domains.txt" "$dir/dns.log")
mbs() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / (s > 0 ? s : 0.001) }'; }
echo "{\"log_bytes\":$size,\"indicator_list_bytes\":$list_size,\"lines\":$lines,\"indicators\":$indicators}"
echo "{\"tool\":\"perisai scan\",\"seconds\":$ps,\"mb_per_s\":$(mbs "$ps"),\"scan_only_seconds\":$scan,\"scan_only_mb_per_s\":$(mbs "$scan"),\"indicator_load_seconds\":$load,\"peak_rss_mb\":$((pk / 1024)),\"hits\":$ph}"
echo "{\"tool\":\"rg -F -f\",\"seconds\":$rs,\"mb_per_s\":$(mbs "$rs"),\"peak_rss_mb\":$((rk / 1024)),\"matching_lines\":$rh}"
echo "{\"tool\":\"mawk hash join\",\"seconds\":$as,\"mb_per_s\":$(mbs "$as"),\"peak_rss_mb\":$((ak / 1024)),\"matching_lines\":$ah}"
