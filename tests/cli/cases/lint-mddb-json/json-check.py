# md-db's corpus with the default schema: one finding, the ref to an ADR
# that the corpus does not hold.
assert (doc["files"], doc["errors"], doc["warnings"]) == (6, 1, 0)
assert len(doc["diagnostics"]) == 1
d = doc["diagnostics"][0]
assert d["code"] == "PM401"
assert d["severity"] == "error"
assert d["file"] == "@SHARED@/peers/md-db/adr-003.md"
assert (d["line"], d["column"]) == (7, 16)
assert "ADR-005" in d["message"]
