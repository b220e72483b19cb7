#!/usr/bin/env python3
"""Deterministic synthetic demo data: resident CSVs and monthly tallies.

Synthetic people only: names are drawn from common surname and given-name
lists, ID numbers are left out, phones are made up. The same arguments always
give the same output.

  generate_demo.py stations                       -> "ID<TAB>name_zh" lines
  generate_demo.py residents STATION COUNT        -> CSV (Chinese headers) on stdout
  generate_demo.py tallies STATION PERIOD         -> "ELEMENT VALUE" lines that satisfy the catalog's rules
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PEOPLE = json.load(open(os.path.join(HERE, "demo-people.json"), encoding="utf-8"))
CATALOG = json.load(open(os.path.join(HERE, "catalog.json"), encoding="utf-8"))
TAGS = ["高血压", "糖尿病", "65岁以上老年人", "孕产妇", "0-6岁儿童", "残疾人"]


def stations():
    for station in PEOPLE["stations"]:
        print(f"{station['id']}\t{station['name_zh']}")


def residents(station_id, count):
    station = next(s for s in PEOPLE["stations"] if s["id"] == station_id)
    rng = random.Random(f"residents/{station_id}")
    print("姓名,性别,出生日期,村,户号,电话,重点人群")
    for index in range(count):
        sex = rng.choice(["男", "女"])
        name = rng.choice(PEOPLE["surnames"]) + rng.choice(PEOPLE["given_names"])
        year = rng.randint(1935, 2023)
        birth = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        village = rng.choice(station["villages"])
        household = f"{station_id}-{rng.randint(1, PEOPLE['households_per_village']):04d}"
        phone = "1" + rng.choice("3578") + "".join(rng.choice("0123456789") for _ in range(9))
        tags = []
        if year <= 1961:
            tags.append("65岁以上老年人")
        if year >= 2020:
            tags.append("0-6岁儿童")
        if sex == "女" and 1990 <= year <= 2002 and rng.random() < 0.15:
            tags.append("孕产妇")
        if year < 1975 and rng.random() < 0.3:
            tags.append(rng.choice(["高血压", "糖尿病"]))
        tag_cell = '"' + ",".join(tags) + '"' if tags else ""
        print(f"{name},{sex},{birth},{village},{household},{phone},{tag_cell}")


def holds(rule, values):
    def total(expression):
        parts = [p.strip() for p in expression.split("+")]
        if any(p not in values for p in parts):
            return None
        return sum(values[p] for p in parts)
    left, right = total(rule["left"]), total(rule["right"])
    if left is None or right is None:
        return True
    return {"<=": left <= right, ">=": left >= right, "==": left == right}[rule["operator"]]


def draw(rng, element):
    """A plausible monthly figure: populations are thousands of people, the
    services a station counts in a month are tens."""
    if element == "RESIDENTS":
        return rng.randint(12_000, 30_000)
    if element.endswith("_RESIDENTS"):
        return rng.randint(1_000, 6_000)
    return rng.randint(8, 30)


def tallies(station_id, period):
    rng = random.Random(f"tallies/{station_id}/{period}")
    plan = CATALOG["default_plan"]
    values = {}
    for indicator in CATALOG["indicators"]:
        if not any(t["plan"] == plan for t in indicator["targets"]):
            continue
        denominator = [p.strip() for p in indicator["denominator"].split("+")]
        numerator = [p.strip() for p in indicator["numerator"].split("+")]
        for element in denominator:
            if element not in values:
                values[element] = draw(rng, element)
        base = sum(values[e] for e in denominator)
        share = 0.0 if indicator["factor"] >= 1000 else rng.uniform(0.82, 1.0)
        for element in numerator:
            values.setdefault(element, int(base * share / len(numerator)))
    # Drop whatever a rule would refuse, so every figure entered is valid.
    changed = True
    while changed:
        changed = False
        for rule in CATALOG["rules"]:
            if rule["severity"] == "error" and not holds(rule, values):
                for element in rule["left"].split("+"):
                    values.pop(element.strip(), None)
                changed = True
    for element in sorted(values):
        print(f"{element} {values[element]}")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "stations":
        stations()
    elif command == "residents" and len(sys.argv) == 4:
        residents(sys.argv[2], int(sys.argv[3]))
    elif command == "tallies" and len(sys.argv) == 4:
        tallies(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
