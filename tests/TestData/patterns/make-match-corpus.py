#!/usr/bin/env python3
"""Writes match-cases.json: the evaluation corpus of the patterning tests (issue 4).

Fixtures are observed-data documents (STIX 2.0 `objects` form and STIX 2.1 bundles with `object_refs`). Each case is
a pattern, a fixture, and the ids of the observed-data that the match must name (an empty list: no match). The
expectations are decided here from STIX 2.1 section 9: written out by hand for the semantic cases, and for the
order matrices computed with Python's own exact comparisons (int/float compare exactly, str compares by code point,
bytes as unsigned octets: the rules of 9.6.1-9.6.3), never by running Perisai. Rerun to regenerate.
"""
import json, operator, os

here = os.path.dirname(os.path.abspath(__file__))

def od(oid, objects, first="2026-03-01T00:00:00Z", last=None, n=1):
    return {"type": "observed-data", "spec_version": "2.1", "id": oid,
            "created": "2026-03-01T00:00:00.000Z", "modified": "2026-03-01T00:00:00.000Z",
            "first_observed": first, "last_observed": last or first, "number_observed": n, "objects": objects}

fixtures = {}
cases = []

def case(fixture, pattern, ids):
    cases.append({"fixture": fixture, "pattern": pattern, "observations": ids})

# ---------------------------------------------------------------- a file, its directory, a second file
fixtures["file"] = [od("observed-data--f0000000-0000-4000-8000-000000000001", {
    "0": {"type": "file", "name": "foo.dll", "size": 25536,
          "hashes": {"MD5": "79054025255fb1a26e4bc422aef54eb4",
                     "SHA-256": "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c"},
          "mime_type": "application/x-dosexec", "created": "2016-05-12T08:17:27Z", "magic_number_hex": "4D5A9000",
          "parent_directory_ref": "1",
          "extensions": {"windows-pebinary-ext": {"pe_type": "exe", "sections": [
              {"name": ".text", "entropy": 7.2, "size": 1024}, {"name": ".data", "entropy": 3.0}]}},
          "x_flag": True, "x_none": None, "x_tags": ["apt", "ransomware"], "x_big": 9007199254740993,
          "x_ratio": 0.5, "x_count": 3, "x_map": {"a.b": "dotted", "k-1": "hyphen"}},
    "1": {"type": "directory", "path": "C:\\Windows\\System32", "contains_refs": ["0", "2"]},
    "2": {"type": "file", "name": "ok.txt", "size": 10}})]
F = ["observed-data--f0000000-0000-4000-8000-000000000001"]
N = []
pe = "file:extensions.'windows-pebinary-ext'.sections"
for p, m in [
    # strings: code point order, case-sensitive, each file object tried in turn
    ("[file:name = 'foo.dll']", F), ("[file:name = 'FOO.DLL']", N), ("[file:name = 'ok.txt']", F),
    ("[file:name != 'foo.dll']", F), ("[file:name != 'nothing']", F), ("[file:name < 'g']", F), ("[file:name < 'a']", N),
    ("[file:name > 'foo.dl']", F), ("[file:name >= 'foo.dll']", F), ("[file:name <= 'foo.dl']", N),
    ("[file:name > 'p']", N), ("[file:name > 'o']", F), ("[file:name = 'foo.dl']", N), ("[file:name = '']", N),
    # numbers: integer and float constants compare exactly with JSON numbers
    ("[file:size = 25536]", F), ("[file:size = 25536.0]", F), ("[file:size = 25536.5]", N), ("[file:size > 25535.9]", F),
    ("[file:size < 25536.1]", F), ("[file:size != 10]", F), ("[file:size > 100000]", N), ("[file:size >= 25536]", F),
    ("[file:size <= 9]", N), ("[file:size < 11]", F), ("[file:x_big > 9007199254740991]", F),
    ("[file:x_big = 9007199254740992.0]", N), ("[file:x_big > 9007199254740992.0]", F), ("[file:x_ratio = 0.5]", F),
    ("[file:x_ratio < 1]", F), ("[file:x_ratio = 0]", N), ("[file:x_count = 3.0]", F), ("[file:x_count < 3.0000001]", F),
    # incompatible types: false, except != (9.6.1); NOT negates that
    ("[file:size = '25536']", N), ("[file:size != '25536']", F), ("[file:name = 25536]", N), ("[file:name != 1]", F),
    ("[file:size NOT = '25536']", F), ("[file:size NOT != '25536']", N), ("[file:size < 'a']", N),
    ("[file:hashes = 'x']", N), ("[file:hashes != 'x']", F),
    # booleans
    ("[file:x_flag = true]", F), ("[file:x_flag = false]", N), ("[file:x_flag != false]", F), ("[file:x_flag = 'true']", N),
    ("[file:x_flag != 1]", F), ("[file:x_flag NOT = true]", N),
    # absent properties and null: false whatever the operator (9.6)
    ("[file:x_none = 'x']", N), ("[file:x_none != 'x']", N), ("[file:missing = 'x']", N), ("[file:missing != 'x']", N),
    ("[file:missing NOT = 'x']", N), ("[file:name NOT = 'x']", F), ("[file:missing NOT IN ('x')]", N),
    ("[file:missing NOT LIKE 'x']", N),
    # EXISTS
    ("[EXISTS file:name]", F), ("[NOT EXISTS file:name]", N), ("[EXISTS file:hashes]", F), ("[NOT EXISTS file:hashes]", F),
    ("[EXISTS file:hashes.MD5]", F), ("[EXISTS file:hashes.'SHA-1']", N), ("[EXISTS directory:contains_refs[1]]", F),
    ("[EXISTS directory:contains_refs[2]]", N), ("[EXISTS network-traffic:src_port]", N),
    ("[NOT EXISTS network-traffic:src_port]", N), ("[EXISTS file:x_none]", N), ("[NOT EXISTS file:x_none]", F),
    ("[EXISTS file:parent_directory_ref.path]", F), ("[EXISTS file:parent_directory_ref.name]", N),
    # dictionaries and quoted keys
    ("[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']", F),
    ("[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']", F),
    ("[file:hashes.md5 = '79054025255fb1a26e4bc422aef54eb4']", N), ("[file:x_map.'a.b' = 'dotted']", F),
    ("[file:x_map.'k-1' = 'hyphen']", F), ("[file:x_map.a = 'dotted']", N),
    # lists (9.7.2)
    (f"[{pe}[*].entropy > 7.0]", F), (f"[{pe}[*].entropy > 7.5]", N), (f"[{pe}[0].name = '.text']", F),
    (f"[{pe}[1].name = '.text']", N), (f"[{pe}[1].name = '.data']", F), (f"[{pe}[2].name = '.data']", N),
    (f"[{pe}[-1].name = '.data']", N), (f"[{pe}[*].size = 1024]", F), (f"[{pe}[1].size = 1024]", N),
    (f"[{pe}[*].size != 1024]", N), (f"[{pe}[*].entropy NOT > 5]", F), (f"[{pe}[*].entropy NOT < 10]", N),
    ("[file:x_tags[*] = 'ransomware']", F), ("[file:x_tags[0] = 'ransomware']", N), ("[file:x_tags[*] = 'worm']", N),
    ("[file:x_tags = 'apt']", N), ("[file:x_tags != 'apt']", F), ("[file:x_tags[*] IN ('worm', 'apt')]", F),
    ("[file:x_tags[1] LIKE 'ransom%']", F),
    # references, followed within the observation (9.7.4)
    ("[file:parent_directory_ref.path = 'C:\\\\Windows\\\\System32']", F),
    ("[file:parent_directory_ref.path = 'C:\\\\Windows']", N),
    ("[directory:contains_refs[*].name = 'ok.txt']", F), ("[directory:contains_refs[0].name = 'ok.txt']", N),
    ("[directory:contains_refs[1].size = 10]", F), ("[directory:contains_refs[*].parent_directory_ref.path LIKE 'C:%']", F),
    ("[directory:contains_refs[*].hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']", F),
    # one SCO for all of AND (9.5)
    ("[file:name = 'foo.dll' AND file:size = 25536]", F), ("[file:name = 'foo.dll' AND file:size = 10]", N),
    ("[file:name = 'ok.txt' AND file:size = 10]", F), ("[file:name = 'foo.dll' OR file:size = 99]", F),
    ("[file:name = 'x' OR directory:path = 'C:\\\\Windows\\\\System32']", F),
    ("[(file:name = 'foo.dll' AND file:size = 10) OR file:name = 'ok.txt']", F),
    ("[file:name = 'foo.dll' AND (file:size = 10 OR file:size = 25536)]", F),
    ("[file:name = 'ok.txt' AND EXISTS file:hashes]", N), ("[file:name = 'ok.txt' AND NOT EXISTS file:hashes]", F),
    ("[file:name = 'x' OR file:name = 'y' OR file:size = 10]", F),
    # timestamps: t'' compares instants, a string constant compares text
    ("[file:created = t'2016-05-12T08:17:27Z']", F), ("[file:created = t'2016-05-12T08:17:27.000Z']", F),
    ("[file:created < t'2016-05-12T08:17:28Z']", F), ("[file:created > t'2016-05-12T08:17:27Z']", N),
    ("[file:created >= t'2016-05-12T08:17:27.000001Z']", N), ("[file:created = '2016-05-12T08:17:27Z']", F),
    ("[file:created = '2016-05-12T08:17:27.000Z']", N), ("[file:name = t'2016-05-12T08:17:27Z']", N),
    ("[file:name != t'2016-05-12T08:17:27Z']", F),
    # hex property: decoded to octets (9.6.4)
    ("[file:magic_number_hex = h'4d5a9000']", F), ("[file:magic_number_hex = b'TVqQAA==']", F),
    ("[file:magic_number_hex > h'4d5a']", F), ("[file:magic_number_hex < h'4d5b']", F), ("[file:magic_number_hex < h'4d5a']", N),
    ("[file:magic_number_hex = '4D5A9000']", N), ("[file:magic_number_hex != '4D5A9000']", F),
    ("[file:magic_number_hex IN (h'00', h'4d5a9000')]", F), ("[file:magic_number_hex MATCHES '^MZ']", F),
    # LIKE (whole value, NFC) and MATCHES (search, DOTALL)
    ("[file:name LIKE 'foo%']", F), ("[file:name LIKE 'foo.dl_']", F), ("[file:name LIKE 'foo.d_']", N),
    ("[file:name LIKE '%.DLL']", N), ("[file:name LIKE '%']", F), ("[file:name NOT LIKE 'foo%']", F),
    ("[file:name NOT LIKE '%.%']", N), ("[directory:path LIKE 'C:\\\\Windows\\\\%']", F), ("[file:name LIKE 'foo.dll_']", N),
    ("[file:size LIKE '2%']", N), ("[file:name LIKE 'f.o%']", N),
    ("[file:name MATCHES '^foo']", F), ("[file:name MATCHES 'dll$']", F), ("[file:name MATCHES 'o\\\\.d']", F),
    ("[file:name MATCHES '^x']", N), ("[file:name MATCHES '(?i)FOO']", F), ("[file:size MATCHES '2']", N),
    ("[file:name MATCHES '^f.o']", F), ("[file:name NOT MATCHES '.']", N),
    # IN
    ("[file:name IN ('a', 'foo.dll')]", F), ("[file:name IN ('a', 'b')]", N), ("[file:name NOT IN ('foo.dll', 'ok.txt')]", N),
    ("[file:name NOT IN ('foo.dll')]", F), ("[file:size IN (1, 2, 25536)]", F), ("[file:size IN (25536.0)]", F),
    ("[file:size NOT IN ('x')]", F), ("[file:size IN ('25536')]", N),
    # object types absent from the observation
    ("[url:value = 'x']", N), ("[NOT EXISTS url:value]", N), ("[url:value != 'x']", N),
]:
    case("file", p, m)

# ---------------------------------------------------------------- the example of 9.5: one SCO per reference
SR = ["observed-data--0960319a-3cab-4258-a143-4dbb25525bb1"]
fixtures["spec-refs"] = [od(SR[0], {
    "0": {"type": "network-traffic", "src_ref": "1"}, "1": {"type": "ipv4-addr", "value": "203.0.113.10"},
    "2": {"type": "network-traffic", "dst_ref": "3"}, "3": {"type": "ipv4-addr", "value": "198.51.100.58"}},
    first="2019-10-20T00:12:01.000000Z", last="2019-10-20T00:51:02.000000Z")]
for p, m in [
    ("[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58']", N),
    ("[network-traffic:src_ref.value = '203.0.113.10']", SR), ("[network-traffic:dst_ref.value = '198.51.100.58']", SR),
    ("[network-traffic:src_ref.value = '203.0.113.10' OR network-traffic:dst_ref.value = '198.51.100.58']", SR),
    ("[ipv4-addr:value = '203.0.113.10' AND ipv4-addr:value = '198.51.100.58']", N),
    ("[network-traffic:src_ref.value = '203.0.113.10/32']", SR),
    ("[network-traffic:src_ref.value ISSUBSET '203.0.113.0/24']", SR),
    ("[network-traffic:dst_ref.value ISSUBSET '203.0.113.0/24']", N),
    ("[network-traffic:src_ref.value = '198.51.100.58']", N),
    ("[EXISTS network-traffic:src_ref AND EXISTS network-traffic:dst_ref]", N),
    ("[ipv4-addr:value = '203.0.113.10'] AND [ipv4-addr:value = '198.51.100.58']", N),
]:
    case("spec-refs", p, m)

# ---------------------------------------------------------------- network objects
NT = ["observed-data--a0000000-0000-4000-8000-000000000002"]
fixtures["net"] = [od(NT[0], {
    "0": {"type": "network-traffic", "src_ref": "1", "dst_ref": "2", "src_port": 49152, "dst_port": 443,
          "protocols": ["ipv4", "tcp", "tls"], "start": "2026-01-01T00:00:00Z",
          "extensions": {"http-request-ext": {"request_method": "get", "request_value": "/index.html",
                                              "request_header": {"User-Agent": "Mozilla/5.0", "Host": "evil.example"}}}},
    "1": {"type": "ipv4-addr", "value": "198.51.100.7"},
    "2": {"type": "ipv4-addr", "value": "203.0.113.0/27"},
    "3": {"type": "ipv6-addr", "value": "2001:db8::1"},
    "4": {"type": "ipv6-addr", "value": "2001:0db8:0000:0000:0000:0000:0000:0002/127"},
    "5": {"type": "domain-name", "value": "evil.example", "resolves_to_refs": ["1", "2", "9"]}})]
for p, m in [
    ("[ipv4-addr:value = '198.51.100.7']", NT), ("[ipv4-addr:value = '198.51.100.7/32']", NT),
    ("[ipv4-addr:value = '198.51.100.07']", N), ("[ipv4-addr:value != '198.51.100.7/32']", NT),
    ("[ipv4-addr:value = '203.0.113.0/27']", NT), ("[ipv4-addr:value = '203.0.113.5/27']", NT),
    ("[ipv4-addr:value = '203.0.113.0/28']", N), ("[ipv4-addr:value = '198.51.100.8']", N),
    ("[ipv4-addr:value IN ('192.0.2.1', '198.51.100.7/32')]", NT),
    ("[ipv4-addr:value ISSUBSET '198.51.100.0/24']", NT), ("[ipv4-addr:value ISSUBSET '198.51.100.7/32']", NT),
    ("[ipv4-addr:value ISSUBSET '198.51.100.8/29']", N), ("[ipv4-addr:value ISSUBSET '203.0.113.0/24']", NT),
    ("[ipv4-addr:value ISSUBSET '203.0.113.0/28']", N), ("[ipv4-addr:value ISSUBSET '0.0.0.0/0']", NT),
    ("[ipv4-addr:value ISSUBSET '2001:db8::/32']", N), ("[ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']", NT),
    ("[ipv4-addr:value ISSUPERSET '203.0.113.16/28']", NT), ("[ipv4-addr:value ISSUPERSET '203.0.113.32/28']", N),
    ("[ipv4-addr:value ISSUPERSET '198.51.100.7']", NT), ("[ipv4-addr:value ISSUPERSET '198.51.100.0/24']", N),
    ("[ipv6-addr:value = '2001:0db8::0001']", NT), ("[ipv6-addr:value = '2001:DB8::1']", NT),
    ("[ipv6-addr:value = '2001:db8::3']", N), ("[ipv6-addr:value ISSUBSET '2001:db8::/32']", NT),
    ("[ipv6-addr:value ISSUPERSET '2001:db8::3']", NT), ("[ipv6-addr:value ISSUPERSET '2001:db8::4']", N),
    ("[ipv6-addr:value ISSUBSET '198.51.100.0/24']", N), ("[ipv6-addr:value ISSUBSET '2001:db8::/126']", NT),
    ("[ipv6-addr:value ISSUBSET '2001:db8::2/128']", N),
    ("[network-traffic:dst_port = 443]", NT), ("[network-traffic:dst_port > 1023]", N),
    ("[network-traffic:src_port > 1023]", NT), ("[network-traffic:src_port IN (80, 443)]", N),
    ("[network-traffic:protocols[*] = 'tls']", NT), ("[network-traffic:protocols[0] = 'ipv4']", NT),
    ("[network-traffic:protocols[0] = 'tcp']", N), ("[network-traffic:protocols[3] = 'tcp']", N),
    ("[network-traffic:protocols[*] LIKE 't%']", NT), ("[network-traffic:protocols[*] MATCHES '^udp$']", N),
    ("[network-traffic:src_ref.value = '198.51.100.7']", NT), ("[network-traffic:dst_ref.value ISSUPERSET '203.0.113.1']", NT),
    ("[network-traffic:src_ref.value = '198.51.100.7' AND network-traffic:dst_port = 443]", NT),
    ("[network-traffic:src_ref.value = '198.51.100.7' AND network-traffic:dst_port = 80]", N),
    ("[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' LIKE 'Mozilla%']", NT),
    ("[network-traffic:extensions.'http-request-ext'.request_method = 'GET']", N),
    ("[network-traffic:extensions.'http-request-ext'.request_method = 'get']", NT),
    ("[network-traffic:start = t'2026-01-01T00:00:00Z']", NT), ("[network-traffic:start < t'2025-12-31T23:59:59Z']", N),
    ("[domain-name:resolves_to_refs[*].value = '198.51.100.7']", NT),
    ("[domain-name:resolves_to_refs[2].value = '198.51.100.7']", N), ("[EXISTS domain-name:resolves_to_refs[2].value]", N),
    ("[EXISTS domain-name:resolves_to_refs[2]]", NT), ("[domain-name:resolves_to_refs[*].value ISSUBSET '203.0.113.0/24']", NT),
    ("[domain-name:value = 'evil.example' AND domain-name:resolves_to_refs[*].value = '198.51.100.7']", NT),
    ("[domain-name:value = 'EVIL.example']", N), ("[url:value = 'x']", N),
]:
    case("net", p, m)

# ---------------------------------------------------------------- binary properties (the example of 9.6.4)
AR = ["observed-data--b0000000-0000-4000-8000-000000000003"]
fixtures["artifact"] = [od(AR[0], {
    "0": {"type": "artifact", "mime_type": "application/octet-stream", "payload_bin": "dGhpcyBpcyBhIHRlc3Q=",
          "x_bad_bin": "not base64!!"},
    "1": {"type": "x509-certificate", "serial_number": "36:f7:d4:32:f4:ab:70:ea", "x_thumb_hex": "ABCDEF"}})]
for p, m in [
    ("[artifact:payload_bin = 'dGhpcyBpcyBhIHRlc3Q=']", N), ("[artifact:payload_bin = 'this is a test']", AR),
    ("[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']", AR), ("[artifact:payload_bin = h'7468697320697320612074657374']", AR),
    ("[artifact:payload_bin != 'this is a test']", N), ("[artifact:payload_bin = 't\u0101st']", N),
    ("[artifact:payload_bin != 't\u0101st']", AR), ("[artifact:payload_bin != '\u00fcn\u00efc\u00f6d\u00e9']", AR),
    ("[artifact:payload_bin > 'this is a tes']", AR), ("[artifact:payload_bin < 'this is a test!']", AR),
    ("[artifact:payload_bin > h'75']", N), ("[artifact:payload_bin < h'75']", AR),
    ("[artifact:payload_bin LIKE 'this%']", AR), ("[artifact:payload_bin MATCHES 'is a']", AR),
    ("[artifact:payload_bin MATCHES '^dGhp']", N), ("[artifact:x_bad_bin = 'x']", N), ("[artifact:x_bad_bin != 'x']", N),
    ("[EXISTS artifact:x_bad_bin]", AR), ("[artifact:mime_type = 'application/octet-stream']", AR),
    ("[x509-certificate:x_thumb_hex = h'abcdef']", AR), ("[x509-certificate:x_thumb_hex = b'q83v']", AR),
    ("[x509-certificate:x_thumb_hex = 'ABCDEF']", N), ("[x509-certificate:serial_number LIKE '36:f7:%']", AR),
    ("[artifact:payload_bin IN ('nope', 'this is a test')]", AR), ("[artifact:mime_type = b'AAAA']", N),
]:
    case("artifact", p, m)

# ---------------------------------------------------------------- STIX 2.1: object_refs into a bundle
EM = "observed-data--c0000000-0000-4000-8000-000000000004"
msg, a, b, c = ("email-message--0c57a381-2a17-5e61-8754-5ef96efb286c", "email-addr--2d77a846-6264-5d51-b586-e43822ea1ea3",
                "email-addr--8a3a8d3d-3b7e-5b07-9a6d-4a1e6e8e4b64", "email-addr--9b0f3d1c-6f5e-5a2b-8c4d-2e1f0a9b8c7d")
fixtures["email21"] = {"type": "bundle", "id": "bundle--c0000000-0000-4000-8000-00000000000b", "objects": [
    {"type": "observed-data", "spec_version": "2.1", "id": EM, "created": "2026-11-01T09:05:00.000Z",
     "modified": "2026-11-01T09:05:00.000Z", "first_observed": "2026-11-01T09:00:00Z",
     "last_observed": "2026-11-01T09:00:00Z", "number_observed": 1, "object_refs": [msg, a, c]},
    {"type": "email-message", "spec_version": "2.1", "id": msg, "is_multipart": False, "from_ref": a, "to_refs": [b, c],
     "subject": "Invoice 2026", "date": "2026-11-01T09:00:00Z"},
    {"type": "email-addr", "spec_version": "2.1", "id": a, "value": "attacker@evil.example"},
    {"type": "email-addr", "spec_version": "2.1", "id": b, "value": "victim@gov.example"},
    {"type": "email-addr", "spec_version": "2.1", "id": c, "value": "cert@gov.example"}]}
E = [EM]
for p, m in [
    ("[email-message:from_ref.value = 'attacker@evil.example']", E), ("[email-message:to_refs[*].value = 'cert@gov.example']", E),
    ("[email-message:to_refs[*].value = 'victim@gov.example']", N), ("[email-message:to_refs[0].value = 'victim@gov.example']", N),
    ("[email-addr:value = 'victim@gov.example']", N), ("[email-addr:value = 'cert@gov.example']", E),
    ("[email-message:subject MATCHES '^Invoice \\\\d{4}$']", E), ("[email-message:is_multipart = false]", E),
    ("[email-message:date > t'2026-10-31T23:59:59.999Z']", E),
    ("[email-message:from_ref.value LIKE '%@evil.example' AND email-message:subject LIKE 'Invoice%']", E),
    ("[EXISTS email-message:to_refs[1].value]", E), ("[EXISTS email-message:to_refs[0].value]", N),
    ("[email-message:to_refs[*].value LIKE '%@gov.example']", E), ("[email-message:from_ref.value = 'cert@gov.example']", N),
    (f"[email-message:from_ref = '{a}']", E),
]:
    case("email21", p, m)

# ---------------------------------------------------------------- Unicode: code point order, NFC for LIKE/MATCHES
def uni(key, name):
    return od(f"observed-data--d0000000-0000-4000-8000-0000000000{key}", {"0": {"type": "software", "name": name}})
U = {"dec": "o\u0300", "pre": "\u00f2", "astral": "\U0001d4b3", "repl": "\ufffd", "oz": "oz"}
keys = {"dec": "51", "pre": "52", "astral": "53", "repl": "54", "oz": "55"}
fixtures["unicode"] = [uni(keys[k], v) for k, v in U.items()]
def ids(*names):
    return [f"observed-data--d0000000-0000-4000-8000-0000000000{keys[k]}" for k in U if k in names]
for p, m in [
    ("[software:name = '\u00f2']", ids("pre")), ("[software:name = 'o\u0300']", ids("dec")),
    ("[software:name LIKE '\u00f2']", ids("dec", "pre")), ("[software:name LIKE 'o\u0300']", ids("dec", "pre")),
    ("[software:name LIKE '_']", ids("dec", "pre", "astral", "repl")), ("[software:name LIKE '__']", ids("oz")),
    ("[software:name MATCHES '^\u00f2$']", ids("dec", "pre")), ("[software:name > 'oz']", ids("dec", "pre", "astral", "repl")),
    ("[software:name < 'z']", ids("dec", "oz")), ("[software:name > '\ufffd']", ids("astral")),
    ("[software:name < '\U0001d4b3']", ids("dec", "pre", "repl", "oz")), ("[software:name LIKE 'o%']", ids("oz")),
    ("[software:name IN ('oz', '\u00f2')]", ids("pre", "oz")),
]:
    case("unicode", p, m)

# ---------------------------------------------------------------- a timeline for the observation operators and qualifiers
T0 = "2026-03-01T00:"
def tid(k):
    return f"observed-data--e0000000-0000-4000-8000-0000000000{k}"
IP1, DNS1, IP2, DNS2, URL1, FILE1 = (tid(k) for k in ("61", "62", "63", "64", "65", "66"))
fixtures["timeline"] = [
    od(IP1, {"0": {"type": "ipv4-addr", "value": "10.0.0.1"}}, first=T0 + "00:00Z"),
    od(DNS1, {"0": {"type": "domain-name", "value": "evil.example"}}, first=T0 + "00:30Z"),
    od(IP2, {"0": {"type": "ipv4-addr", "value": "10.0.0.1"}}, first=T0 + "01:00Z", last=T0 + "02:00Z"),
    od(DNS2, {"0": {"type": "domain-name", "value": "evil.example"}}, first=T0 + "10:00Z", n=3),
    od(URL1, {"0": {"type": "url", "value": "http://evil.example/a"}}, first="2026-03-02T00:00:00Z"),
    od(FILE1, {"0": {"type": "file", "name": "dropper.exe"}}, first="2026-02-28T23:59:00Z", last=T0 + "05:00Z"),
]
ip, dns, url, fil = "[ipv4-addr:value = '10.0.0.1']", "[domain-name:value = 'evil.example']", "[url:value = 'http://evil.example/a']", "[file:name = 'dropper.exe']"
for p, m in [
    (ip, [IP1, IP2]), (dns, [DNS1, DNS2]), (f"{ip} AND {dns}", [IP1, DNS1, IP2, DNS2]), (f"{ip} AND {ip}", [IP1, IP2]),
    (f"{url} AND {url}", N), (f"{dns} REPEATS 4 TIMES", [DNS1, DNS2]), (f"{dns} REPEATS 5 TIMES", N),
    (f"{dns} REPEATS 3 TIMES", [DNS1, DNS2]), (f"{url} REPEATS 1 TIMES", [URL1]), (f"{url} REPEATS 2 TIMES", N),
    (f"{dns} AND {dns} AND {dns} AND {dns}", [DNS1, DNS2]), (f"{dns} AND {dns} AND {dns} AND {dns} AND {dns}", N),
    (f"{ip} FOLLOWEDBY {dns}", [IP1, DNS1, IP2, DNS2]), (f"{dns} FOLLOWEDBY {ip}", [DNS1, IP2]),
    (f"{url} FOLLOWEDBY {ip}", N), (f"{ip} FOLLOWEDBY {url}", [IP1, IP2, URL1]),
    (f"{fil} FOLLOWEDBY {ip}", [IP1, IP2, FILE1]), (f"{ip} FOLLOWEDBY {fil}", [IP1, IP2, FILE1]),
    (f"{dns} FOLLOWEDBY {dns}", [DNS1, DNS2]), (f"{url} FOLLOWEDBY {url}", N),
    (f"{url} FOLLOWEDBY {dns}", N), (f"{dns} FOLLOWEDBY {fil}", [DNS1, FILE1]),
    (f"{ip} FOLLOWEDBY {dns} FOLLOWEDBY {url}", [IP1, DNS1, IP2, DNS2, URL1]),
    (f"{url} FOLLOWEDBY {dns} FOLLOWEDBY {ip}", N),
    (f"({ip} AND {dns}) WITHIN 60 SECONDS", [IP1, DNS1, IP2]), (f"({ip} AND {dns}) WITHIN 30 SECONDS", N),
    (f"({ip} AND {dns}) WITHIN 30.5 SECONDS", [IP1, DNS1, IP2]), (f"({ip} AND {dns}) WITHIN 1 SECONDS", N),
    (f"({ip} AND {dns}) WITHIN 480.5 SECONDS", [IP1, DNS1, IP2, DNS2]),
    (f"{ip} REPEATS 2 TIMES WITHIN 60 SECONDS", N), (f"{ip} REPEATS 2 TIMES WITHIN 61 SECONDS", [IP1, IP2]),
    (f"{dns} REPEATS 3 TIMES WITHIN 1 SECONDS", [DNS2]), (f"{dns} REPEATS 4 TIMES WITHIN 1 SECONDS", N),
    (f"{dns} REPEATS 4 TIMES WITHIN 570.001 SECONDS", [DNS1, DNS2]),
    (f"({ip} AND {url}) WITHIN 86400 SECONDS", [IP2, URL1]), (f"({ip} AND {url}) WITHIN 86280 SECONDS", N),
    (f"({ip} AND {url}) WITHIN 86280.5 SECONDS", [IP2, URL1]), (f"({ip} AND {url}) WITHIN 86401 SECONDS", [IP1, IP2, URL1]),
    (f"({fil} AND {ip}) WITHIN 1 SECONDS", [IP1, IP2, FILE1]), (f"({fil} AND {dns}) WITHIN 1 SECONDS", [DNS1, FILE1]),
    (f"{dns} START t'2026-03-01T00:05:00Z' STOP t'2026-03-01T00:15:00Z'", [DNS2]),
    (f"{dns} START t'2026-03-01T00:00:30Z' STOP t'2026-03-01T00:10:00Z'", [DNS1]),
    (f"{dns} START t'2026-03-01T00:00:30.001Z' STOP t'2026-03-01T00:10:00.001Z'", [DNS2]),
    (f"{ip} START t'2026-03-01T00:00:30Z' STOP t'2026-03-01T00:01:30Z'", N),
    (f"{ip} START t'2026-03-01T00:00:00Z' STOP t'2026-03-01T00:02:00.000001Z'", [IP1, IP2]),
    (f"{fil} START t'2026-03-01T00:00:00Z' STOP t'2026-03-02T00:00:00Z'", N),
    (f"{fil} START t'2026-02-28T00:00:00Z' STOP t'2026-03-02T00:00:00Z'", [FILE1]),
    (f"({ip} AND {dns}) START t'2026-03-01T00:00:00Z' STOP t'2026-03-01T00:05:00Z'", [IP1, DNS1, IP2]),
    (f"{ip} REPEATS 2 TIMES START t'2026-03-01T00:00:00Z' STOP t'2026-03-01T00:02:00Z'", N),
    (f"{ip} REPEATS 2 TIMES START t'2026-03-01T00:00:00Z' STOP t'2026-03-01T00:02:00.001Z'", [IP1, IP2]),
    (f"{ip} OR {url}", [IP1, IP2, URL1]), (f"[ipv4-addr:value = '10.0.0.9'] OR {url}", [URL1]),
    (f"[ipv4-addr:value = '10.0.0.9'] OR [url:value = 'x']", N),
    (f"({ip} FOLLOWEDBY {dns}) REPEATS 2 TIMES", [IP1, DNS1, IP2, DNS2]),
    (f"({ip} FOLLOWEDBY {url}) REPEATS 3 TIMES", N),
    (f"{ip} FOLLOWEDBY {dns} REPEATS 3 TIMES", [IP1, DNS1, IP2, DNS2]),
    (f"{ip} FOLLOWEDBY {dns} REPEATS 4 TIMES", [IP1, DNS1, DNS2]),
    (f"{dns} FOLLOWEDBY {dns} REPEATS 3 TIMES", [DNS1, DNS2]),
    (f"[ipv4-addr:value = '10.0.0.1' OR domain-name:value = 'evil.example'] REPEATS 6 TIMES", [IP1, DNS1, IP2, DNS2]),
    (f"[ipv4-addr:value = '10.0.0.1' OR domain-name:value = 'evil.example'] REPEATS 7 TIMES", N),
    (f"{ip} AND {dns} AND {url}", [IP1, DNS1, IP2, DNS2, URL1]),
    (f"({ip} OR {url}) AND {fil}", [IP1, IP2, URL1, FILE1]),
    (f"({ip} AND {dns}) OR {url}", [IP1, DNS1, IP2, DNS2, URL1]),
    (f"({ip} AND [ipv4-addr:value = '10.0.0.9']) OR {url}", [URL1]),
    (f"(({ip} AND {dns}) WITHIN 60 SECONDS) FOLLOWEDBY {url}", [IP1, DNS1, IP2, URL1]),
    (f"{ip} FOLLOWEDBY ({dns} AND {url}) WITHIN 1 SECONDS", N),
    (f"({ip} FOLLOWEDBY {dns}) WITHIN 30 SECONDS", N), (f"({ip} FOLLOWEDBY {dns}) WITHIN 31 SECONDS", [IP1, DNS1]),
]:
    case("timeline", p, m)

# ---------------------------------------------------------------- order matrices (9.6.1-9.6.3), exact oracles
OPS = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

def matrix(name, typ, prop, values, literals, to_literal, compare=lambda v, l: (v, l)):
    objs = []
    for i, v in enumerate(values):
        objs.append(od(f"observed-data--90000000-0000-4000-8000-{name}{i:08d}", {"0": {"type": typ, prop: v}}))
    fixtures["matrix-" + name] = objs
    for lit in literals:
        for text, fn in OPS.items():
            hits = [o["id"] for o, v in zip(objs, values) if fn(*compare(v, lit))]
            case("matrix-" + name, f"[{typ}:{prop} {text} {to_literal(lit)}]", hits)

# Integers and floats, compared exactly (Python compares int with float without rounding).
matrix("0num", "x-measure", "v", [-9007199254740993, -1, 0, 0.5, 1, 1.5, 3, 9007199254740993],
       [-1, 0, 1, 3, 9007199254740991, 0.5, 1.4999, -0.5, 9007199254740992.0],
       lambda l: repr(l) if isinstance(l, float) else str(l))
# Strings by code point: Python's str order is code point order.
matrix("0str", "x-text", "v", ["", "a", "ab", "b", "A", "o", "oz", "o\u0300", "\u00f2", "z", "\ufffd", "\U0001d4b3"],
       ["a", "o", "oz", "\u00f2", "\ufffd", "\U0001d4b3", ""], lambda l: "'" + l + "'")
# Octets, unsigned, shorter-is-less: Python's bytes order.
matrix("0bin", "x-blob", "v_hex", ["", "00", "0000", "7f", "80", "ff", "00ff"],
       ["00", "80", "ff", "", "0000"], lambda l: "h'" + l + "'",
       compare=lambda v, l: (bytes.fromhex(v), bytes.fromhex(l)))

with open(os.path.join(here, "match-cases.json"), "w", encoding="utf-8") as f:
    json.dump({"fixtures": fixtures, "cases": cases}, f, ensure_ascii=False, indent=1)
print(len(cases), "cases")
