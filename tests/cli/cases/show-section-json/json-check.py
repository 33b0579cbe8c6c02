# One section as JSON: its place in the tree and its Markdown source.
assert doc["heading"] == "Negative"
assert doc["path"] == "Consequences > Negative"
assert (doc["level"], doc["line"], doc["column"], doc["end_line"]) == (2, 57, 1, 66)
assert doc["tables"] == [] and doc["sections"] == []
md = doc["markdown"].split("\n")
assert md[0] == "## Negative"
assert md[-2] == "  new ORM layer."          # line 66, the section's last
assert md[-1] == ""
assert len(md) - 1 == 66 - 57 + 1
