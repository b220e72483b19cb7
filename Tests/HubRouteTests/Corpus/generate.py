#!/usr/bin/env python3
"""Writes the bad-request corpus: one NNN-name.body file per case and manifest.tsv.

Run from anywhere: python3 Tests/IntegrationTests/Corpus/generate.py
It deletes and rewrites every *.body file and manifest.tsv in this folder.
Record ids are uuid5 of the case name, so they are fresh per case and stable
between runs. See README.md for the manifest's columns.
"""
import gzip
import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
T = 1763856000000  # write time, ms since 1970
MAX_FILE = 64 * 1024


def uid(name):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "health-sync/corpus/" + name))


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record(rid, station="S01", node="n1", fields=None, drop=(), clerk="clerk"):
    """A valid record entity (dict, key order as the hub writes it)."""
    f = {"birth": [[0, "1990-02-03"]], "deleted": [[0, "false"]], "name": [[0, "王芳"]], "sex": [[0, "F"]]}
    f.update(fields or {})
    for key in drop:
        f.pop(key)
    return {"kind": "record", "id": rid, "station": station, "clock": {node: 1},
            "writes": [[node, 1, T, clerk]], "fields": dict(sorted(f.items()))}


def tally(tid="S01/2026-10/LIVE_BIRTHS", station="S01", node="n1", fields=None, drop=()):
    f = {"deleted": [[0, "false"]], "value": [[0, "3"]]}
    f.update(fields or {})
    for key in drop:
        f.pop(key)
    return {"kind": "tally", "id": tid, "station": station, "clock": {node: 1},
            "writes": [[node, 1, T, None]], "fields": dict(sorted(f.items()))}


def push(*entities, node="n1"):
    """A push body as text; entities may be dicts or raw JSON text."""
    parts = [e if isinstance(e, str) else dumps(e) for e in entities]
    return '{"node":' + dumps(node) + ',"entities":[' + ",".join(parts) + "]}"


def b(text):
    return text.encode("utf-8") if isinstance(text, str) else text


def rec_text(name, **kw):
    return dumps(record(uid(name), **kw))


def raw_name(name, value_bytes):
    """A push of one record whose name's JSON string content is value_bytes (raw, unescaped)."""
    marker = "@@NAME@@"
    text = push(record(uid(name), fields={"name": [[0, marker]]}))
    return b(text).replace(marker.encode(), value_bytes)


def raw_field(name, field, value_bytes):
    marker = "@@VALUE@@"
    text = push(record(uid(name), fields={field: [[0, marker]]}))
    return b(text).replace(marker.encode(), value_bytes)


cases = []  # (name, method, path, token, encoding, status, reason, body-bytes-or-None)


def case(name, status, reason, body=None, method="POST", path="/v1/push", token="S01", encoding="identity"):
    cases.append((name, method, path, token, encoding, status, reason, None if body is None else b(body)))


def get(name, path, status, reason, token="S01"):
    case(name, status, reason, None, method="GET", path=path, token=token)


PFX = "the push body is not valid: "

# ---------------------------------------------------------------- malformed, truncated JSON (400)
valid = push(record(uid("truncation-source")))
case("empty-body", 400, PFX + "the JSON ends too early", b"")
case("not-json", 400, PFX + "invalid JSON", "not json at all")
case("xml-body", 400, PFX + "invalid JSON", '<?xml version="1.0"?><push node="n1"><entity/></push>')
case("truncated-mid-string", 400, "ends too early", valid[: valid.index('"王芳"') + 2])
case("truncated-after-entities-open", 400, "ends too early", '{"node":"n1","entities":[')
case("truncated-mid-number", 400, "ends too early", valid[: valid.index(str(T)) + 5])
case("trailing-brace", 400, "unexpected data after the JSON value", valid + "}")
case("two-concatenated-pushes", 400, "unexpected data after the JSON value",
     valid + push(record(uid("two-concatenated-pushes"))))
case("trailing-garbage-text", 400, "unexpected data after the JSON value", valid + " ; DROP TABLE entities")
case("single-quoted-json", 400, "invalid JSON", valid.replace('"', "'"))
case("trailing-comma-object", 400, "invalid JSON", valid[:-1] + ",}")
case("trailing-comma-array", 400, "invalid JSON", valid[:-2] + ",]}")
case("missing-comma", 400, "invalid JSON", valid.replace('"n1","entities"', '"n1" "entities"', 1))
case("nan-counter", 400, "invalid JSON",
     push(record(uid("nan-counter"))).replace('"clock":{"n1":1}', '"clock":{"n1":NaN}'))
case("plus-sign-counter", 400, "invalid JSON",
     push(record(uid("plus-sign-counter"))).replace('"clock":{"n1":1}', '"clock":{"n1":+1}'))
case("utf8-bom", 400, "invalid JSON", b"\xef\xbb\xbf" + b(push(record(uid("utf8-bom")))))
case("nul-between-tokens", 400, "invalid JSON", b(push(record(uid("nul-between-tokens")))).replace(b',"entities"', b',\x00"entities"'))

# ---------------------------------------------------------------- invalid UTF-8, escapes, control characters (400)
case("invalid-utf8-ff-in-name", 400, PFX + "invalid UTF-8", raw_name("invalid-utf8-ff-in-name", b"\xff\xfe\xfd"))
case("invalid-utf8-overlong-dots-in-node", 400, "invalid UTF-8",
     b('{"node":"') + b"\xc0\xae\xc0\xae/\xc0\xae\xc0\xae/etc" + b('","entities":[') + b(rec_text("invalid-utf8-overlong-dots-in-node")) + b"]}")
case("invalid-utf8-surrogate-in-village", 400, "invalid UTF-8",
     raw_field("invalid-utf8-surrogate-in-village", "village", b"\xe6\x9d\xbe\xed\xa0\x80"))
case("invalid-utf8-cut-sequence-in-note", 400, "invalid UTF-8",
     raw_field("invalid-utf8-cut-sequence-in-note", "note", b"\xe7\x8e"))
case("invalid-utf8-in-field-key", 400, "invalid UTF-8",
     b(push(record(uid("invalid-utf8-in-field-key")))).replace(b'"name":', b'"na\xffme":'))
case("invalid-utf8-latin1-name-with-escape", 400, "invalid UTF-8",
     raw_name("invalid-utf8-latin1-name-with-escape", b"Jos\xe9 \\\"Pepe\\\""))
case("invalid-escape-x", 400, PFX + "invalid escape sequence", raw_name("invalid-escape-x", b"\\x41bc"))
case("lone-high-surrogate-escape", 400, "invalid escape sequence", raw_name("lone-high-surrogate-escape", b"Wang\\ud800"))
case("lone-low-surrogate-escape", 400, "invalid escape sequence", raw_name("lone-low-surrogate-escape", b"\\udc00Fang"))
case("bad-hex-in-unicode-escape", 400, "invalid escape sequence", raw_name("bad-hex-in-unicode-escape", b"\\u12G4"))
case("raw-newline-in-name", 400, PFX + "unescaped control character", raw_name("raw-newline-in-name", b"Wang\nFang"))
case("raw-nul-in-note", 400, "unescaped control character", raw_field("raw-nul-in-note", "note", b"a\x00b"))

# ---------------------------------------------------------------- deep nesting (400)
case("deep-nesting-200-arrays-as-entity", 400, PFX + "JSON nested deeper than 64 levels",
     '{"node":"n1","entities":[' + "[" * 200 + "]" * 200 + "]}")
deep_value = "[" * 100 + "]" * 100
case("deep-nesting-in-field-value", 400, "nested deeper than 64",
     push(record(uid("deep-nesting-in-field-value"))).replace('"name":[[0,"王芳"]]', '"name":[[0,' + deep_value + "]]"))
case("deep-nesting-50000-unclosed", 400, "nested deeper than 64", '{"node":"n1","entities":[' + "[" * 50000)

# ---------------------------------------------------------------- not a push object (400)
case("top-level-array", 400, PFX + "the push body must be an object", "[" + valid + "]")
case("top-level-null", 400, "the push body must be an object, not null", "null")
case("missing-node", 400, "the push body is missing 'node'", '{"entities":[' + rec_text("missing-node") + "]}")
case("missing-entities", 400, "the push body is missing 'entities'", '{"node":"n1"}')
case("unknown-top-level-key", 400, "unknown key 'admin' in the push body",
     push(record(uid("unknown-top-level-key")))[:-1] + ',"admin":true}')
case("node-is-number", 400, "node must be a string", '{"node":5,"entities":[' + rec_text("node-is-number") + "]}")
case("entities-is-object", 400, "entities must be an array", '{"node":"n1","entities":{"0":' + rec_text("entities-is-object") + "}}")
case("node-path-traversal", 400, "'../../etc' is not a node id", push(record(uid("node-path-traversal")), node="../../etc"))
case("node-sql", 400, "is not a node id", push(record(uid("node-sql")), node="n1'; DROP TABLE nodes;--"))
case("node-with-spaces", 400, "is not a node id", push(record(uid("node-with-spaces")), node="station one"))
case("node-65-chars", 400, "is not a node id", push(record(uid("node-65-chars")), node="a" * 65))
case("too-many-entities-5001", 413, "more than 5000 entities", '{"node":"n1","entities":[' + ",".join(["{}"] * 5001) + "]}")

# ---------------------------------------------------------------- entity shape: types, keys, kinds (422)
r = lambda name, **kw: record(uid(name), **kw)
e = r("unknown-entity-kind"); e["kind"] = "patient"
case("unknown-entity-kind", 422, "unknown entity kind 'patient'", push(e))
e = r("unknown-entity-key"); e["owner"] = "S02"
case("unknown-entity-key", 422, "unknown key 'owner' in an entity", push(e))
e = r("kind-is-number"); e["kind"] = 1
case("kind-is-number", 422, "kind must be a string", push(e))
e = r("fields-is-array"); e["fields"] = []
case("fields-is-array", 422, "fields must be an object", push(e))
case("field-value-is-number", 422, "the value of 'name' must be a string, not a number",
     push(r("field-value-is-number", fields={"name": [[0, 42]]})))
e = r("clock-counter-is-string"); e["clock"] = {"n1": "1"}
case("clock-counter-is-string", 422, "a clock counter must be a whole number, not a string", push(e))
case("write-time-is-fraction", 422, "a write's time must be a whole number",
     push(r("write-time-is-fraction")).replace(str(T), str(T) + ".5"))
case("negative-write-index", 422, "a write index must not be negative",
     push(r("negative-write-index", fields={"name": [[-1, "王芳"]]})))
e = r("negative-clock-counter"); e["clock"] = {"n1": -1}
case("negative-clock-counter", 422, "a clock counter must not be negative", push(e))

# ---------------------------------------------------------------- huge numbers, absurd clocks (422)
case("clock-counter-overflows-uint64", 422, "out of range",
     push(r("clock-counter-overflows-uint64")).replace('"clock":{"n1":1}', '"clock":{"n1":99999999999999999999999999}'))
e = r("clock-counter-zero"); e["clock"] = {"n1": 0}
case("clock-counter-zero", 422, "clock counter 0 for node n1 is out of range", push(e))
big = (1 << 40) + 1
e = r("clock-counter-above-2-40"); e["clock"] = {"n1": big}; e["writes"] = [["n1", big, T, "clerk"]]
case("clock-counter-above-2-40", 422, "clock counter %d for node n1 is out of range" % big, push(e))
case("write-time-overflows-int64", 422, "out of range",
     push(r("write-time-overflows-int64")).replace(str(T), "9223372036854775808"))
e = r("clock-with-257-nodes"); e["clock"] = dict([("n1", 1)] + [("x%03d" % i, 1) for i in range(256)])
case("clock-with-257-nodes", 422, "clock names more than 256 nodes", push(e))
e = r("clock-node-path-like"); e["clock"] = {"../../x": 1, "n1": 1}
case("clock-node-path-like", 422, "clock names '../../x', which is not a node id", push(e))
case("clock-names-node-twice", 422, "clock names node n1 twice",
     push(r("clock-names-node-twice")).replace('"clock":{"n1":1}', '"clock":{"n1":1,"n1":1}'))
e = r("write-not-in-clock"); e["writes"] = [["n1", 2, T, "clerk"]]
case("write-not-in-clock", 422, "write n1:2 is not in the entity's clock", push(e))
e = r("write-index-out-of-bounds", fields={"name": [[7, "王芳"]]})
case("write-index-out-of-bounds", 422, "names write 7, but only 1 are listed", push(e))
e = r("write-listed-twice"); e["writes"] = [["n1", 1, T, "clerk"], ["n1", 1, T, "clerk"]]
case("write-listed-twice", 422, "write n1:1 is listed twice", push(e))
e = r("write-with-three-items"); e["writes"] = [["n1", 1, T]]
case("write-with-three-items", 422, "a write is [node, counter, time, clerk]", push(e))
case("clerk-151-bytes", 422, "a clerk name is longer than 150 bytes", push(r("clerk-151-bytes", clerk="c" * 151)))

# ---------------------------------------------------------------- record ids and fields (422)
case("record-id-path-traversal", 422, "'../../x' is not a record id", push(record("../../x")))
case("record-id-sql", 422, "is not a record id", push(record("1' OR '1'='1'; DROP TABLE entities;--")))
case("record-id-uppercase-uuid", 422, "is not a record id", push(record(uid("record-id-uppercase-uuid").upper())))
case("unknown-record-field", 422, "blood_type: is not a record field",
     push(r("unknown-record-field", fields={"blood_type": [[0, "O+"]]})))
case("birth-not-a-real-date", 422, "'1990-02-30' is not a real date",
     push(r("birth-not-a-real-date", fields={"birth": [[0, "1990-02-30"]]})))
case("birth-before-1900", 422, "1899-12-31 is before 1900-01-01",
     push(r("birth-before-1900", fields={"birth": [[0, "1899-12-31"]]})))
case("sex-invalid", 422, "must be F (female) or M (male)", push(r("sex-invalid", fields={"sex": [[0, "X"]]})))
case("id-number-bad-check-digit", 422, "check digit is 1 but should be X",
     push(r("id-number-bad-check-digit", fields={"id_number": [[0, "110105194912310021"]]})))
case("name-51-chars", 422, "at most 150 bytes are allowed", push(r("name-51-chars", fields={"name": [[0, "王" * 51]]})))
case("name-escaped-control-char", 422, "name: contains a control character",
     push(r("name-escaped-control-char", fields={"name": [[0, "Wang\u0007Fang"]]})))
case("unknown-tag", 422, "unknown tag 'vip'", push(r("unknown-tag", fields={"tags": [[0, "vip"]]})))
case("phone-not-digits", 422, "must be 7 to 15 digits", push(r("phone-not-digits", fields={"phone": [[0, "call me"]]})))
case("missing-birth", 422, "birth: is required", push(r("missing-birth", drop=("birth",))))
case("missing-deleted", 422, "deleted: is missing", push(r("missing-deleted", drop=("deleted",))))
case("deleted-neither-true-nor-false", 422, "deleted: must be",
     push(r("deleted-neither-true-nor-false", fields={"deleted": [[0, "yes"]]})))
case("name-null", 422, "name: is required and cannot be cleared", push(r("name-null", fields={"name": [[0, None]]})))
case("field-appears-twice", 422, "field 'name' appears twice",
     push(r("field-appears-twice")).replace('"name":[[0,"王芳"]]', '"name":[[0,"王芳"]],"name":[[0,"李四"]]'))
case("two-values-from-one-write", 422, "field 'name' has two values from one write",
     push(r("two-values-from-one-write", fields={"name": [[0, "王芳"], [0, "李四"]]})))

# ---------------------------------------------------------------- tallies: periods, counts, elements (422)
case("tally-month-13", 422, "'2026-13' is not a month", push(tally("S01/2026-13/LIVE_BIRTHS")))
case("tally-period-path-like", 422, "'..' is not a month", push(tally("S01/../LIVE_BIRTHS")))
case("tally-id-path-traversal", 422, "a tally id is STATION/YYYY-MM/ELEMENT", push(tally("S01/2026-10/../../etc/passwd")))
case("tally-negative", 422, "-5 is negative", push(tally(fields={"value": [[0, "-5"]]})))
case("tally-absurd-1000001", 422, "1000001 is more than 1000000", push(tally(fields={"value": [[0, "1000001"]]})))
case("tally-absurd-23-digits", 422, "is more than 1000000", push(tally(fields={"value": [[0, "99999999999999999999999"]]})))
case("tally-not-a-number", 422, "'three' is not a whole number", push(tally(fields={"value": [[0, "three"]]})))
case("tally-decimal", 422, "'3.5' is not a whole number", push(tally(fields={"value": [[0, "3.5"]]})))
case("tally-unknown-element", 422, "unknown data element 'NOT_A_REAL_ELEMENT'", push(tally("S01/2026-10/NOT_A_REAL_ELEMENT")))
case("tally-element-sql", 422, "is not a data-element code", push(tally("S01/2026-10/LIVE_BIRTHS';DROP TABLE entities;--")))
case("tally-id-names-other-station", 422, "names station S02 but belongs to S01", push(tally("S02/2026-10/LIVE_BIRTHS")))
case("tally-missing-value", 422, "value: is required for a tally", push(tally(drop=("value",))))
case("tally-unknown-field", 422, "notes: is not a tally field", push(tally(fields={"notes": [[0, "x"]]})))

# ---------------------------------------------------------------- every entity refused (422, first refusal)
case("two-entities-both-refused", 422, "every entity was refused; the first: sex: must be F (female) or M (male), not 'X'",
     push(r("two-entities-both-refused-1", fields={"sex": [[0, "X"]]}), r("two-entities-both-refused-2", fields={"sex": [[0, "Y"]]})))

# ---------------------------------------------------------------- other stations, forged stamps (403)
rid = uid("other-station-record")
case("other-station-record", 403, "record %s belongs to station S02; this token is for S01" % rid,
     push(record(rid, station="S02")))
case("other-station-tally", 403, "belongs to station S02; this token is for S01",
     push(tally("S02/2026-10/LIVE_BIRTHS", station="S02")))
case("station-path-like", 403, "belongs to station ../S02; this token is for S01",
     push(record(uid("station-path-like"), station="../S02")))


def forged(name, node, counter):
    e = record(uid(name))
    e["clock"] = dict(sorted({"n1": 1, node: counter}.items()))
    e["writes"] = sorted([["n1", 1, T, "clerk"], [node, counter, T + 1000, None]], key=lambda w: (w[1], w[0]))
    idx = e["writes"].index([node, counter, T + 1000, None])
    n1 = e["writes"].index(["n1", 1, T, "clerk"])
    e["fields"] = {"birth": [[n1, "1990-02-03"]], "deleted": [[idx, "false"]], "name": [[n1, "王芳"]],
                   "note": [[idx, "x"]], "sex": [[n1, "F"]]}
    return e


case("forged-stamp-of-s02-node", 403, "carries a stamp s02-node:5", push(forged("forged-stamp-of-s02-node", "s02-node", 5)))
case("forged-stamp-of-unknown-hex-node", 403, "carries a stamp 0123456789abcdef:1",
     push(forged("forged-stamp-of-unknown-hex-node", "0123456789abcdef", 1)))
case("forged-stamp-at-max-counter", 403, "carries a stamp ghost:%d" % (1 << 40),
     push(forged("forged-stamp-at-max-counter", "ghost", 1 << 40)))
case("node-of-s02-pushes-with-s01-token", 403, "node s02-node belongs to another station, not S01",
     push(record(uid("node-of-s02-pushes-with-s01-token"), node="s02-node"), node="s02-node"))
case("s02-token-pushes-as-node-n1", 403, "node n1 belongs to another station, not S02",
     push(record(uid("s02-token-pushes-as-node-n1"), station="S02"), node="n1"), token="S02")

# ---------------------------------------------------------------- authentication (401)
case("push-without-token", 401, "missing Authorization", push(r("push-without-token")), token="none")
case("push-with-bad-token", 401, "not valid", push(r("push-with-bad-token")), token="bad")
case("push-with-revoked-token", 401, "not valid",
     push(record(uid("push-with-revoked-token"), station="S03", node="s03-node"), node="s03-node"), token="revoked")
get("pull-without-token", "/v1/pull?since=0&node=n1", 401, "missing Authorization", token="none")
get("pull-with-bad-token", "/v1/pull?since=0&node=n1", 401, "not valid", token="bad")
get("pull-with-revoked-token", "/v1/pull?since=0&node=s03-node", 401, "not valid", token="revoked")

# ---------------------------------------------------------------- encodings, sizes (400, 413, 415)
case("gzip-claimed-plain-json", 400, "the body is not valid gzip", push(r("gzip-claimed-plain-json")), encoding="gzip-raw")
whole = gzip.compress(b(push(r("gzip-truncated-stream", fields={"note": [[0, "long note " * 60]]}))), mtime=0)
case("gzip-truncated-stream", 400, "the body is not valid gzip", whole[: len(whole) // 2], encoding="gzip-raw")
case("gzip-of-not-json", 400, PFX + "invalid JSON", "{node: n1, entities: []}", encoding="gzip")
case("gzip-of-invalid-utf8", 400, PFX + "invalid UTF-8", raw_name("gzip-of-invalid-utf8", b"\x80\x81\x82"), encoding="gzip")
case("gzip-of-negative-tally", 422, "-7 is negative", push(tally(fields={"value": [[0, "-7"]]})), encoding="gzip")
case("huge-body-over-8-mib", 413, "larger than", None, encoding="huge")
case("unsupported-encoding-br", 415, "Content-Encoding br is not supported", push(r("unsupported-encoding-br")), encoding="br")

# ---------------------------------------------------------------- pull parameters (400, 403)
get("pull-since-not-a-number", "/v1/pull?since=abc&node=n1", 400, "since must be a cursor")
get("pull-since-negative", "/v1/pull?since=-1&node=n1", 400, "since must be a cursor")
get("pull-since-overflows-int64", "/v1/pull?since=99999999999999999999&node=n1", 400, "since must be a cursor")
get("pull-since-sql", "/v1/pull?since=0%20OR%201%3D1&node=n1", 400, "since must be a cursor")
get("pull-limit-zero", "/v1/pull?since=0&limit=0&node=n1", 400, "limit must be a whole number from 1 to 5000")
get("pull-limit-too-big", "/v1/pull?since=0&limit=99999&node=n1", 400, "limit must be a whole number from 1 to 5000")
get("pull-limit-not-a-number", "/v1/pull?since=0&limit=ten&node=n1", 400, "limit must be")
get("pull-missing-node", "/v1/pull?since=0", 400, "node is required")
get("pull-node-path-traversal", "/v1/pull?since=0&node=../../x", 400, "'../../x' is not a node id")
get("pull-node-encoded-path-traversal", "/v1/pull?since=0&node=..%2F..%2Fetc%2Fpasswd", 400, "is not a node id")
get("pull-node-sql", "/v1/pull?since=0&node=n1%27%20OR%20%271%27%3D%271", 400, "is not a node id")
get("pull-node-65-chars", "/v1/pull?since=0&node=" + "a" * 65, 400, "is not a node id")
get("pull-as-s02-node-with-s01-token", "/v1/pull?since=0&node=s02-node", 403, "node s02-node belongs to another station, not S01")

# ---------------------------------------------------------------- SQL-looking values, accepted verbatim (200)
case("sql-name-accepted", 200, "-", push(r("sql-name-accepted", fields={"name": [[0, "Robert'); DROP TABLE entities;--"]]})))
case("sql-note-accepted", 200, "-", push(r("sql-note-accepted", fields={"note": [[0, "' OR '1'='1"]]})))
case("sql-village-accepted", 200, "-", push(r("sql-village-accepted", fields={"village": [[0, '"; DELETE FROM stations; --']]})))
case("sql-household-and-clerk-accepted", 200, "-",
     push(r("sql-household-and-clerk-accepted", clerk="admin'--", fields={"household": [[0, "1; DROP TABLE nodes;--"]]})))
case("sql-tally-comment-accepted", 200, "-",
     push(tally("S01/2026-09/LIVE_BIRTHS", fields={"comment": [[0, "'); DELETE FROM receipts; --"]]})))
case("sql-note-gzip-accepted", 200, "-",
     push(r("sql-note-gzip-accepted", fields={"note": [[0, "x'; UPDATE stations SET revoked = NULL; --"]]})), encoding="gzip")

# ---------------------------------------------------------------- control, bidi and invisible characters (422, 200)
# Refused in every text field (TextCharacters); note and comment allow line feed and tab.
# C0 controls travel JSON-escaped (a raw one is invalid JSON, above); the others as raw UTF-8 or escaped.
case("name-rtl-override-raw", 422, "name: contains a text-direction control (U+202E) at character 2",
     push(r("name-rtl-override-raw", fields={"name": [[0, "王\u202e芳"]]})))
case("name-rtl-override-escaped", 422, "name: contains a text-direction control (U+202E) at character 2",
     raw_name("name-rtl-override-escaped", b"\xe7\x8e\x8b\\u202e\xe8\x8a\xb3"))
case("name-next-line-c1", 422, "name: contains a line break (U+0085) at character 2",
     push(r("name-next-line-c1", fields={"name": [[0, "王\u0085芳"]]})))
case("name-csi-c1", 422, "name: contains a control character (U+009B) at character 2",
     push(r("name-csi-c1", fields={"name": [[0, "王\u009b31m"]]})))
case("village-zero-width-space", 422, "village: contains an invisible character (U+200B) at character 3",
     push(r("village-zero-width-space", fields={"village": [[0, "青禾\u200b村"]]})))
case("household-line-separator", 422, "household: contains a line break (U+2028) at character 3",
     push(r("household-line-separator", fields={"household": [[0, "12\u2028"]]})))
case("note-clear-screen", 422, "note: contains a control character (U+001B) at character 1",
     push(r("note-clear-screen", fields={"note": [[0, "\x1b[2J"]]})))
case("note-window-title", 422, "note: contains a control character (U+001B) at character 3",
     push(r("note-window-title", fields={"note": [[0, "复查\x1b]0;PWNED\x07"]]})))
case("note-lone-carriage-return", 422, "note: contains a carriage return (U+000D) at character 2",
     push(r("note-lone-carriage-return", fields={"note": [[0, "a\rb"]]})))
case("note-byte-order-mark", 422, "note: contains an invisible character (U+FEFF) at character 1",
     push(r("note-byte-order-mark", fields={"note": [[0, "\ufeff复查"]]})))
case("clerk-hidden-text", 422, "clerk: contains a control character (U+001B) at character 1",
     push(r("clerk-hidden-text", clerk="\x1b[8m王")))
case("clerk-rtl-isolate", 422, "clerk: contains a text-direction control (U+2067) at character 2",
     push(r("clerk-rtl-isolate", clerk="李\u2067")))
case("tally-comment-escape-and-newline", 422, "comment: contains a control character (U+001B) at character 2",
     push(tally("S01/2026-08/LIVE_BIRTHS", fields={"comment": [[0, "a\x1b\nb"]]})))
case("tally-comment-rtl-mark", 422, "comment: contains a text-direction control (U+200F) at character 1",
     push(tally("S01/2026-08/LIVE_BIRTHS", fields={"comment": [[0, "\u200f3"]]})))
case("note-line-feed-and-tab-accepted", 200, "-",
     push(r("note-line-feed-and-tab-accepted", fields={"note": [[0, "第一行\n第二行\t完"]]})))
case("tally-comment-lines-accepted", 200, "-",
     push(tally("S01/2026-08/LIVE_BIRTHS", fields={"comment": [[0, "转诊\n复查"]]})))


def main():
    for name in os.listdir(HERE):
        if name.endswith(".body") or name == "manifest.tsv":
            os.remove(os.path.join(HERE, name))
    rows = ["file\tmethod\tpath\ttoken\tencoding\tstatus\treason"]
    names = set()
    for number, (name, method, path, token, encoding, status, reason, body) in enumerate(cases, start=1):
        assert name not in names, name
        names.add(name)
        for column in (path, reason):
            assert "\t" not in column and "\n" not in column, name
        if body is None:
            file = "-"
        else:
            file = "%03d-%s.body" % (number, name)
            assert len(body) < MAX_FILE, (name, len(body))
            with open(os.path.join(HERE, file), "wb") as out:
                out.write(body)
        rows.append("\t".join([file, method, path, token, encoding, str(status), reason]))
    with open(os.path.join(HERE, "manifest.tsv"), "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(rows) + "\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
