# Integers come back as JSON numbers, NULL as null, text as strings.
assert [row["id"] for row in doc] == ["INC-001", "INC-002", "INC-003"]
for row in doc:
    assert list(row) == ["id", "severity", "duration_minutes", "actions", "done",
                         "last_due", "no_value"], row
    assert type(row["duration_minutes"]) is int and type(row["actions"]) is int, row
    assert type(row["done"]) is int and type(row["last_due"]) is str, row
    assert row["no_value"] is None, row
assert [(r["duration_minutes"], r["actions"], r["done"]) for r in doc] == \
    [(93, 4, 2), (87, 6, 3), (70, 5, 2)]
