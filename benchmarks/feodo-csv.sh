#!/usr/bin/env bash
# Writes a CSV in abuse.ch's Feodo Tracker layout with N distinct addresses (from 1.0.0.0 upwards), dated over a
# year, five malware families: the input of the million-indicator benchmarks.
#   benchmarks/feodo-csv.sh ROWS OUT
set -euo pipefail
awk -v n="$1" 'BEGIN {
  print "\"first_seen_utc\",\"dst_ip\",\"dst_port\",\"c2_status\",\"last_online\",\"malware\"";
  split("QakBot Emotet Dridex TrickBot BumbleBee", fam, " ");
  for (i = 0; i < n; i++) {
    a = 16777216 + i * 7;
    printf "\"2026-%02d-%02d %02d:%02d:%02d\",\"%d.%d.%d.%d\",\"443\",\"online\",\"2026-11-28\",\"%s\"\n",
      1 + i % 11, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, int(a / 16777216), int(a / 65536) % 256, int(a / 256) % 256, a % 256, fam[1 + i % 5];
  }
}' > "$2"
