# The built-in schema: four types and five relations, each with the keys
# pmtool-schema(1) lists.
assert set(doc) == {"id_pattern", "types", "relations"}
types = {t["type"]: t for t in doc["types"]}
assert sorted(types) == ["adr", "gov", "inc", "opp"]
for name, t in types.items():
    assert t["prefix"] == name.upper()
    assert t["file"].endswith("/schema/%s.yaml" % name)
    for key in ("description", "fields", "sections", "rules"):
        assert key in t, (name, key)
    for f in t["fields"]:
        assert {"name", "type", "required"} <= set(f), f
        assert ("values" in f) == (f["type"] == "enum"), f
assert types["inc"]["rules"] == ["incident-window", "timeline-order", "action-items"]
assert types["adr"]["rules"] == ["superseded-status"]
assert types["gov"]["rules"] == ["review-dates"]
assert types["opp"]["rules"] == []
inc_fields = {f["name"]: f for f in types["inc"]["fields"]}
assert inc_fields["severity"]["values"] == ["sev1", "sev2", "sev3", "sev4"]
assert inc_fields["resolved_at"]["required"] is False
assert inc_fields["resolved_at"]["required_when"] == {"status": ["resolved", "postmortem"]}
assert inc_fields["duration_minutes"]["min"] == 0
assert inc_fields["affected_systems"]["min_items"] == 1

rels = doc["relations"]
assert len(rels) == 5
assert [(r["name"], r["inverse"], r["symmetric"], r["cardinality"], r["acyclic"])
        for r in rels] == [
    ("supersedes", "superseded_by", False, "one", True),
    ("enables", "enabled_by", False, "many", False),
    ("triggers", "caused_by", False, "many", True),
    ("blocks", "blocked_by", False, "many", False),
    ("related", None, True, "many", False)]
