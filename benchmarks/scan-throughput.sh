#!/usr/bin/env bash
# Whole-process benchmark of `perisai scan` (issue 5): 1,000,000 domain indicators (a plain list) against a
# 5,000,000-line Zeek dns.log, beside `rg -F -f` and an awk hash join (mawk) on the same files, in one run.
# Also perisai alone on a Suricata eve.json of a fifth as many events (same names), for the JSON path.
# Reports MB/s (of dns.log) and peak resident memory for each, and perisai's indicator load time, as JSON lines.
# For perisai also its peak private (anonymous) memory, sampled every 10 ms: resident memory counts the runtime's code
# (shared pages of libcoreclr, the JIT and the framework, some 35 MB) whatever the list; private memory is what the
# process made. Then, for how memory grows with the list, the same load of a list ten times larger (--scale).
#
#   benchmarks/scan-throughput.sh [--indicators 1000000] [--lines 5000000] [--scale 10] [--dir /tmp/perisai-scan-bench]
#
# perisai scan runs on one thread, so its MB/s is per core; it also reports its MB per second of processor time (every
# thread of the process counted), the rate per core whatever else ran on the machine. The three tools do not answer the same question:
# perisai matches the query column by domain and parent domains (a.evil.com hits evil.com, notevil.com does not);
# rg -F matches the listed strings anywhere in a line (so notevil.com hits evil.com); the awk join matches the query
# column exactly (so a.evil.com misses evil.com). Their hit counts are printed so the difference is visible.
# Needs ripgrep, mawk and GNU time (Debian: apt-get install ripgrep mawk time).
set -euo pipefail
cd "$(dirname "$0")/.."
indicators=1000000; lines=5000000; scale=10; dir=/tmp/perisai-scan-bench
while [ $# -gt 0 ]; do
  case "$1" in
    --indicators) indicators=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "usage: $0 [--indicators N] [--lines N] [--scale K] [--dir DIR]" >&2; exit 2 ;;
  esac
done
for tool in rg mawk /usr/bin/time; do command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install ripgrep mawk time)" >&2; exit 2; }; done
dotnet build -c Release src/Perisai.Cli -v q -nologo >/dev/null
dotnet build -c Release benchmarks/Perisai.Benchmarks -v q -nologo >/dev/null
if [ ! -f "$dir/dns.log" ] || [ ! -f "$dir/eve.json" ] || [ "$(grep -vc '^#' "$dir/dns.log")" != "$lines" ] || [ "$(wc -l < "$dir/domains.txt")" != "$indicators" ]; then
  dotnet benchmarks/Perisai.Benchmarks/bin/Release/net10.0/Perisai.Benchmarks.dll scan-data --indicators "$indicators" --lines "$lines" --out "$dir"
fi
size=$(stat -c %s "$dir/dns.log")
list_size=$(stat -c %s "$dir/domains.txt")
run() { # name, then the command; prints seconds, peak KB, hits
  local name=$1; shift
  local out; out=$( { /usr/bin/time -f "%e %M" "$@" 2>"$dir/$name.err" | wc -l; } 2>&1 ) || true  # exit 1: nothing found
  local t; t=$(tail -1 "$dir/$name.err")
  echo "$name $t $out"
}
# perisai through a shell that notes its process id and then becomes it, so its memory can be watched.
perisai=(sh -c 'echo $$ > "$0"; exec dotnet src/Perisai.Cli/bin/Release/net10.0/perisai.dll "$@"' "$dir/perisai.pid")
watch_private() { # waits for perisai to start, then prints its largest RssAnon (KB), sampled every 10 ms
  local pid="" peak=0 v
  while [ ! -s "$dir/perisai.pid" ]; do sleep 0.005; done
  pid=$(cat "$dir/perisai.pid")
  while v=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status" 2>/dev/null); [ -n "$v" ]; do
    [ "$v" -gt "$peak" ] && peak=$v
    sleep 0.01
  done
  echo "$peak"
}
cat "$dir/dns.log" "$dir/domains.txt" > /dev/null   # warm the page cache for all three alike
rm -f "$dir/perisai.pid"; watch_private > "$dir/private" &
read -r _ ps pk ph < <(run perisai "${perisai[@]}" scan "$dir/dns.log" --indicators "$dir/domains.txt" --format zeek --json)
wait
pa=$(cat "$dir/private")
load=$(grep -o '"indicator_load_seconds": [0-9.]*' "$dir/perisai.err" | grep -o '[0-9.]*$')
scan=$(grep -o '"elapsed_seconds": [0-9.]*' "$dir/perisai.err" | grep -o '[0-9.]*$')
per_cpu=$(grep -o '"mb_per_cpu_second": [0-9.]*' "$dir/perisai.err" | grep -o '[0-9.]*$')
cat "$dir/eve.json" > /dev/null
read -r _ es ek eh < <(run perisai-eve "${perisai[@]}" scan "$dir/eve.json" --indicators "$dir/domains.txt" --json)
escan=$(grep -o '"elapsed_seconds": [0-9.]*' "$dir/perisai-eve.err" | grep -o '[0-9.]*$')
read -r _ rs rk rh < <(run rg rg -F -f "$dir/domains.txt" "$dir/dns.log")
read -r _ as ak ah < <(run awk mawk -F'\t' 'NR==FNR { d[$1]; next } /^#/ { next } ($10 in d)' "$dir/domains.txt" "$dir/dns.log")
mbs() { awk -v b="$size" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / (s > 0 ? s : 0.001) }'; }
echo "{\"log_bytes\":$size,\"indicator_list_bytes\":$list_size,\"lines\":$lines,\"indicators\":$indicators}"
echo "{\"tool\":\"perisai scan\",\"seconds\":$ps,\"mb_per_s\":$(mbs "$ps"),\"scan_only_seconds\":$scan,\"scan_only_mb_per_s\":$(mbs "$scan"),\"scan_mb_per_cpu_second\":$per_cpu,\"indicator_load_seconds\":$load,\"peak_rss_mb\":$((pk / 1024)),\"peak_private_mb\":$((pa / 1024)),\"hits\":$ph}"
eve_size=$(stat -c %s "$dir/eve.json")
echo "{\"tool\":\"perisai scan, Suricata EVE\",\"log_bytes\":$eve_size,\"seconds\":$es,\"scan_only_seconds\":$escan,\"scan_only_mb_per_s\":$(awk -v b="$eve_size" -v s="$escan" 'BEGIN { printf "%.1f", b / 1e6 / (s > 0 ? s : 0.001) }'),\"peak_rss_mb\":$((ek / 1024)),\"hits\":$eh}"
echo "{\"tool\":\"rg -F -f\",\"seconds\":$rs,\"mb_per_s\":$(mbs "$rs"),\"peak_rss_mb\":$((rk / 1024)),\"matching_lines\":$rh}"
echo "{\"tool\":\"mawk hash join\",\"seconds\":$as,\"mb_per_s\":$(mbs "$as"),\"peak_rss_mb\":$((ak / 1024)),\"matching_lines\":$ah}"
# How memory grows with the list: the list K times larger, loaded against a log of one line.
big="$dir/scale-$scale"
if [ ! -f "$big/domains.txt" ] || [ "$(wc -l < "$big/domains.txt")" != "$((indicators * scale))" ]; then
  dotnet benchmarks/Perisai.Benchmarks/bin/Release/net10.0/Perisai.Benchmarks.dll scan-data --indicators "$((indicators * scale))" --lines 1 --out "$big"
fi
cat "$big/domains.txt" > /dev/null
rm -f "$dir/perisai.pid"; watch_private > "$dir/private" &
read -r _ bs bk _ < <(run perisai-scale "${perisai[@]}" scan "$big/dns.log" --indicators "$big/domains.txt" --format zeek --json)
wait
ba=$(cat "$dir/private")
bload=$(grep -o '"indicator_load_seconds": [0-9.]*' "$dir/perisai-scale.err" | grep -o '[0-9.]*$')
echo "{\"tool\":\"perisai scan, list x$scale\",\"indicators\":$((indicators * scale)),\"indicator_list_bytes\":$(stat -c %s "$big/domains.txt"),\"indicator_load_seconds\":$bload,\"peak_rss_mb\":$((bk / 1024)),\"peak_private_mb\":$((ba / 1024))}"
