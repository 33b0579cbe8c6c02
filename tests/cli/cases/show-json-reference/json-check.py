# The reference INC from ../shared/seeds: every field, section and table row
# at the line (and column) where it stands in the file.
assert doc["path"] == "@SHARED@/seeds/inc-reference.md"
assert doc["id"] == "INC-REFERENCE"
assert doc["type"] == "inc"
assert doc["parsed"] is True
assert doc["diagnostics"] == []
assert doc["frontmatter_lines"] == {"start_line": 1, "end_line": 28}
assert doc["body_line"] == 29

# 16 fields: key position, value type and value position.
fields = [(f["key"], f["line"], f["column"], f["value"]["type"],
           f["value"]["line"], f["value"]["column"]) for f in doc["fields"]]
assert fields == [
    ("type", 2, 1, "string", 2, 7),
    ("title", 3, 1, "string", 3, 8),
    ("status", 4, 1, "string", 4, 9),
    ("severity", 5, 1, "string", 5, 11),
    ("commander", 6, 1, "string", 6, 12),
    ("responders", 7, 1, "sequence", 8, 3),
    ("started_at", 10, 1, "string", 10, 13),
    ("resolved_at", 11, 1, "string", 11, 14),
    ("duration_minutes", 12, 1, "integer", 12, 19),
    ("affected_systems", 13, 1, "sequence", 14, 3),
    ("customer_impact", 17, 1, "string", 17, 18),
    ("tags", 18, 1, "sequence", 19, 3),
    ("caused_by", 21, 1, "string", 21, 12),
    ("triggers", 22, 1, "sequence", 23, 3),
    ("enables", 24, 1, "sequence", 25, 3),
    ("related", 26, 1, "sequence", 27, 3),
], fields
by_key = {f["key"]: f["value"] for f in doc["fields"]}
assert by_key["duration_minutes"]["value"] == 93
assert by_key["duration_minutes"]["raw"] == "93"
assert [(i["value"], i["line"], i["column"]) for i in by_key["affected_systems"]["items"]] == [
    ("api-gateway", 14, 5), ("user-service", 15, 5), ("billing-service", 16, 5)]
assert doc["frontmatter"]["commander"] == "@onni"
assert doc["frontmatter"]["responders"] == ["@alice", "@bob"]

# 7 top-level sections at their lines, none nested.
sections = [(s["heading"], s["level"], s["line"], s["end_line"]) for s in doc["sections"]]
assert sections == [
    ("Summary", 1, 30, 32),
    ("Impact", 1, 34, 39),
    ("Timeline", 1, 41, 52),
    ("Root Cause", 1, 54, 56),
    ("Resolution", 1, 58, 62),
    ("Action Items", 1, 64, 71),
    ("Lessons Learned", 1, 73, 77),
], sections
assert all(s["sections"] == [] for s in doc["sections"])
assert [s["tables"] for s in doc["sections"]] == [[], [], [1], [], [], [2], []]

# The timeline: 8 rows, one per line, cells at their columns.
timeline, actions = doc["tables"]
assert (timeline["index"], timeline["section"], timeline["line"], timeline["end_line"]) == \
    (1, "Timeline", 43, 52)
assert timeline["columns"] == ["Time", "Event", "Actor"]
assert len(timeline["rows"]) == 8
assert timeline["row_lines"] == [45, 46, 47, 48, 49, 50, 51, 52]
assert [r["Time"] for r in timeline["rows"]] == [
    "14:32", "14:35", "14:42", "14:50", "15:10", "15:25", "15:40", "16:05"]
assert timeline["rows"][0] == {"Time": "14:32", "Event": "Alerts fire: API p99 >5s",
                               "Actor": "PagerDuty"}
assert timeline["cell_positions"][0] == [[45, 3], [45, 11], [45, 38]]
assert timeline["cell_positions"][3] == [[48, 3], [48, 11], [48, 74]]

# The action items: 4 rows with owner, due date and status.
assert (actions["index"], actions["section"], actions["line"], actions["end_line"]) == \
    (2, "Action Items", 66, 71)
assert actions["columns"] == ["Action", "Owner", "Due", "Status"]
assert actions["row_lines"] == [68, 69, 70, 71]
assert [(r["Owner"], r["Due"], r["Status"]) for r in actions["rows"]] == [
    ("@alice", "2025-02-01", "done"),
    ("@bob", "2025-02-05", "in-progress"),
    ("@onni", "2025-01-25", "done"),
    ("@alice", "2025-02-10", "pending"),
]
assert actions["cell_positions"][0] == [[68, 3], [68, 41], [68, 50], [68, 63]]

assert doc["links"] == []
