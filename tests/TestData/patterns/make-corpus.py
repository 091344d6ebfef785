#!/usr/bin/env python3
"""Writes valid.txt and invalid.txt: the pattern corpus of the patterning tests (issue 4).

Each verdict is decided here, by construction, from STIX 2.1 section 9 and the grammar (shared/specs/STIXPattern.g4),
never by running Perisai's parser. valid.txt: one pattern per line. invalid.txt: CODE<TAB>OFFSET<TAB>pattern, where
CODE and the 1-based OFFSET are those of the first error. Rerun to regenerate; the output is deterministic.
"""
import itertools, os

here = os.path.dirname(os.path.abspath(__file__))

paths = [
    "file:name", "file:size", "file:hashes.'SHA-256'", "file:hashes.MD5", "file:hashes.'SHA-1'",
    "file:parent_directory_ref.path", "file:extensions.'windows-pebinary-ext'.sections[*].entropy",
    "file:extensions.'windows-pebinary-ext'.sections[0].name", "ipv4-addr:value", "ipv6-addr:value",
    "domain-name:value", "domain-name:resolves_to_refs[*].value", "url:value", "email-addr:value",
    "email-message:from_ref.value", "email-message:body_multipart[*].body_raw_ref.name",
    "network-traffic:dst_ref.value", "network-traffic:src_port", "network-traffic:protocols[0]",
    "network-traffic:protocols[*]", "process:command_line", "process:image_ref.name", "process:pid",
    "user-account:account_login", "windows-registry-key:key", "windows-registry-key:values[*].name",
    "x509-certificate:serial_number", "artifact:payload_bin", "file:magic_number_hex", "x-usb-device:usbdrive.serial_number",
    "software:name", "mutex:name", "autonomous-system:number", "directory:path", "file:'x_custom.key'",
]
strings = ["'foo.dll'", "'evil.example'", "'198.51.100.1'", "'it\\'s'", "'C:\\\\Windows\\\\System32'", "''", "'ünïcödé'", "'a b c'"]
numbers = ["0", "1", "-1", "25536", "7.0", "-0.5", ".5", "+3", "9007199254740991", "-9007199254740991"]
others = ["true", "false", "b'ABI='", "b'dGhpcyBpcyBhIHRlc3Q='", "h'ffd8'", "h''", "t'2014-01-13T07:03:17Z'", "t'2016-06-01T00:00:00.123Z'"]

valid = []
# Comparisons of every kind on many paths.
for i, p in enumerate(paths):
    valid.append(f"[{p} = {strings[i % len(strings)]}]")
    valid.append(f"[{p} != {numbers[i % len(numbers)]}]")
    valid.append(f"[{p} NOT = {others[i % len(others)]}]")
    valid.append(f"[{p} > {numbers[(i + 3) % len(numbers)]}]")
    valid.append(f"[{p} <= {strings[(i + 1) % len(strings)]}]")
    valid.append(f"[{p} IN ({strings[i % 5]}, {strings[(i + 2) % 5]})]")
    valid.append(f"[{p} LIKE 'C:\\\\Windows\\\\%\\\\foo_'] ")
    valid.append(f"[EXISTS {p}]")
    valid.append(f"[NOT EXISTS {p}]")
    valid.append(f"[{p} MATCHES '^.+\\\\.exe$']")
for op in ["<", ">", "<=", ">=", "=", "!="]:
    for lit in numbers + ["'abc'", "b'AAAA'", "h'00ff'", "t'2020-02-29T23:59:59.999Z'"]:
        valid.append(f"[file:size {op} {lit}]")
for net in ["'198.51.100.0/24'", "'10.0.0.0/8'", "'2001:0db8:dead:beef:0000:0000:0000:0000/64'", "'203.0.113.33'", "'::1'"]:
    valid.append(f"[ipv4-addr:value ISSUBSET {net}]")
    valid.append(f"[ipv6-addr:value NOT ISSUPERSET {net}]")
# Boolean structure inside one observation.
valid += [
    "[file:name = 'a' AND file:size = 1]",
    "[file:name = 'a' OR ipv4-addr:value = '1.2.3.4']",
    "[(file:name = 'a' OR file:name = 'b') AND file:size > 10]",
    "[file:name = 'a' AND (file:size = 1 OR file:size = 2) AND file:hashes.MD5 = 'x']",
    "[(type-a:property_j = 'W' AND type-a:property_k = 'X') OR (type-b:property_m = 'Y' AND type-b:property_n = 'Z')]",
    "[((((file:name = 'deep'))))]",
    "[file:name = 'a' OR file:name = 'b' OR file:name = 'c' OR file:name = 'd']",
    "[network-traffic:src_ref.value = '203.0.113.10' AND network-traffic:dst_ref.value = '198.51.100.58']",
    "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
]
# Observation operators and qualifiers.
obs = ["[file:name = 'a']", "[ipv4-addr:value = '1.2.3.4']", "[domain-name:value = 'x.example']"]
for a, b in itertools.permutations(obs, 2):
    for op in ["AND", "OR", "FOLLOWEDBY"]:
        valid.append(f"{a} {op} {b}")
        valid.append(f"({a} {op} {b}) WITHIN 300 SECONDS")
        valid.append(f"{a} {op} {b} REPEATS 5 TIMES")
quals = ["WITHIN 5 SECONDS", "WITHIN 0.5 SECONDS", "REPEATS 2 TIMES", "START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"]
for q1, q2 in itertools.permutations(quals, 2):
    if q1.split()[0] != q2.split()[0]:
        valid.append(f"[file:name = 'q'] {q1} {q2}")
for q in quals:
    valid.append(f"([file:name = 'q'] {q}) {q}")
valid += [
    "([file:name = 'a'] AND [file:name = 'b'] AND [file:name = 'c'])",
    "(([file:name = 'a'] OR [file:name = 'b']) FOLLOWEDBY [file:name = 'c']) WITHIN 60 SECONDS",
    "[a-b:c = 1]",
    "  [file:name='x']  ",
    "[file:name\n=\n'x']",
    "[file:name = 'x'] /* a comment */",
    "[file:name = 'x'] // trailing comment",
    "[file:name == 'x']",
    "[file:name <> 'x']",
    "[file:name\u00a0=\u3000'x']",
    "[file:size IN ()]",
    "[file:size IN (1, 2.5, -3)]",
    "[artifact:payload_bin = b'dGhp\ncyBpcyBhIHRlc3Q=']",
    "[file:'name' = 'x']",
    "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
]

invalid = []  # (code, offset, pattern)
def bad(code, pattern, at, after=0):
    """at: the substring whose first character is the first error (searched from index `after`), or an int offset."""
    off = at if isinstance(at, int) else pattern.index(at, after) + 1
    invalid.append((code, off, pattern))

for p in paths[:25]:
    bad("PAT010", f"[{p} = ]", "]", len(p) + 1)
    bad("PAT011", f"[{p} = 'x'", len(f"[{p} = 'x'") + 1)
    bad("PAT010", f"[{p} 'x']", "'x'", len(p) + 1)
    bad("PAT010", f"[{p} < true]", "true", len(p) + 1)
    bad("PAT010", f"[{p} LIKE 5]", "5", len(p) + 1)
    bad("PAT002", f"[{p} = 'unterminated]", "'unterminated", len(p) + 1)
    bad("PAT003", f"[{p} = 'bad \\n escape']", "\\n", len(p) + 1)
    bad("PAT010", f"{p} = 'x'", 1)
    bad("PAT012", f"[{p} = 'x'] [{p} = 'y']", f"[{p} = 'y']")
    bad("PAT010", f"[{p} = 'x' AND]", "]", len(p) + 1)
for lit, code in [("h'abc'", "PAT006"), ("h'zz'", "PAT006"), ("b'ABC'", "PAT007"), ("b'A==='", "PAT007"), ("b'@@@@'", "PAT007"),
                  ("t'2016-13-01T00:00:00Z'", "PAT008"), ("t'2016-02-30T00:00:00Z'", "PAT008"), ("t'2016-06-01 00:00:00Z'", "PAT008"),
                  ("t'2016-06-01T00:00:00'", "PAT008"), ("t'2016-06-01T24:00:00Z'", "PAT008"), ("t'2016-06-01T00:60:00Z'", "PAT008"),
                  ("t'0000-01-01T00:00:00Z'", "PAT008"), ("t'2016-12-31T23:59:60Z'", "PAT008"), ("t'2016-06-01T00:00:00.Z'", "PAT008"), ("007", "PAT004"), ("1.", "PAT004"),
                  ("9007199254740992", "PAT005"), ("-9007199254740992", "PAT005"), ("99999999999999999999", "PAT005")]:
    for p in ["file:size", "file:name", "artifact:payload_bin"]:
        bad(code, f"[{p} = {lit}]", lit)
for junk in ["#", "$", "@", "`", "~", "?", "€", "\\"]:
    bad("PAT001", f"[file:name = 'x' {junk}]", junk)
    bad("PAT001", f"[file:name {junk} 'x']", junk)
bad("PAT014", "", 1)
bad("PAT014", "   ", 1)
bad("PAT014", "/* only a comment */", 1)
bad("PAT009", "[file:name = 'x'] /* never closed", "/*")
bad("PAT015", "[file:hash-es = 'x']", "hash-es")
bad("PAT015", "[file:hashes.SHA-256 = 'x']", "SHA-256")
bad("PAT015", "[file:extensions.windows-pebinary-ext.sections[*].entropy > 7.0]", "windows-pebinary-ext")
for t in ["File", "FILE", "ab", "a--b", "file_name", "x" * 251, "-ab"]:
    if t.startswith("-"):
        continue
    bad("PAT016", f"[{t}:name = 'x']", 2)
for a, b in [("file:name = 'a'", "ipv4-addr:value = '1.2.3.4'"), ("url:value = 'x'", "domain-name:value = 'y'"),
             ("process:pid = 1", "file:size = 2"), ("EXISTS file:name", "NOT EXISTS mutex:name"), ("file:size IN (1)", "software:name IN ('a')")]:
    bad("PAT020", f"[{a} AND {b}]", b)
    bad("PAT020", f"[({a} OR {a}) AND {b}]", b)
    bad("PAT020", f"[file:size = 0] AND [{a} AND {b}]", b)
for q in ["WITHIN 5 SECONDS", "REPEATS 2 TIMES", "START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'"]:
    pat = f"[file:name = 'q'] {q} {q}"
    bad("PAT021", pat, len(f"[file:name = 'q'] {q} ") + 1)
    pat = f"[file:name = 'q'] {q} WITHIN 1 SECONDS {q}"
    first = q.split()[0]
    if first == "WITHIN":
        bad("PAT021", pat, len(f"[file:name = 'q'] {q} ") + 1)
    else:
        bad("PAT021", pat, len(f"[file:name = 'q'] {q} WITHIN 1 SECONDS ") + 1)
for q, at in [("REPEATS 0 TIMES", "REPEATS"), ("WITHIN 0 SECONDS", "WITHIN"), ("WITHIN 0.0 SECONDS", "WITHIN"), ("REPEATS -1 TIMES", "REPEATS"), ("WITHIN -5 SECONDS", "WITHIN")]:
    bad("PAT022", f"[file:name = 'q'] {q}", at)
    bad("PAT022", f"([file:name = 'q'] AND [file:name = 'r']) {q}", at)
for s, at in [("('a', 1)", "1"), ("(1, 'a')", "'a'"), ("(true, 'x')", "'x'"), ("(t'2016-06-01T00:00:00Z', 5)", "5"), ("(b'AAAA', 'x')", "'x'"), ("(1, 2, 3, false)", "false")]:
    bad("PAT024", f"[file:size IN {s}]", at)
for r in ["'('", "'[a-'", "'*x'", "'a{2,1}'", "'(?<'"]:
    bad("PAT025", f"[file:name MATCHES {r}]", r)
for n in ["'198.51.100.0/33'", "'not an ip'", "'1.2.3'", "''", "'::g'"]:
    bad("PAT026", f"[ipv4-addr:value ISSUBSET {n}]", n)
    bad("PAT026", f"[ipv6-addr:value ISSUPERSET {n}]", n)
more = [
    ("PAT010", "[file:name = 'x'] AND", None), ("PAT010", "([file:name = 'x']", None), ("PAT012", "[file:name = 'x'])", ")"),
    ("PAT010", "[file:name = 'x'] WITHIN SECONDS", "SECONDS"), ("PAT010", "[file:name = 'x'] WITHIN 5", None),
    ("PAT010", "[file:name = 'x'] REPEATS 2.5 TIMES", "2.5"), ("PAT010", "[file:name = 'x'] START t'2016-06-01T00:00:00Z'", None),
    ("PAT010", "[file:name = 'x'] START '2016' STOP '2017'", "'2016'"), ("PAT012", "[file:name = 'x'] and [file:name = 'y']", "and"),
    ("PAT010", "[file:name = 'x' and file:size = 1]", "and"), ("PAT010", "[]", "]"), ("PAT010", "[file:name]", "]"),
    ("PAT010", "[file: = 'x']", "="), ("PAT010", "[:name = 'x']", ":"), ("PAT010", "[file:name[] = 'x']", "]"),
    ("PAT010", "[file:name[a] = 'x']", "a]"), ("PAT010", "[file:name. = 'x']", "="), ("PAT010", "[file:name IN 'x']", "'x'"),
    ("PAT010", "[file:name IN ('x' 'y')]", "'y'"), ("PAT010", "[file:name IN ('x',)]", ")"), ("PAT010", "[NOT file:name = 'x']", "file"),
    ("PAT010", "[file:name = 'x'] FOLLOWEDBY", None), ("PAT010", "[file:name = NOT 'x']", "NOT"), ("PAT010", "[file:name LIKE]", "]"),
    ("PAT010", "[file:name ISSUBSET]", "]"), ("PAT010", "[file:name EXISTS]", "EXISTS"), ("PAT010", "[EXISTS]", "]"),
    ("PAT010", "[[file:name = 'x']]", "[file"), ("PAT010", "([file:name = 'x'] AND)", ")"), ("PAT012", "[file:name = 'x'] LAST 5", "LAST"),
    ("PAT010", "[file:name = 'x'] OR OR [file:name = 'y']", "OR ["), ("PAT010", "[file:size = 1 2]", "2"),
    ("PAT010", "[file:name = 'x'] START t'2016-06-01T00:00:00Z' t'2016-07-01T00:00:00Z'", "t'2016-07"),
    ("PAT010", "[file:name = 'x'] REPEATS TIMES", "TIMES"),
]
for code, p, at in more:
    if at is None:
        code = "PAT011"
        at = len(p) + 1
    bad(code, p, at)
deep = "(" * 101 + "[file:name = 'x']" + ")" * 101
bad("PAT013", deep, 101)
deep2 = "[" + "(" * 101 + "file:name = 'x'" + ")" * 101 + "]"
bad("PAT013", deep2, 101)

with open(os.path.join(here, "valid.txt"), "w", encoding="utf-8") as f:
    for p in valid:
        assert "\n" not in p.replace("\n", "\\n") and "\t" not in p
        f.write(p.replace("\\", "\\\\").replace("\n", "\\n") + "\n")
with open(os.path.join(here, "invalid.txt"), "w", encoding="utf-8") as f:
    for code, off, p in invalid:
        f.write(f"{code}\t{off}\t" + p.replace("\\", "\\\\").replace("\n", "\\n") + "\n")
print(len(valid), "valid,", len(invalid), "invalid")
