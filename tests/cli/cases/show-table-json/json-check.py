# The action items of INC-001, row by row with their lines.
assert (doc["index"], doc["section"], doc["line"], doc["end_line"]) == (2, "Action Items", 66, 71)
assert doc["columns"] == ["Action", "Owner", "Due", "Status"]
assert doc["row_lines"] == [68, 69, 70, 71]
assert [r["Action"] for r in doc["rows"]] == [
    "Add connection leak detection to CI",
    "Load test ORM migration paths",
    "Add connection pool metrics dashboard",
    "Review all ORM migration PRs for leaks",
]
assert [r["Status"] for r in doc["rows"]] == ["done", "in-progress", "done", "pending"]
assert [[c[0] for c in row] for row in doc["cell_positions"]] == [[l] * 4 for l in doc["row_lines"]]
assert doc["cell_positions"][1] == [[69, 3], [69, 35], [69, 42], [69, 55]]
