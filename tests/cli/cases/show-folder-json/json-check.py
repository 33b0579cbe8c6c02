# A folder is an array of documents in path order, all parsed.
assert isinstance(doc, list)
assert [d["id"] for d in doc] == [
    "ADR-001", "ADR-002", "ADR-003", "ADR-004", "ADR-005", "GOV-001",
    "INC-001", "INC-002", "INC-003", "OPP-001", "OPP-002", "OPP-003"]
assert [d["path"] for d in doc] == ["@EXAMPLES@/%s.md" % d["id"].lower() for d in doc]
assert all(d["parsed"] and d["diagnostics"] == [] for d in doc)
assert {d["type"] for d in doc} == {"adr", "gov", "inc", "opp"}
by_id = {d["id"]: d for d in doc}
assert by_id["INC-001"]["tables"][1]["row_lines"] == [68, 69, 70, 71]
assert [s["path"] for s in by_id["ADR-001"]["sections"][1]["sections"]] == [
    "Consequences > Positive", "Consequences > Negative"]
assert [(l["target"], l["line"], l["column"]) for l in by_id["ADR-001"]["links"]] == [
    ("./inc-001.md", 61, 49)]
