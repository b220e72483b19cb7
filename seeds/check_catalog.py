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
# Keys in the order they must appear; the ones in OPTIONAL_* may be left out.
PLAN_KEYS = ["id", "name_zh", "name_en", "source", "part", "year"]
ELEMENT_KEYS = ["code", "name_zh", "name_en", "unit", "aggregation"]
INDICATOR_KEYS = ["code", "name_zh", "name_en", "numerator", "denominator", "factor", "period", "annualise",
                  "definition", "targets"]
OPTIONAL_INDICATOR_KEYS = {"annualise", "definition"}
TARGET_KEYS = ["plan", "value", "direction", "max", "period", "milestones", "scope", "source", "quote"]
OPTIONAL_TARGET_KEYS = {"max", "milestones", "scope"}
MILESTONE_KEYS = ["by", "value", "quote"]
RULE_KEYS = ["code", "left", "operator", "right", "compare", "period", "severity", "name_zh", "name_en"]
OPTIONAL_RULE_KEYS = {"compare", "period"}

UNITS = {"persons", "cases", "births", "tests", "contracts", "records", "doses", "villages", "facilities"}
AGGREGATIONS = {"sum", "last"}
INDICATOR_PERIODS = {"month", "year"}
TARGET_PERIODS = {"year", "quarter", "month"}
SCOPES = {"urban", "rural", "all"}
# factor 1 is for plain counts (empty denominator) and only for them
FACTORS = {100, 1000, 100000}
DIRECTIONS = {">=", "<=", "between"}
OPERATORS = {"<=", "==", ">="}
SEVERITIES = {"error", "warning"}
# "previous_month": the right side is read in the month before (same calendar
# year). The catalog lists these rules one by one, for the running totals of
# the year only (people checked, contracts signed, cards issued so far): a
# 'last' element is not enough, since populations and stocks (residents,
# children under 3, registered patients, staff) fall as people die, move or
# age out, and a warning every such month would teach clerks to ignore them.
COMPARES = {"previous_month"}
# the shortest span a rule is judged over; every month when left out
RULE_PERIODS = {"quarter", "year"}
MIN_INDICATORS = 25
MIN_RULES = 12
MAX_QUOTE = 20
MAX_DEFINITION = 60

CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")
# A rule's constant: a whole or decimal number written plainly (80, 0.8; not
# 080, 0.80 or 1e3), at most 12 digits as the program reads them.
NUMBER_RE = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")
MAX_NUMBER_DIGITS = 12
PLAN_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SEED_RE = re.compile(r"^\d{3}_[0-9a-f]+\.txt$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
PART_RE = re.compile(r"^篇[一二三四五六七八九十]+$")
# A part's heading in a seed that holds several documents: a line ending in 篇N.
PART_HEADING_RE = re.compile(r"^.*?(篇[一二三四五六七八九十]+)\s*$")
MMDD_RE = re.compile(r"^(\d{2})-(\d{2})$")
DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# Indicators whose numerator is not a subset of the denominator, so they
# need no "numerator <= denominator" rule: ratios of two different groups,
# and done-vs-planned volumes (over-fulfilment is allowed; every indicator
# whose code ends in _COMPLETION_RATE is treated the same way).
NOT_SUBSET = {"SEX_RATIO_AT_BIRTH", "CRUDE_BIRTH_RATE"}
# A numerator that subtracts (births less deaths) is no group of people at
# all, and may be below 0: it needs no such rule either (see below).
# Subset check exists but may only warn (people may be checked in one
# period and register the marriage in another).
SUBSET_WARNING_OK = {"PREMARITAL_CHECK_RATE"}
# Subset check must warn, never refuse: the numerator may come from another
# month's births (deaths and cases of children born earlier: also every
# *_MORTALITY_RATE), or the denominator stands for a group it does not
# count (women who delivered divided by live births, the national
# convention: twins make births outnumber women, a stillbirth the reverse).
CROSS_PERIOD = {"NEONATAL_TETANUS_INCIDENCE"}
WOMEN_PER_LIVE_BIRTH = {
    "EARLY_PREGNANCY_REGISTRATION_RATE", "MATERNAL_BOOKLET_RATE", "PRENATAL_CARE_RATE", "POSTPARTUM_VISIT_RATE",
    "MATERNAL_SYSTEM_MANAGEMENT_RATE",
}
# The national definitions (MCH annual report, basic public-health service
# specification) divide these by live births; the checker holds the catalog to it.
LIVE_BIRTH_DENOMINATOR = WOMEN_PER_LIVE_BIRTH | {"HOSPITAL_DELIVERY_RATE"}
# Longest run of characters a Chinese name or definition may share with a
# seed text; longer runs suggest a sentence was copied rather than a term reused.
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


def check_keys(rep, where, obj, keys, optional=frozenset()):
    """The object's keys are `keys` in this order, leaving out only optional ones."""
    if not isinstance(obj, dict):
        rep.add(where, f"expected an object, got {type(obj).__name__}")
        return False
    got = list(obj.keys())
    if got != [k for k in keys if k in obj] or not set(keys) - set(optional) <= set(got):
        rep.add(where, f"keys must be {keys} in this order (optional: {sorted(optional)}), got {got}")
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


# The sign between two terms, spaced as the catalog writes it: the program
# reads ' + ' and ' - ' alike (Catalog.terms(of:)), so both are split here.
SIGN_RE = re.compile(r" ([+-]) ")


def split_terms(expr):
    """[(sign, term text), ...]: the first term is added; each later one is
    added after ' + ' and subtracted after ' - '."""
    pieces = SIGN_RE.split(expr)
    return [("+", pieces[0])] + list(zip(pieces[1::2], pieces[2::2]))


def parse_expr(rep, where, expr, elements, subtract=False):
    """An indicator's part: element codes joined by ' + '; a numerator
    (subtract=True) may also take a later code away with ' - ' (births less
    deaths). Returns the codes, subtracted ones included."""
    if not isinstance(expr, str) or not expr:
        rep.add(where, "expression must be a non-empty string")
        return []
    allowed = "ELEMENT_CODE + ELEMENT_CODE" + (" - ELEMENT_CODE" if subtract else "")
    terms = []
    for sign, term in split_terms(expr):
        if sign == "-" and not subtract:
            rep.add(where, f"'- {term}' in {expr!r}: only a numerator subtracts (a denominator is a population)")
        if not CODE_RE.match(term):
            rep.add(where, f"bad term {term!r} in {expr!r} (only {allowed} allowed)")
        elif term not in elements:
            rep.add(where, f"unknown data element {term!r} in {expr!r}")
        terms.append(term)
    if len(set(terms)) != len(terms):
        rep.add(where, f"element repeated in {expr!r}")
    return terms


def parse_rule_expr(rep, where, expr, elements):
    """A rule's side: terms joined by ' + ', each ELEMENT, N * ELEMENT or a
    number N (N whole or decimal, above 0). Returns (element codes, terms as
    (constant text, element or None)), or None when the side is malformed
    or names an unknown element (every problem reported)."""
    if not isinstance(expr, str) or not expr:
        rep.add(where, "expression must be a non-empty string")
        return None
    codes, terms, problems = [], [], len(rep.problems)
    for sign, term in split_terms(expr):
        if sign == "-":
            # the program refuses it too: A - B <= C is written A <= B + C
            rep.add(where, f"'- {term}' in {expr!r}: a rule adds its terms; move it to the other side")
            continue
        factors = term.split(" * ")
        number, code = None, None
        if len(factors) == 2:
            number, code = factors
        elif len(factors) == 1 and NUMBER_RE.match(term):
            number = term
        elif len(factors) == 1:
            code = term
        else:
            rep.add(where, f"bad term {term!r} in {expr!r} (use ELEMENT, N * ELEMENT or a number N)")
            continue
        if number is not None:
            if not NUMBER_RE.match(number):
                rep.add(where, f"constant {number!r} in {expr!r} is not a plain number (80, 0.8)")
                continue
            if float(number) == 0 or len(number.replace(".", "")) > MAX_NUMBER_DIGITS:
                rep.add(where, f"constant {number!r} in {expr!r} must be above 0, "
                               f"with at most {MAX_NUMBER_DIGITS} digits")
        if code is not None:
            if not CODE_RE.match(code):
                rep.add(where, f"bad term {term!r} in {expr!r} (use ELEMENT, N * ELEMENT or a number N)")
                continue
            if code not in elements:
                rep.add(where, f"unknown data element {code!r} in {expr!r}")
            codes.append(code)
        terms.append((number or "1", code))
    if len(set(codes)) != len(codes):
        rep.add(where, f"element repeated in {expr!r}")
    return (codes, terms) if len(rep.problems) == problems else None


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def squash(text):
    """Whitespace removed: seeds break lines and pad with spaces at random."""
    return re.sub(r"\s+", "", text)


def seed_parts(text):
    """{"篇一": text of part one, ...} for a seed that holds several documents."""
    parts, current, lines = {}, None, []
    for line in text.splitlines():
        m = PART_HEADING_RE.match(line.strip())
        if m:
            if current:
                parts[current] = "\n".join(lines)
            current, lines = m.group(1), []
        lines.append(line)
    if current:
        parts[current] = "\n".join(lines)
    return parts


def aggregation_of(terms, elements):
    aggs = {elements[t].get("aggregation") for t in terms if t in elements}
    return aggs.pop() if len(aggs) == 1 else ("mixed" if aggs else None)


def check_quote(rep, where, quote, haystack, what):
    if not isinstance(quote, str) or not quote.strip():
        rep.add(where, "quote must be a non-empty string")
        return
    q = squash(quote)
    if len(q) > MAX_QUOTE:
        rep.add(where, f"quote {quote!r} is {len(q)} characters; keep it to a fragment of at most {MAX_QUOTE}")
    if haystack is not None and q not in haystack:
        rep.add(where, f"quote {quote!r} not found in {what}")


def check_milestones(rep, where, t):
    ms = t["milestones"]
    if not isinstance(ms, list) or not ms:
        rep.add(where, "milestones must be a non-empty list (leave the key out when there are none)")
        return []
    if t["direction"] not in (">=", "<="):
        rep.add(where, "milestones need direction '>=' or '<='")
    dates, values = [], []
    for k, m in enumerate(ms):
        mw = f"{where} milestones[{k}]"
        if not check_keys(rep, mw, m, MILESTONE_KEYS):
            continue
        match = MMDD_RE.match(m["by"]) if isinstance(m["by"], str) else None
        if not match or not 1 <= int(match.group(1)) <= 12 \
                or not 1 <= int(match.group(2)) <= DAYS_IN_MONTH[int(match.group(1)) - 1]:
            rep.add(mw, f"by {m['by']!r} is not a date MM-DD")
        else:
            dates.append(m["by"])
        if not is_number(m["value"]) or m["value"] <= 0:
            rep.add(mw, f"value {m['value']!r} must be a positive number")
        else:
            values.append(m["value"])
    if len(dates) == len(ms) and dates != sorted(set(dates)):
        rep.add(where, f"milestone dates {dates} must be strictly increasing")
    if len(values) == len(ms) and is_number(t["value"]):
        steps = values + [t["value"]]
        rising = t["direction"] == ">="
        if any((b < a if rising else b > a) for a, b in zip(steps, steps[1:])) or len(set(values)) != len(values):
            rep.add(where, f"milestone values {values} must move strictly towards the year-end value {t['value']}")
    return ms


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
    seed_texts = {}
    for f in sorted(seed_files):
        if f.endswith(".txt"):
            with open(os.path.join(seeds_dir, f), encoding="utf-8", errors="replace") as fh:
                seed_texts[f] = fh.read()

    if cat.get("version") != 1:
        rep.add("version", "must be 1")
    day = cat.get("reporting_day")
    if not isinstance(day, int) or isinstance(day, bool) or not 1 <= day <= 28:
        rep.add("reporting_day", f"must be an integer day 1..28, got {day!r}")

    all_codes = Counter()

    # plans: one per seed document, or one per part (篇) of a seed that
    # gathers several documents; each part cited, each year where known
    plans = {}
    haystacks = {}  # plan id -> squashed text its quotes must come from
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
            continue
        year = p["year"]
        if year is not None and (not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2030):
            rep.add(where, f"year {year!r} must be null or a year 2000..2030")
        part = p["part"]
        if part is None:
            haystacks[pid] = squash(seed_texts.get(src, ""))
        elif not isinstance(part, str) or not PART_RE.match(part):
            rep.add(where, f"part {part!r} must be null or 篇 and a Chinese numeral (篇三)")
        else:
            parts = seed_parts(seed_texts.get(src, ""))
            if part not in parts:
                rep.add(where, f"{src} has no heading ending in {part} (it has {sorted(parts)})")
            else:
                haystacks[pid] = squash(parts[part])
    if not plans:
        rep.add("plans", "no plans defined")
    by_source = {}
    for pid, p in plans.items():
        by_source.setdefault(p["source"], []).append(p)
    for src, ps in by_source.items():
        parts = [p["part"] for p in ps]
        if len(ps) > 1 and (None in parts or len(set(parts)) != len(parts)):
            rep.add("plans", f"{len(ps)} plans share source {src!r}: only distinct parts (篇) of one seed may")
    if cat.get("default_plan") not in plans:
        rep.add("default_plan", f"{cat.get('default_plan')!r} is not a defined plan id")

    # data elements: each says how its months make a quarter or a year
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
        if e["aggregation"] not in AGGREGATIONS:
            rep.add(where, f"aggregation {e['aggregation']!r} not one of {sorted(AGGREGATIONS)}")
    if not elements:
        rep.add("data_elements", "no data elements defined")
    zh_names = Counter(e["name_zh"] for e in elements.values())
    for n, k in zh_names.items():
        if k > 1:
            rep.add("data_elements", f"name_zh {n!r} is used {k} times (clerks type it to pick an element)")

    # indicators
    indicators = {}
    used = set()
    plans_with_targets = set()
    for i, ind in enumerate(cat.get("indicators") or []):
        where = f"indicators[{i}]"
        if not check_keys(rep, where, ind, INDICATOR_KEYS, OPTIONAL_INDICATOR_KEYS):
            continue
        code = ind["code"]
        where = f"indicators[{i}] {code}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            rep.add(where, "code is not UPPER_SNAKE")
            continue
        all_codes[code] += 1
        indicators[code] = ind
        check_names(rep, where, ind)
        num = parse_expr(rep, where + " numerator", ind["numerator"], elements, subtract=True)
        used.update(num)
        factor = ind["factor"]
        is_count = ind["denominator"] == ""
        den = [] if is_count else parse_expr(rep, where + " denominator", ind["denominator"], elements)
        used.update(den)
        if ind["numerator"] == ind["denominator"]:
            rep.add(where, "numerator and denominator are identical")
        if is_count:
            if factor != 1 or isinstance(factor, bool):
                rep.add(where, f"a plain count (empty denominator) has factor 1, not {factor!r}")
        elif not isinstance(factor, int) or isinstance(factor, bool) or factor not in FACTORS:
            rep.add(where, f"factor {factor!r} not one of {sorted(FACTORS)} (1 only for a count)")
        if code in LIVE_BIRTH_DENOMINATOR and ind["denominator"] != "LIVE_BIRTHS":
            rep.add(where, "the national definition divides by live births: denominator must be LIVE_BIRTHS")
        if code == "HOSPITAL_DELIVERY_RATE" and ind["numerator"] != "HOSPITAL_LIVE_BIRTHS":
            rep.add(where, "hospital delivery counts live births born in hospital: numerator HOSPITAL_LIVE_BIRTHS")

        # time: how the indicator's figures add up over months
        period = ind["period"]
        if period not in INDICATOR_PERIODS:
            rep.add(where, f"period {period!r} not one of {sorted(INDICATOR_PERIODS)}")
        annualise = ind.get("annualise")
        num_agg, den_agg = aggregation_of(num, elements), aggregation_of(den, elements)
        if num_agg == "mixed" or den_agg == "mixed":
            rep.add(where, "an expression mixes 'sum' and 'last' elements")
        if "annualise" in ind:
            if annualise is not True:
                rep.add(where, "annualise is true or left out")
            elif is_count or num_agg != "sum" or den_agg != "last" or period != "year":
                rep.add(where, "annualise is for a yearly rate of events ('sum') per population ('last')")
        if num_agg == "last" and den_agg == "sum":
            rep.add(where, "a running figure ('last') over events summed ('sum') changes meaning with the period")
        if num_agg == "sum" and den_agg == "last" and period != "year":
            rep.add(where, "events ('sum') over a population or quota ('last') only mean something over a year")
        if code.endswith("_MORTALITY_RATE") and period != "year":
            rep.add(where, "mortality is judged over the year (period 'year')")
        if "definition" in ind:
            d = ind["definition"]
            if not isinstance(d, str) or not CJK_RE.search(d) or len(d) > MAX_DEFINITION:
                rep.add(where, f"definition must be a short Chinese citation (at most {MAX_DEFINITION} characters)")

        targets = ind["targets"]
        if not isinstance(targets, list) or not targets:
            rep.add(where, "needs at least one target")
            continue
        seen_plans = set()
        for j, t in enumerate(targets):
            tw = f"{where} targets[{j}]"
            if not check_keys(rep, tw, t, TARGET_KEYS, OPTIONAL_TARGET_KEYS):
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
            if t["period"] not in TARGET_PERIODS:
                rep.add(tw, f"period {t['period']!r} not one of {sorted(TARGET_PERIODS)}")
            elif period == "year" and t["period"] != "year":
                rep.add(tw, f"a yearly indicator cannot have a {t['period']} target")
            v = t["value"]
            direction = t["direction"]
            if direction not in DIRECTIONS:
                rep.add(tw, f"direction {direction!r} not one of {sorted(DIRECTIONS)}")
            if not is_number(v) or v <= 0:
                rep.add(tw, f"value {v!r} must be a positive number")
            elif factor == 100 and direction in (">=", "between") and v > 100:
                rep.add(tw, f"percentage floor {v} is above 100")
            elif is_count and isinstance(v, float) and not v.is_integer():
                rep.add(tw, f"a count target {v} must be a whole number")
            if direction == "between":
                mx = t.get("max")
                if not is_number(mx) or not is_number(v) or mx <= v:
                    rep.add(tw, f"'between' needs max greater than value, got value {v!r} max {mx!r}")
            elif "max" in t:
                rep.add(tw, "max is only for direction 'between'")
            if "scope" in t and t["scope"] not in SCOPES:
                rep.add(tw, f"scope {t['scope']!r} not one of {sorted(SCOPES)}")
            where_quoted = f"{t['source']}" + (f" {plans[pid]['part']}" if pid in plans and plans[pid]["part"] else "")
            check_quote(rep, tw, t["quote"], haystacks.get(pid), where_quoted)
            if "milestones" in t:
                for k, m in enumerate(check_milestones(rep, tw, t)):
                    if isinstance(m, dict) and "quote" in m:
                        check_quote(rep, f"{tw} milestones[{k}]", m["quote"], haystacks.get(pid), where_quoted)
    if len(indicators) < MIN_INDICATORS:
        rep.add("indicators", f"only {len(indicators)} indicators, need at least {MIN_INDICATORS}")
    for pid in plans:
        if pid not in plans_with_targets:
            rep.add(f"plan {pid}", "sets no target (only documents that set targets get a plan)")

    # rules
    rules = {}
    pair_rules = {}
    signatures = {}
    for i, r in enumerate(cat.get("rules") or []):
        where = f"rules[{i}]"
        if not check_keys(rep, where, r, RULE_KEYS, OPTIONAL_RULE_KEYS):
            continue
        code = r["code"]
        where = f"rules[{i}] {code}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            rep.add(where, "code is not UPPER_SNAKE")
            continue
        all_codes[code] += 1
        rules[code] = r
        check_names(rep, where, r)
        sides = (parse_rule_expr(rep, where + " left", r["left"], elements),
                 parse_rule_expr(rep, where + " right", r["right"], elements))
        if None in sides:
            continue  # reported; the checks below would only repeat it
        (left, left_terms), (right, right_terms) = sides
        used.update(left)
        used.update(right)
        if not left and not right:
            rep.add(where, "names no data element")
        compare = r.get("compare")
        if "period" in r and r["period"] not in RULE_PERIODS:
            rep.add(where, f"period {r['period']!r} not one of {sorted(RULE_PERIODS)} (leave it out for every month)")
        if compare is not None:
            # the figure this month against the same figure the month before:
            # only a running total for the year ('last') must not go down
            if compare not in COMPARES:
                rep.add(where, f"compare {compare!r} not one of {sorted(COMPARES)}")
            if r["left"] != r["right"] or r["operator"] != ">=":
                rep.add(where, "a month-over-month rule reads X >= X: the same expression on both sides")
            if any(number != "1" for number, _ in left_terms + right_terms):
                rep.add(where, "a month-over-month rule compares figures as entered: no constants")
            for element in left:
                if element in elements and elements[element].get("aggregation") != "last":
                    rep.add(where, f"month-over-month rule names {element!r}, which is not a running figure ('last'): "
                                   "events of a month may fall from one month to the next")
            if r["severity"] != "warning":
                rep.add(where, "a month-over-month rule only warns (a correction can lower a figure)")
            if "period" in r:
                rep.add(where, "a month-over-month rule is judged month by month: leave period out")
        elif set(left) & set(right):
            rep.add(where, "same element on both sides")
        if r["operator"] not in OPERATORS:
            rep.add(where, f"operator {r['operator']!r} not one of {sorted(OPERATORS)}")
        if r["severity"] not in SEVERITIES:
            rep.add(where, f"severity {r['severity']!r} not one of {sorted(SEVERITIES)}")
        la, ra = aggregation_of(left, elements), aggregation_of(right, elements)
        if any(code is None for _, code in left_terms + right_terms) \
                and any(elements.get(e, {}).get("aggregation") == "sum" for e in left + right):
            rep.add(where, "a plain number against events summed ('sum') changes meaning with the period "
                           "(a quarter adds three months): use N * ELEMENT on both sides, a ratio")
        if r["severity"] == "error" and None not in (la, ra) and "mixed" not in (la, ra) and la != ra:
            rep.add(where, f"an error rule compares a '{la}' side with a '{ra}' side: "
                           "over a quarter or a year one is summed and the other is not")
        # constants count: 100 * A <= 80 * B is not A <= B
        extra = (compare, r.get("period"))
        sig = (frozenset(left_terms), r["operator"], frozenset(right_terms), extra)
        flipped = (frozenset(right_terms), {"<=": ">=", ">=": "<="}.get(r["operator"], r["operator"]),
                   frozenset(left_terms), extra)
        for s in (sig, flipped):
            if s in signatures:
                rep.add(where, f"says the same as rule {signatures[s]}")
        signatures[sig] = code
        if r["operator"] == "<=":
            pair_rules.setdefault((r["left"], r["right"]), []).append(r)
    if len(rules) < MIN_RULES:
        rep.add("rules", f"only {len(rules)} rules, need at least {MIN_RULES}")

    # numerator <= denominator coverage
    for code, ind in indicators.items():
        if code in NOT_SUBSET or code.endswith("_COMPLETION_RATE") or ind["denominator"] == "" \
                or " - " in ind["numerator"]:
            continue
        found = pair_rules.get((ind["numerator"], ind["denominator"]), [])
        where = f"indicators {code}"
        if not found:
            rep.add(where, f"no rule '{ind['numerator']} <= {ind['denominator']}' "
                           "(add one, or list the indicator in NOT_SUBSET with a reason)")
            continue
        sev = {r["severity"] for r in found}
        if code.endswith("_MORTALITY_RATE") or code in CROSS_PERIOD:
            if "warning" not in sev or "error" in sev:
                rep.add(where, "cases among births of other months: its numerator <= denominator rule must warn")
        elif code in WOMEN_PER_LIVE_BIRTH:
            if "warning" not in sev or "error" in sev:
                rep.add(where, "women divided by live births: its numerator <= denominator rule must warn")
        elif code not in SUBSET_WARNING_OK and "error" not in sev:
            rep.add(where, "numerator <= denominator rule must have severity 'error'")

    # codes unique across elements, indicators and rules
    for code, n in all_codes.items():
        if n > 1:
            rep.add("codes", f"{code!r} is used {n} times (codes must be unique)")
    for code in sorted(set(elements) - used):
        rep.add(f"data_elements {code}", "is defined but used by no indicator or rule")

    # guard against copied sentences (quotes are the one place a seed's words may appear)
    seed_text = "\n".join(seed_texts.values())
    if seed_text:
        strings = []
        for group in ("plans", "data_elements", "indicators", "rules"):
            for obj in cat.get(group) or []:
                if isinstance(obj, dict):
                    label = f"{group} {obj.get('code', obj.get('id'))}"
                    for key in ("name_zh", "definition"):
                        if isinstance(obj.get(key), str):
                            strings.append((f"{label} {key}", obj[key]))
        for where, s in strings:
            for k in range(0, max(0, len(s) - MAX_SHARED_RUN) + 1):
                chunk = s[k:k + MAX_SHARED_RUN + 1]
                if len(chunk) > MAX_SHARED_RUN and chunk in seed_text:
                    rep.add(where, f"shares a run of more than {MAX_SHARED_RUN} characters "
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
