#!/usr/bin/env bash
# Whole-process federation benchmark over loopback (issue 17): starts `perisai demo region` (the hub and ten national
# nodes, joined, in one process), shares N generated TLP:GREEN indicators at the hub (in the ASEAN collection, as the
# hub's own analyst), and measures, per national node, the time until the last one has arrived there, by polling
# each node's store (`perisai export`-free: a count through the TAXII manifest as that node's own analyst).
#
#   benchmarks/federation-throughput.sh [--objects 10000] [--runs 3]
#   benchmarks/federation-throughput.sh --pair [--objects 20000] [--runs 3]
#
# --pair instead starts two `perisai serve --demo` processes, joins them with peer invite / peer join, and measures one
# push link alone: N objects shared at the first until all are at the second.
#
# Reports per run: seconds from the first POST to the last delivery at all ten nodes, and objects/s per link
# (N / time to the first node complete: one push link's throughput while the hub feeds ten at once).
set -euo pipefail
cd "$(dirname "$0")/.."
objects=10000; runs=3; pair=0
while [ $# -gt 0 ]; do
  case "$1" in
    --objects) objects=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --pair) pair=1; shift ;;
    *) echo "usage: $0 [--pair] [--objects N] [--runs N]" >&2; exit 2 ;;
  esac
done
dotnet build -c Release src/Perisai.Cli -v q -nologo >/dev/null
perisai="dotnet src/Perisai.Cli/bin/Release/net10.0/perisai.dll"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
if [ "$pair" = 1 ]; then
  for run in $(seq 1 "$runs"); do
    a=$(mktemp -d); b=$(mktemp -d); pa=$(free_port); pb=$(free_port)
    $perisai serve --demo --data "$a" --urls "http://127.0.0.1:$pa" >"$a/serve.log" 2>&1 & ia=$!
    $perisai serve --demo --data "$b" --urls "http://127.0.0.1:$pb" >"$b/serve.log" 2>&1 & ib=$!
    for _ in $(seq 1 300); do grep -q "Now listening" "$a/serve.log" 2>/dev/null && grep -q "Now listening" "$b/serve.log" 2>/dev/null && break; sleep 0.2; done
    token=$($perisai peer invite --name b --for MyCERT --collection asean --home "ASEAN Regional CERT" --url "http://127.0.0.1:$pa" --data "$a" | grep '^perisai-peer1\.')
    $perisai peer join "$token" --name a --home MyCERT --url "http://127.0.0.1:$pb" --data "$b" >/dev/null
    python3 - "$a/serve.log" "$b/serve.log" "$pa" "$pb" "$objects" <<'PY'
import json, re, sys, time, urllib.request, uuid
la, lb, pa, pb, n = open(sys.argv[1]).read(), open(sys.argv[2]).read(), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
ka = re.search(r"asean-regional-cert-analyst\s+(perisai_\S+)", la).group(1)
kb = re.search(r"mycert-analyst\s+(perisai_\S+)", lb).group(1)
def req(port, key, path, body=None):
    r = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body else "GET",
        headers={"Accept": "application/taxii+json;version=2.1", "Content-Type": "application/taxii+json;version=2.1", "Authorization": "Bearer " + key})
    return json.load(urllib.request.urlopen(r))
asean = next(c["id"] for c in req(pa, ka, "/default/collections/")["collections"] if c.get("alias") == "asean")
ids = [f"indicator--{uuid.uuid4()}" for _ in range(n)]; idset = set(ids)
obj = lambda i: {"type": "indicator", "spec_version": "2.1", "id": i, "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
    "pattern": f"[domain-name:value = 'p-{i[-12:]}.example']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}
start = time.monotonic()
for k in range(0, n, 5000):
    req(pa, ka, f"/default/collections/{asean}/objects/", json.dumps({"objects": [obj(i) for i in ids[k:k + 5000]]}).encode())
posted = time.monotonic() - start
while time.monotonic() - start < 600:
    count, url = 0, f"/default/collections/{asean}/manifest/?match[type]=indicator&limit=10000"
    while True:
        env = req(pb, kb, url)
        count += sum(1 for o in env.get("objects", []) if o["id"] in idset)
        if not env.get("more"):
            break
        url = f"/default/collections/{asean}/manifest/?match[type]=indicator&limit=10000&next={env['next']}"
    if count >= n:
        break
    time.sleep(0.2)
took = time.monotonic() - start
print(json.dumps({"objects": n, "posted_s": round(posted, 2), "delivered_s": round(took, 2), "link_objects_per_s": round(n / took)}))
PY
    kill "$ia" "$ib" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$a" "$b"
  done
  exit 0
fi
for run in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  base=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(20000 + s.getsockname()[1] % 30000)')
  $perisai demo region --data "$data" --port "$base" >"$data/region.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q "^Running" "$data/region.log" 2>/dev/null && break; sleep 0.2; done
  python3 - "$data/region.log" "$base" "$objects" <<'PY'
import json, re, sys, time, urllib.request, uuid
log, base, n = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3])
def req(port, key, path, body=None):
    r = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST" if body else "GET",
        headers={"Accept": "application/taxii+json;version=2.1", "Content-Type": "application/taxii+json;version=2.1", "Authorization": "Bearer " + key})
    return json.load(urllib.request.urlopen(r))
# Each node's line is followed by its own CERT's analyst key.
nodes = re.findall(r"^  (\S.*?)\s+http://127\.0\.0\.1:(\d+)\s+data .*\n\s+(\S+-analyst) (perisai_\S+)", log, re.M)
hub_key = next(key for _, port, _, key in nodes if int(port) == base)
asean = next(c["id"] for c in req(base, hub_key, "/default/collections/")["collections"] if c.get("alias") == "asean")
tag = uuid.uuid4().hex[:8]
ids = [f"indicator--{uuid.uuid4()}" for _ in range(n)]
idset = set(ids)
def obj(i):
    return {"type": "indicator", "spec_version": "2.1", "id": i, "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "pattern": f"[domain-name:value = 'b{tag}-{i[-12:]}.example']", "pattern_type": "stix", "valid_from": "2026-01-01T00:00:00Z"}
start = time.monotonic()
for k in range(0, n, 5000):
    req(base, hub_key, f"/default/collections/{asean}/objects/", json.dumps({"objects": [obj(i) for i in ids[k:k + 5000]]}).encode())
national = [(name, int(port), key) for name, port, _, key in nodes if int(port) != base]
done = {}
while len(done) < len(national) and time.monotonic() - start < 600:
    for name, port, key in national:
        if name in done:
            continue
        count, url = 0, f"/default/collections/{asean}/manifest/?match[type]=indicator&limit=10000"
        while True:
            env = req(port, key, url)
            count += sum(1 for o in env.get("objects", []) if o["id"] in idset)
            if not env.get("more"):
                break
            url = f"/default/collections/{asean}/manifest/?match[type]=indicator&limit=10000&next={env['next']}"
        if count >= n:
            done[name] = time.monotonic() - start
    time.sleep(0.2)
first, last = min(done.values()), max(done.values())
print(json.dumps({"objects": n, "nodes_complete": len(done), "first_node_s": round(first, 2), "last_node_s": round(last, 2),
                  "per_link_objects_per_s": round(n / first), "region_objects_per_s": round(n * len(done) / last)}))
PY
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
