# docs/examples/inc-001.md is the reference INC under its own name: the same
# model, found by path.
assert doc["path"] == "@EXAMPLES@/inc-001.md"
assert doc["id"] == "INC-001"
assert doc["type"] == "inc"
assert doc["parsed"] is True
assert doc["diagnostics"] == []
assert doc["frontmatter_lines"] == {"start_line": 1, "end_line": 28}
assert len(doc["fields"]) == 16
assert [f["key"] for f in doc["fields"]] == list(doc["frontmatter"])
assert doc["frontmatter"]["caused_by"] == "ADR-001"
assert doc["frontmatter"]["duration_minutes"] == 93
responders = doc["fields"][5]
assert responders["key"] == "responders"
assert [(i["value"], i["line"], i["column"]) for i in responders["value"]["items"]] == [
    ("@alice", 8, 5), ("@bob", 9, 5)]
assert [(s["heading"], s["line"], s["end_line"]) for s in doc["sections"]] == [
    ("Summary", 30, 32), ("Impact", 34, 39), ("Timeline", 41, 52),
    ("Root Cause", 54, 56), ("Resolution", 58, 62), ("Action Items", 64, 71),
    ("Lessons Learned", 73, 77)]
assert [(t["section"], t["line"], t["end_line"], len(t["rows"])) for t in doc["tables"]] == [
    ("Timeline", 43, 52, 8), ("Action Items", 66, 71, 4)]
assert doc["tables"][0]["row_lines"] == list(range(45, 53))
assert doc["tables"][1]["row_lines"] == [68, 69, 70, 71]
assert doc["links"] == []
