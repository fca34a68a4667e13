"""Validates one SARIF file written by tests/unit/test_report.c.

Usage: check_sarif.py SARIF SCHEMA NRULES

Checks the SARIF 2.1.0 JSON schema, then what GitHub code scanning relies on
beyond the schema: every catalogue rule listed once, every result's ruleIndex
pointing at its ruleId, exactly one location with a 1-based region, and levels
limited to error/warning/note. Exit 0 when all hold."""
import json
import sys

import jsonschema


def main(argv):
    sarif_path, schema_path, nrules = argv[1], argv[2], int(argv[3])
    with open(sarif_path, encoding="utf-8") as f:
        doc = json.load(f)
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.validate(doc, schema)

    problems = []
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    if len(rules) != nrules:
        problems.append(f"{len(rules)} rules, catalogue has {nrules}")
    if len(set(ids)) != len(ids):
        problems.append("duplicate rule ids")
    for r in rules:
        for key in ("shortDescription", "fullDescription", "help"):
            if not r.get(key, {}).get("text"):
                problems.append(f"rule {r['id']}: no {key}.text")
        if len(r["fullDescription"]["text"]) > 1024:
            problems.append(f"rule {r['id']}: fullDescription over 1024 characters")
        if r["defaultConfiguration"]["level"] not in ("error", "warning", "note"):
            problems.append(f"rule {r['id']}: bad default level")
    if not driver.get("informationUri"):
        problems.append("no informationUri")
    for i, res in enumerate(run["results"]):
        if ids[res["ruleIndex"]] != res["ruleId"]:
            problems.append(f"result {i}: ruleIndex does not match ruleId")
        if res["level"] not in ("error", "warning", "note"):
            problems.append(f"result {i}: level {res['level']}")
        locs = res["locations"]
        if len(locs) != 1:
            problems.append(f"result {i}: {len(locs)} locations")
        region = locs[0]["physicalLocation"]["region"]
        for key in ("startLine", "startColumn", "endLine", "endColumn"):
            if region.get(key, 0) < 1:
                problems.append(f"result {i}: region.{key} missing or < 1")
    for p in problems:
        print("check_sarif:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
