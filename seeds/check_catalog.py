#!/usr/bin/env python3
"""Validate seeds/catalog.json (and, if present, seeds/demo-people.json).

Standard library only. Exits 0 when everything passes, 1 with a list of
problems otherwise, 2 when a file cannot be read or parsed.

    python3 seeds/check_catalog.py [catalog.json] [--seeds DIR]
"""
import argparse
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CATALOG = os.path.join(HERE, "catalog.json")
DEFAULT_PEOPLE = os.path.join(HERE, "demo-people.json")
DEFAULT_SEEDS = "/work/shared/seeds"

TOP_KEYS = ["version", "reporting_day", "plans", "default_plan", "data_elements", "indicators", "rules"]
PLAN_KEYS = ["id", "name_zh", "name_en", "source"]
ELEMENT_KEYS = ["code", "name_zh", "name_en", "unit"]
INDICATOR_KEYS = ["code", "name_zh", "name_en", "numerator", "denominator", "factor", "targets"]
TARGET_KEYS = ["plan", "value", "direction", "source"]
RULE_KEYS = ["code", "left", "operator", "right", "severity", "name_zh", "name_en"]

UNITS = {"persons", "cases", "births", "tests", "contracts", "records", "doses"}
FACTORS = {100, 1000, 100000}
DIRECTIONS = {">=", "<="}
OPERATORS = {"<=", "==", ">="}
SEVERITIES = {"error", "warning"}
MIN_INDICATORS = 25
MIN_RULES = 12

CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
PLAN_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SEED_RE = re.compile(r"^\d{3}_[0-9a-f]+\.txt$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")

# Indicators whose numerator is not a subset of the denominator, so they
# need no "numerator <= denominator" rule: ratios of two different groups,
# and done-vs-planned volumes (over-fulfilment is allowed; every indicator
# whose code ends in _COMPLETION_RATE is treated the same way).
NOT_SUBSET = {"SEX_RATIO_AT_BIRTH", "CRUDE_BIRTH_RATE"}
# Subset check exists but may only warn (people may be checked in one
# period and register the marriage in another).
SUBSET_WARNING_OK = {"PREMARITAL_CHECK_RATE"}
# Longest run of characters a Chinese name may share with a seed text;
# longer runs suggest a sentence was copied rather than a term reused.
MAX_SHARED_RUN = 20


class Report:
    def __init__(self):
        self.problems = []

    def add(self, where, msg):
        self.problems.append(f"{where}: {msg}")


def load_json(path):
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        print(f"ERROR: cannot read {path}: {exc}", file=sys.stderr)
        sys.exit(2)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"ERROR: {path} is not UTF-8: {exc}", file=sys.stderr)
        sys.exit(2)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        print(f"ERROR: {path} is not valid JSON: {exc}", file=sys.stderr)
        sys.exit(2)
    return text, data


def check_format(rep, where, text, data):
    expected = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if text != expected:
        rep.add(where, "not in canonical form (UTF-8, 2-space indent, unescaped Chinese, trailing newline); "
                       "rewrite with json.dumps(obj, ensure_ascii=False, indent=2)")


def check_keys(rep, where, obj, keys):
    if not isinstance(obj, dict):
        rep.add(where, f"expected an object, got {type(obj).__name__}")
        return False
    if list(obj.keys()) != keys:
        rep.add(where, f"keys must be exactly {keys} in this order, got {list(obj.keys())}")
        return False
    return True


def check_names(rep, where, obj):
    zh, en = obj.get("name_zh"), obj.get("name_en")
    if not isinstance(zh, str) or not CJK_RE.search(zh):
        rep.add(where, "name_zh must be a non-empty Chinese string")
    if not isinstance(en, str) or not en.strip():
        rep.add(where, "name_en must be a non-empty string")
    elif not en.isascii():
        rep.add(where, f"name_en should be plain English (ASCII): {en!r}")


def parse_expr(rep, where, expr, elements):
    """Expressions are element codes joined by ' + ' and nothing else."""
    if not isinstance(expr, str) or not expr:
        rep.add(where, "expression must be a non-empty string")
        return []
    terms = expr.split(" + ")
    for term in terms:
        if not CODE_RE.match(term):
            rep.add(where, f"bad term {term!r} in {expr!r} (only ELEMENT_CODE + ELEMENT_CODE allowed)")
        elif term not in elements:
            rep.add(where, f"unknown data element {term!r} in {expr!r}")
    if len(set(terms)) != len(terms):
        rep.add(where, f"element repeated in {expr!r}")
    return terms


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def check_catalog(path, seeds_dir, rep):
    text, cat = load_json(path)
    name = os.path.basename(path)
    check_format(rep, name, text, cat)
    if not check_keys(rep, name, cat, TOP_KEYS):
        if not isinstance(cat, dict):
            return None, ""
    seed_files = set(os.listdir(seeds_dir)) if os.path.isdir(seeds_dir) else set()
    if not seed_files:
        rep.add(name, f"seed directory {seeds_dir} missing or empty")

    if cat.get("version") != 1:
        rep.add("version", "must be 1")
    day = cat.get("reporting_day")
    if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 28:
        rep.add("reporting_day", f"must be an integer day 1..28, got {day!r}")

    all_codes = Counter()

    # plans
    plans = {}
    for i, p in enumerate(cat.get("plans") or []):
        where = f"plans[{i}]"
        if not check_keys(rep, where, p, PLAN_KEYS):
            continue
        pid = p["id"]
        if not isinstance(pid, str) or not PLAN_RE.match(pid):
            rep.add(where, f"id {pid!r} is not kebab-case")
        if pid in plans:
            rep.add(where, f"duplicate plan id {pid!r}")
        plans[pid] = p
        check_names(rep, where, p)
        src = p["source"]
        if not isinstance(src, str) or not SEED_RE.match(src) or src not in seed_files:
            rep.add(where, f"source {src!r} is not a file in {seeds_dir}")
    if not plans:
        rep.add("plans", "no plans defined")
    srcs = Counter(p["source"] for p in plans.values() if isinstance(p, dict))
    for src, n in srcs.items():
        if n > 1:
            rep.add("plans", f"{n} plans share source {src!r} (one plan per seed document)")
    if cat.get("default_plan") not in plans:
        rep.add("default_plan", f"{cat.get('default_plan')!r} is not a defined plan id")

    # data elements
    elements = {}
    for i, e in enumerate(cat.get("data_elements") or []):
        where = f"data_elements[{i}]"
        if not check_keys(rep, where, e, ELEMENT_KEYS):
            continue
        code = e["code"]
        where = f"data_elements[{i}] {code}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            rep.add(where, "code is not UPPER_SNAKE")
            continue
        all_codes[code] += 1
        elements[code] = e
        check_names(rep, where, e)
        if e["unit"] not in UNITS:
            rep.add(where, f"unit {e['unit']!r} not one of {sorted(UNITS)}")
    if not elements:
        rep.add("data_elements", "no data elements defined")

    # indicators
    indicators = {}
    used = set()
    plans_with_targets = set()
    for i, ind in enumerate(cat.get("indicators") or []):
        where = f"indicators[{i}]"
        if not check_keys(rep, where, ind, INDICATOR_KEYS):
            continue
        code = ind["code"]
        where = f"indicators[{i}] {code}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            rep.add(where, "code is not UPPER_SNAKE")
            continue
        all_codes[code] += 1
        indicators[code] = ind
        check_names(rep, where, ind)
        used.update(parse_expr(rep, where + " numerator", ind["numerator"], elements))
        used.update(parse_expr(rep, where + " denominator", ind["denominator"], elements))
        if ind["numerator"] == ind["denominator"]:
            rep.add(where, "numerator and denominator are identical")
        factor = ind["factor"]
        if not isinstance(factor, int) or isinstance(factor, bool) or factor not in FACTORS:
            rep.add(where, f"factor {factor!r} not one of {sorted(FACTORS)}")
        targets = ind["targets"]
        if not isinstance(targets, list) or not targets:
            rep.add(where, "needs at least one target")
            continue
        seen_plans = set()
        for j, t in enumerate(targets):
            tw = f"{where} targets[{j}]"
            if not check_keys(rep, tw, t, TARGET_KEYS):
                continue
            pid = t["plan"]
            if pid not in plans:
                rep.add(tw, f"plan {pid!r} is not defined in plans")
            else:
                plans_with_targets.add(pid)
                if t["source"] != plans[pid]["source"]:
                    rep.add(tw, f"source {t['source']!r} differs from plan {pid!r} source {plans[pid]['source']!r}")
            if pid in seen_plans:
                rep.add(tw, f"plan {pid!r} has more than one target for this indicator")
            seen_plans.add(pid)
            if not isinstance(t["source"], str) or t["source"] not in seed_files:
                rep.add(tw, f"source {t['source']!r} is not a file in {seeds_dir}")
            v = t["value"]
            if not is_number(v) or v <= 0:
                rep.add(tw, f"value {v!r} must be a positive number")
            elif factor == 100 and t["direction"] == ">=" and v > 100:
                rep.add(tw, f"percentage floor {v} is above 100")
            if t["direction"] not in DIRECTIONS:
                rep.add(tw, f"direction {t['direction']!r} not one of {sorted(DIRECTIONS)}")
    if len(indicators) < MIN_INDICATORS:
        rep.add("indicators", f"only {len(indicators)} indicators, need at least {MIN_INDICATORS}")
    for pid in plans:
        if pid not in plans_with_targets:
            rep.add(f"plan {pid}", "sets no target (only documents that set targets get a plan)")

    # rules
    rules = {}
    pair_rules = {}
    for i, r in enumerate(cat.get("rules") or []):
        where = f"rules[{i}]"
        if not check_keys(rep, where, r, RULE_KEYS):
            continue
        code = r["code"]
        where = f"rules[{i}] {code}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            rep.add(where, "code is not UPPER_SNAKE")
            continue
        all_codes[code] += 1
        rules[code] = r
        check_names(rep, where, r)
        left = parse_expr(rep, where + " left", r["left"], elements)
        right = parse_expr(rep, where + " right", r["right"], elements)
        used.update(left)
        used.update(right)
        if set(left) & set(right):
            rep.add(where, "same element on both sides")
        if r["operator"] not in OPERATORS:
            rep.add(where, f"operator {r['operator']!r} not one of {sorted(OPERATORS)}")
        if r["severity"] not in SEVERITIES:
            rep.add(where, f"severity {r['severity']!r} not one of {sorted(SEVERITIES)}")
        if r["operator"] == "<=":
            pair_rules.setdefault((r["left"], r["right"]), []).append(r)
    if len(rules) < MIN_RULES:
        rep.add("rules", f"only {len(rules)} rules, need at least {MIN_RULES}")

    # numerator <= denominator coverage
    for code, ind in indicators.items():
        if code in NOT_SUBSET or code.endswith("_COMPLETION_RATE"):
            continue
        found = pair_rules.get((ind["numerator"], ind["denominator"]), [])
        where = f"indicators {code}"
        if not found:
            rep.add(where, f"no rule '{ind['numerator']} <= {ind['denominator']}' "
                           "(add one, or list the indicator in NOT_SUBSET with a reason)")
            continue
        sev = {r["severity"] for r in found}
        if code.endswith("_MORTALITY_RATE"):
            if "warning" not in sev or "error" in sev:
                rep.add(where, "mortality is not a subset rate: its deaths <= births rule must be a warning")
        elif code not in SUBSET_WARNING_OK and "error" not in sev:
            rep.add(where, "numerator <= denominator rule must have severity 'error'")

    # codes unique across elements, indicators and rules
    for code, n in all_codes.items():
        if n > 1:
            rep.add("codes", f"{code!r} is used {n} times (codes must be unique)")
    for code in sorted(set(elements) - used):
        rep.add(f"data_elements {code}", "is defined but used by no indicator or rule")

    # guard against copied sentences
    seed_text = ""
    for f in sorted(seed_files):
        if f.endswith(".txt"):
            with open(os.path.join(seeds_dir, f), encoding="utf-8", errors="replace") as fh:
                seed_text += fh.read() + "\n"
    if seed_text:
        strings = []
        for group in ("plans", "data_elements", "indicators", "rules"):
            for obj in cat.get(group) or []:
                if isinstance(obj, dict) and isinstance(obj.get("name_zh"), str):
                    strings.append((f"{group} {obj.get('code', obj.get('id'))}", obj["name_zh"]))
        for where, s in strings:
            for k in range(0, max(0, len(s) - MAX_SHARED_RUN) + 1):
                chunk = s[k:k + MAX_SHARED_RUN + 1]
                if len(chunk) > MAX_SHARED_RUN and chunk in seed_text:
                    rep.add(where, f"name_zh shares a run of more than {MAX_SHARED_RUN} characters "
                                   f"with a seed text ({chunk!r}); reword it")
                    break
    return cat, seed_text


def check_people(path, seed_text, rep):
    text, ppl = load_json(path)
    name = os.path.basename(path)
    check_format(rep, name, text, ppl)
    if not check_keys(rep, name, ppl, ["surnames", "given_names", "stations", "households_per_village"]):
        return
    for key, lo in (("surnames", 50), ("given_names", 100)):
        vals = ppl[key]
        if not isinstance(vals, list) or len(vals) < lo:
            rep.add(f"{name} {key}", f"needs at least {lo} entries")
            continue
        if len(set(vals)) != len(vals):
            rep.add(f"{name} {key}", "contains duplicates")
        for v in vals:
            if not isinstance(v, str) or not 1 <= len(v) <= 2 or not all(CJK_RE.match(ch) for ch in v):
                rep.add(f"{name} {key}", f"{v!r} is not 1-2 Chinese characters")
    stations = ppl["stations"]
    if not isinstance(stations, list) or len(stations) != 3:
        rep.add(f"{name} stations", "expected exactly 3 stations")
        stations = stations if isinstance(stations, list) else []
    ids, villages = set(), []
    for i, s in enumerate(stations):
        where = f"{name} stations[{i}]"
        if not check_keys(rep, where, s, ["id", "name_zh", "name_en", "villages"]):
            continue
        if not re.match(r"^S\d{2}$", s["id"]) or s["id"] in ids:
            rep.add(where, f"bad or duplicate id {s['id']!r}")
        ids.add(s["id"])
        check_names(rep, where, s)
        if not s["name_zh"].endswith("社区卫生服务站"):
            rep.add(where, "name_zh should end with 社区卫生服务站")
        if seed_text and s["name_zh"] in seed_text:
            rep.add(where, f"{s['name_zh']} appears in a seed text; invent a name")
        vs = s["villages"]
        if not isinstance(vs, list) or not 5 <= len(vs) <= 8:
            rep.add(where, "needs 5-8 villages")
            continue
        for v in vs:
            if not isinstance(v, str) or not v.endswith("村") or len(v) < 2:
                rep.add(where, f"village {v!r} should be a name ending in 村")
            elif seed_text and v[:-1] in seed_text:
                rep.add(where, f"village {v!r} appears in a seed text; invent a name")
            villages.append(v)
    if len(set(villages)) != len(villages):
        rep.add(f"{name} stations", "village names repeat across stations")
    hpv = ppl["households_per_village"]
    if not isinstance(hpv, int) or isinstance(hpv, bool) or hpv <= 0:
        rep.add(f"{name} households_per_village", "must be a positive integer")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("catalog", nargs="?", default=DEFAULT_CATALOG)
    ap.add_argument("--seeds", default=DEFAULT_SEEDS, help="directory holding the seed documents")
    ap.add_argument("--people", default=DEFAULT_PEOPLE, help="demo-people.json (checked if it exists)")
    args = ap.parse_args()

    rep = Report()
    cat, seed_text = check_catalog(args.catalog, args.seeds, rep)
    if cat is not None and args.people and os.path.exists(args.people):
        check_people(args.people, seed_text, rep)

    if rep.problems:
        print(f"FAIL: {len(rep.problems)} problem(s)", file=sys.stderr)
        for p in rep.problems:
            print("  - " + p, file=sys.stderr)
        sys.exit(1)
    n = lambda k: len(cat.get(k) or [])
    print(f"OK: {n('plans')} plans, {n('data_elements')} data elements, "
          f"{n('indicators')} indicators, {n('rules')} rules; reporting day {cat['reporting_day']}; "
          f"default plan {cat['default_plan']}")


if __name__ == "__main__":
    main()
