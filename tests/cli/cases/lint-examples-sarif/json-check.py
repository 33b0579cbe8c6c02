# SARIF 2.1.0 as GitHub code scanning reads it: one run, one rule per code
# that occurs, each result pointing at its rule by id and index.
assert doc["version"] == "2.1.0"
assert doc["$schema"].endswith("sarif-2.1.0.json")
assert len(doc["runs"]) == 1
run = doc["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "pmtool"
assert driver["version"]
rules = driver["rules"]
assert [r["id"] for r in rules] == ["PM607"]
for r in rules:
    assert r["shortDescription"]["text"]
    assert r["name"] == "OverdueActionItem"
    assert r["defaultConfiguration"]["level"] == "warning"
assert run["columnKind"] == "unicodeCodePoints"

results = run["results"]
assert len(results) == 3
for res in results:
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["level"] == "warning"
    assert "(hint: " in res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].startswith("file://@EXAMPLES@/")
    assert loc["region"]["startLine"] >= 1
assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"],
         r["locations"][0]["physicalLocation"]["region"]["startColumn"])
        for r in results] == [
    ("file://@EXAMPLES@/inc-001.md", 69, 42),
    ("file://@EXAMPLES@/inc-001.md", 71, 53),
    ("file://@EXAMPLES@/inc-002.md", 84, 87)]
