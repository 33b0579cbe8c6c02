# Every hit has its members, a highlighted snippet and a path:line; the
# best (lowest BM25) comes first; a section's line is its heading.
import re

assert isinstance(doc, list) and len(doc) == 7, doc
for row in doc:
    assert list(row) == ["id", "type", "section", "snippet", "location", "rank"], row
    assert "**" in row["snippet"], row
    assert isinstance(row["rank"], float) and row["rank"] < 0, row
    m = re.fullmatch(r"(docs/[a-z]+-\d{3}\.md):(\d+)", row["location"])
    assert m, row
    assert m.group(1) == "docs/%s.md" % row["id"].lower(), row
    if row["section"] != "(title)":
        with open(m.group(1), encoding="utf-8") as f:
            line = f.read().split("\n")[int(m.group(2)) - 1]
        heading = row["section"].split(" > ")[-1]
        assert re.fullmatch(r"#+ " + re.escape(heading), line), (row, line)
ranks = [row["rank"] for row in doc]
assert ranks == sorted(ranks), ranks
assert {row["id"] for row in doc} == {"ADR-001", "ADR-003", "INC-001"}
