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


def share(rng, whole, lo, hi):
    """Part of a whole: round(whole x a share drawn from [lo, hi]), never above the whole."""
    return min(whole, round(whole * rng.uniform(lo, hi)))


def station_month(station_id, period):
    """Every element of one station-month, drawn from one model so that they
    agree with each other and with the catalog's rules by construction.

    Elements whose aggregation is "sum" count the month's events; those whose
    aggregation is "last" are the running figure at the month's end: stocks
    (population, records, contracts) drawn once per station and growing
    slowly, people covered so far this year (本年累计) rising with the month,
    and the year's quotas, the same all year."""
    year, month = (int(x) for x in period.split("-"))
    base = random.Random(f"station/{station_id}")           # sizes: the same every month
    rng = random.Random(f"tallies/{station_id}/{period}")   # this month's events
    elapsed = month / 12                                     # share of the year gone by
    v = {}

    # ---- stocks, month-end figures
    residents0 = base.randint(12_000, 30_000)
    months_since_2020 = (year - 2020) * 12 + month
    R = v["RESIDENTS"] = residents0 + months_since_2020 * base.randint(5, 20)
    v["KEY_POP_RESIDENTS"] = round(R * base.uniform(0.25, 0.32))
    v["ELDERLY_65_PLUS"] = round(R * base.uniform(0.11, 0.14))
    v["SPECIAL_FP_FAMILY_MEMBERS"] = base.randint(8, 30)
    v["HOUSEHOLD_REG_POPULATION"] = round(R * base.uniform(0.6, 0.8))
    v["RURAL_RESIDENTS"] = round(v["HOUSEHOLD_REG_POPULATION"] * base.uniform(0.3, 0.6))
    v["NCMS_ENROLLED"] = round(v["RURAL_RESIDENTS"] * base.uniform(0.94, 0.99))
    v["NEW_RESIDENTS"] = round(R * base.uniform(0.04, 0.08))
    v["NEW_RESIDENT_EHR"] = round(v["NEW_RESIDENTS"] * base.uniform(0.75, 0.9))
    v["MIGRANT_WOMEN_15_49"] = round(v["NEW_RESIDENTS"] * base.uniform(0.2, 0.3))
    v["MIGRANT_WOMEN_REGISTERED"] = round(v["MIGRANT_WOMEN_15_49"] * base.uniform(0.85, 0.95))
    v["CHILDREN_UNDER7"] = round(R * base.uniform(0.055, 0.075))
    v["CHILDREN_UNDER3"] = round(v["CHILDREN_UNDER7"] * base.uniform(0.38, 0.45))
    v["MARRIED_WOMEN_15_49"] = round(R * base.uniform(0.18, 0.22))
    v["WOMEN_GYN_DUE"] = round(R * base.uniform(0.10, 0.14))
    v["EUGENICS_GUIDANCE_DUE"] = base.randint(5, 20)
    v["SMI_REGISTERED"] = round(R * base.uniform(0.0042, 0.005))
    v["SMI_MANAGED"] = round(v["SMI_REGISTERED"] * base.uniform(0.82, 0.92))
    v["EHR_STANDARD"] = round(R * base.uniform(0.75, 0.9))
    v["POP_INFO_ENTERED"] = round(v["HOUSEHOLD_REG_POPULATION"] * base.uniform(0.97, 0.995))
    v["PMTCT_STAFF"] = base.randint(4, 10)
    v["NEWBORN_SCREENING_FACILITIES"] = base.randint(1, 2)
    v["NEWBORN_SCREENING_FACILITIES_COVERED"] = v["NEWBORN_SCREENING_FACILITIES"]
    # contracts grow through the year
    growth = 0.85 + 0.15 * elapsed
    v["FD_CONTRACTED"] = round(R * base.uniform(0.30, 0.40) * growth)
    v["FD_CONTRACTED_KEY_POP"] = min(v["FD_CONTRACTED"],
                                     round(v["KEY_POP_RESIDENTS"] * base.uniform(0.6, 0.75) * growth))
    v["FD_CONTRACTED_ELDERLY"] = min(v["FD_CONTRACTED_KEY_POP"],
                                     round(v["ELDERLY_65_PLUS"] * base.uniform(0.7, 0.9) * growth))
    v["FD_CONTRACTED_SPECIAL_FP"] = v["SPECIAL_FP_FAMILY_MEMBERS"] - (1 if base.random() < 0.3 else 0)
    # health cards: collected ahead of 001's dated milestones (30 % by June, 50 % by September, 80 % by December)
    v["HEALTH_CARD_INFO_COLLECTED"] = round(R * min(0.95, (0.1 + 0.9 * elapsed) * base.uniform(0.9, 1.0)))
    v["HEALTH_CARDS_ISSUED"] = round(v["HEALTH_CARD_INFO_COLLECTED"] * base.uniform(0.45, 0.6))

    # ---- people covered so far this year (本年累计): rise with the month
    covered = min(1.0, 0.2 + 0.8 * elapsed)
    v["CHILDREN_UNDER7_MANAGED"] = round(v["CHILDREN_UNDER7"] * base.uniform(0.9, 0.98) * covered)
    v["CHILDREN_UNDER3_MANAGED"] = min(v["CHILDREN_UNDER7_MANAGED"],
                                       round(v["CHILDREN_UNDER3"] * base.uniform(0.88, 0.96) * covered))
    v["REPRO_HEALTH_CHECKED"] = round(v["MARRIED_WOMEN_15_49"] * base.uniform(0.8, 0.9) * covered)
    v["WOMEN_GYN_EXAMINED"] = round(v["WOMEN_GYN_DUE"] * base.uniform(0.65, 0.8) * covered)
    v["EUGENICS_GUIDANCE_GIVEN"] = round(v["EUGENICS_GUIDANCE_DUE"] * covered)
    v["PMTCT_STAFF_TRAINED"] = round(v["PMTCT_STAFF"] * covered)
    villages = len(next(s for s in PEOPLE["stations"] if s["id"] == station_id)["villages"])
    v["TB_SCREENED_VILLAGES"] = min(villages, round(villages * covered + 0.49))

    # ---- the year's quotas (the same figure every month) and the month's share of the work
    quotas = {
        "PMTCT_TESTED": ("PMTCT_TEST_PLANNED", round(R * base.uniform(0.008, 0.011))),
        "FOLIC_SUPPLIED": ("FOLIC_SUPPLY_PLANNED", base.randint(40, 70)),
        "STROKE_RISK_ASSESSED": ("STROKE_RISK_ASSESS_PLANNED", base.randint(500, 800)),
        "HPV_TESTS_DONE": ("HPV_TESTS_PLANNED", base.randint(1_000, 1_500)),
        "TB_SCREENED_STUDENTS": ("TB_SCREENING_PLANNED_STUDENTS", base.randint(12_000, 18_000)),
        "SEALANT_STUDENTS": ("SEALANT_PLANNED_STUDENTS", base.randint(2_000, 3_000)),
        "SCHOOL_PHYSICALS_DONE": ("SCHOOL_PHYSICALS_PLANNED", base.randint(5_000, 8_000)),
        "PRECONCEPTION_CHECKED_COUPLES": ("PRECONCEPTION_PLANNED_COUPLES", base.randint(300, 400)),
        "LARC_USERS_CHECKED": ("LARC_CHECK_PLANNED", base.randint(3_000, 4_000)),
    }
    for done, (planned, quota) in quotas.items():
        v[planned] = quota
        v[done] = round(quota / 12 * rng.uniform(0.85, 1.15))
    # flu vaccination is a campaign: most doses from September to December
    v["FLU_DOSES_PLANNED"] = round(R * base.uniform(0.04, 0.06))
    season = {1: 0.05, 9: 0.10, 10: 0.40, 11: 0.30, 12: 0.15}.get(month, 0.0)
    v["FLU_DOSES_GIVEN"] = round(v["FLU_DOSES_PLANNED"] * season * rng.uniform(0.9, 1.1))

    # ---- births and deliveries of the month. Women deliver singletons, twins
    # (two live births, one woman) or a stillbirth (a woman, no live birth):
    # so live births may exceed deliveries, and deliveries never exceed
    # live births plus stillbirths.
    singletons = max(1, round(R * base.uniform(0.007, 0.011) / 12 * rng.uniform(0.8, 1.2)))
    twins = 1 if rng.random() < 0.15 else 0
    stillbirths = 1 if rng.random() < 0.08 else 0
    home_births = 1 if rng.random() < 0.1 else 0          # one singleton born at home
    LB = v["LIVE_BIRTHS"] = singletons + 2 * twins
    D = v["DELIVERIES"] = singletons + twins + stillbirths
    v["STILLBIRTHS"] = stillbirths
    v["HOSPITAL_LIVE_BIRTHS"] = LB - home_births
    v["HOSPITAL_DELIVERIES"] = D - home_births
    v["MALE_LIVE_BIRTHS"] = sum(rng.random() < 0.515 for _ in range(LB))
    v["FEMALE_LIVE_BIRTHS"] = LB - v["MALE_LIVE_BIRTHS"]
    v["POLICY_COMPLIANT_BIRTHS"] = LB - (1 if rng.random() < 0.2 else 0)
    v["HOUSEHOLD_REG_BIRTHS"] = share(rng, LB, 0.6, 0.8)
    v["CAESAREAN_DELIVERIES"] = share(rng, v["HOSPITAL_DELIVERIES"], 0.3, 0.5)
    v["RURAL_DELIVERIES"] = share(rng, D, 0.4, 0.7)
    v["RURAL_HOSPITAL_DELIVERIES"] = min(v["RURAL_DELIVERIES"], v["HOSPITAL_DELIVERIES"])
    out_of_county = v["OUT_OF_COUNTY_RURAL_DELIVERIES"] = share(rng, v["RURAL_HOSPITAL_DELIVERIES"], 0.0, 0.2)
    v["OUT_OF_COUNTY_RURAL_SUBSIDISED"] = share(rng, out_of_county, 0.85, 1.0)
    in_county = v["RURAL_HOSPITAL_DELIVERIES"] - out_of_county
    v["RURAL_DELIVERY_SUBSIDISED"] = share(rng, in_county, 0.9, 1.0) + v["OUT_OF_COUNTY_RURAL_SUBSIDISED"]
    # critically ill women are few: a handful a year in a station's area
    v["CRITICAL_MATERNAL_CASES"] = 1 if rng.random() < 0.15 else 0
    v["CRITICAL_MATERNAL_HOSPITAL_DELIVERIES"] = min(v["CRITICAL_MATERNAL_CASES"], v["HOSPITAL_DELIVERIES"])
    # counts of women who delivered: at most the smaller of women and live
    # births, so the live-birth denominators stay at or under 100 %
    women = min(D, LB)
    v["PREGNANT_REGISTERED"] = share(rng, women, 0.92, 1.0)
    v["PREGNANT_REGISTERED_EARLY"] = share(rng, v["PREGNANT_REGISTERED"], 0.85, 1.0)
    v["PRENATAL_CHECKED"] = share(rng, women, 0.95, 1.0)
    v["PRENATAL_CHECKED_5PLUS"] = share(rng, v["PRENATAL_CHECKED"], 0.85, 1.0)
    v["POSTPARTUM_VISITED"] = share(rng, women, 0.85, 1.0)
    v["POSTPARTUM_42D_CHECKED"] = share(rng, women, 0.85, 1.0)
    v["MATERNAL_SYSTEM_MANAGED"] = share(
        rng, min(v["PRENATAL_CHECKED_5PLUS"], v["POSTPARTUM_VISITED"], v["PREGNANT_REGISTERED_EARLY"]), 0.9, 1.0)
    v["HIGH_RISK_PREGNANCIES"] = share(rng, D, 0.1, 0.3)
    v["HIGH_RISK_MANAGED"] = share(rng, v["HIGH_RISK_PREGNANCIES"], 0.9, 1.0)
    v["PREGNANT_HIV_TESTED"] = share(rng, D, 0.9, 1.0)
    v["MCH_CARDS"] = D + rng.randint(0, 5)
    v["MCH_CARDS_ENTERED"] = share(rng, v["MCH_CARDS"], 0.95, 1.0)
    v["NEWBORN_METABOLIC_SCREENED"] = share(rng, LB, 0.95, 1.0)
    v["NEWBORN_HEARING_SCREENED"] = share(rng, LB, 0.8, 1.0)
    v["NEONATAL_TETANUS_CASES"] = 0
    v["MATERNAL_DEATHS"] = 1 if rng.random() < 0.01 else 0
    v["INFANT_DEATHS"] = 1 if rng.random() < 0.05 else 0
    v["UNDER5_DEATHS"] = v["INFANT_DEATHS"] + (1 if rng.random() < 0.03 else 0)

    # ---- other events of the month
    v["VACCINE_DOSES_DUE"] = round(R * rng.uniform(0.012, 0.018))
    v["VACCINE_DOSES_GIVEN"] = share(rng, v["VACCINE_DOSES_DUE"], 0.9, 1.0)
    v["MIGRANT_CHILD_DOSES_DUE"] = share(rng, v["VACCINE_DOSES_DUE"], 0.1, 0.25)
    v["MIGRANT_CHILD_DOSES_GIVEN"] = min(share(rng, v["MIGRANT_CHILD_DOSES_DUE"], 0.85, 1.0),
                                         v["VACCINE_DOSES_GIVEN"])
    surveys = [
        ("PMTCT_SURVEYED", "PMTCT_AWARE", 0.8, 0.98),
        ("MIGRANTS_SURVEYED", "MIGRANTS_AWARE", 0.8, 0.95),
        ("EHR_AUDITED", "EHR_AUDIT_PASSED", 0.9, 1.0),
        ("POP_INFO_CHECKED", "POP_INFO_ACCURATE", 0.93, 1.0),
        ("BIRTH_INFO_CHANGES", "BIRTH_INFO_CHANGES_ON_TIME", 0.9, 1.0),
        ("MIGRANT_FP_EVENTS", "MIGRANT_FP_EVENTS_NOTIFIED", 0.95, 1.0),
        ("ONLINE_INQUIRIES", "ONLINE_INQUIRIES_ANSWERED", 0.95, 1.0),
        ("MIGRANT_MARRIAGE_CERTS", "MIGRANT_MARRIAGE_CERTS_ELECTRONIC", 0.8, 1.0),
        ("MARRIAGE_REGISTRANTS", "PREMARITAL_CHECKED", 0.3, 0.6),
        ("FP_FREE_SERVICE_ELIGIBLE", "FP_FREE_SERVICE_PROVIDED", 0.95, 1.0),
        ("FP_FOLLOWUP_DUE", "FP_FOLLOWED_UP", 0.95, 1.0),
        ("FOLIC_SURVEYED", "FOLIC_AWARE", 0.85, 1.0),
    ]
    sizes = {"PMTCT_SURVEYED": (15, 35), "MIGRANTS_SURVEYED": (20, 40), "EHR_AUDITED": (20, 50),
             "POP_INFO_CHECKED": (50, 200), "BIRTH_INFO_CHANGES": (0, 5), "MIGRANT_FP_EVENTS": (5, 20),
             "ONLINE_INQUIRIES": (3, 15), "MIGRANT_MARRIAGE_CERTS": (2, 10), "MARRIAGE_REGISTRANTS": (10, 30),
             "FP_FREE_SERVICE_ELIGIBLE": (5, 20), "FP_FOLLOWUP_DUE": (20, 60), "FOLIC_SURVEYED": (15, 40)}
    for whole, part, lo, hi in surveys:
        v[whole] = rng.randint(*sizes[whole])
        v[part] = share(rng, v[whole], lo, hi)
    v["ONLINE_INQUIRIES_ON_TIME"] = share(rng, v["ONLINE_INQUIRIES_ANSWERED"], 0.9, 1.0)
    v["FOLIC_TAKING"] = share(rng, v["FOLIC_SURVEYED"], 0.8, 0.98)
    v["FOLIC_COMPLIANT"] = share(rng, v["FOLIC_TAKING"], 0.6, 0.9)
    v["FIRST_AID_RESPONDERS_TRAINED"] = rng.randint(15, 30)
    v["FIRST_AID_PUBLIC_TRAINED"] = rng.randint(100, 200)
    # deaths of all ages, the children's and mothers' among them: 5-8 per
    # 1,000 a year, about the births' rate, so the natural growth rate
    # (births less deaths) goes either way. Drawn last: the draws above keep
    # the figures they gave before deaths were modelled.
    v["DEATHS"] = v["UNDER5_DEATHS"] + v["MATERNAL_DEATHS"] + round(R * rng.uniform(0.005, 0.008) / 12)
    return v


def tallies(station_id, period):
    """The month's figures for the indicators the default plan sets targets
    for, and for every element that shares a rule with them, so the report
    has its rules to check. All of them hold by construction: nothing is
    dropped, and a figure that broke a rule would stop the generator."""
    values = station_month(station_id, period)
    catalog_codes = {e["code"] for e in CATALOG["data_elements"]}
    missing, unknown = catalog_codes - set(values), set(values) - catalog_codes
    if missing or unknown:
        sys.exit(f"generate_demo.py: the model and the catalog disagree: "
                 f"not modelled {sorted(missing)}, not in the catalog {sorted(unknown)}")

    def terms(expression):
        # a numerator may subtract (births - deaths): both signs split terms
        return {p.strip() for p in expression.replace("-", "+").split("+") if p.strip()}

    plan = CATALOG["default_plan"]
    wanted = set()
    for indicator in CATALOG["indicators"]:
        if any(t["plan"] == plan for t in indicator["targets"]):
            wanted |= terms(indicator["numerator"]) | terms(indicator["denominator"])
    targeted = set(wanted)
    for rule in CATALOG["rules"]:
        elements = terms(rule["left"]) | terms(rule["right"])
        if elements & targeted:
            wanted |= elements
    values = {e: values[e] for e in wanted}
    broken = [r["code"] for r in CATALOG["rules"] if not holds(r, values)]
    if broken:
        sys.exit(f"generate_demo.py: {station_id} {period} breaks rules {broken}")
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
