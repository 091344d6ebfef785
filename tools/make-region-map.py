#!/usr/bin/env python3
"""Writes src/Perisai.Web/Assets/region-map.json: the outlines of the ten ASEAN member states (and their neighbours,
for context) as SVG paths, for the dashboard's map. Run once; the output is committed, so the node needs no map data
or tiles at run time.

Input: countries-50m.json of the npm package world-atlas 2.0.2 (Natural Earth 4.1.0 Admin 0 boundaries at 1:50m,
public domain; TopoJSON by Mike Bostock, ISC). Get it with `npm pack world-atlas@2` and pass its path:

    tools/make-region-map.py package/countries-50m.json > src/Perisai.Web/Assets/region-map.json

Equirectangular projection over longitude 91..142 E, latitude 12 S..29 N (x scaled by cos 8.5 deg, the region's
middle), rings simplified (Douglas-Peucker, 0.35 units) and rounded to 0.1 unit; rings under 2 square units are dropped
except for Singapore and Brunei, which are small everywhere.
"""
import json
import math
import sys

MEMBERS = {"096": ("BN", "Brunei"), "116": ("KH", "Cambodia"), "360": ("ID", "Indonesia"), "418": ("LA", "Laos"),
           "458": ("MY", "Malaysia"), "104": ("MM", "Myanmar"), "608": ("PH", "Philippines"), "702": ("SG", "Singapore"),
           "764": ("TH", "Thailand"), "704": ("VN", "Vietnam")}
NEIGHBOURS = {"156": ("CN", "China"), "356": ("IN", "India"), "050": ("BD", "Bangladesh"), "626": ("TL", "Timor-Leste"),
              "598": ("PG", "Papua New Guinea"), "036": ("AU", "Australia"), "158": ("TW", "Taiwan"), "064": ("BT", "Bhutan")}
LON0, LON1, LAT0, LAT1 = 91.0, 142.0, -12.0, 29.0
WIDTH = 600.0
KX = math.cos(math.radians((LAT0 + LAT1) / 2))
SCALE = WIDTH / ((LON1 - LON0) * KX)
HEIGHT = (LAT1 - LAT0) * SCALE


def project(lon, lat):
    return ((lon - LON0) * KX * SCALE, (LAT1 - lat) * SCALE)


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc if not points else arc[1:])
    return points


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    def distance(p, a, b):
        (x, y), (x1, y1), (x2, y2) = p, a, b
        dx, dy = x2 - x1, y2 - y1
        if dx == dy == 0:
            return math.hypot(x - x1, y - y1)
        t = max(0, min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        best, index = 0.0, -1
        for i in range(a + 1, b):
            d = distance(points[i], points[a], points[b])
            if d > best:
                best, index = d, i
        if best > tolerance:
            keep[index] = True
            stack.append((a, index))
            stack.append((index, b))
    return [p for p, k in zip(points, keep) if k]


def area(points):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def main():
    topo = json.load(open(sys.argv[1]))
    arcs = decode_arcs(topo)
    out = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        gid = str(geometry.get("id", ""))
        if gid not in MEMBERS and gid not in NEIGHBOURS:
            continue
        code, name = MEMBERS.get(gid) or NEIGHBOURS[gid]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        parts = []
        for polygon in polygons:
            for indexes in polygon:
                projected = [project(lon, lat) for lon, lat in ring(arcs, indexes)]
                if all(x < -20 or x > WIDTH + 20 or y < -20 or y > HEIGHT + 20 for x, y in projected):
                    continue
                points = simplify(projected, 0.35)
                if len(points) < 3 or (area(points) < 2 and code not in ("SG", "BN")):
                    continue
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        if parts:
            out.append({"code": code, "name": name, "member": gid in MEMBERS, "path": "".join(parts)})
    json.dump({"source": "Natural Earth 4.1.0 Admin 0 boundaries, 1:50m (public domain), via world-atlas 2.0.2; tools/make-region-map.py",
               "width": round(WIDTH, 1), "height": round(HEIGHT, 1), "countries": sorted(out, key=lambda c: (c["member"], c["code"]))},
              sys.stdout, separators=(",", ":"))


main()
