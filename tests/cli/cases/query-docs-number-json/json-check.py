# duration_minutes>=80 compares numbers, not text ("240" < "80" and
# "9" > "80" as text), and --sort duration_minutes sorts them as numbers.
import glob
import re

durations = {}
for path in glob.glob("docs/*.md"):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^duration_minutes: (\d+)$", text, re.M)
    if m:
        durations["docs/" + path.split("/")[-1]] = int(m.group(1))
expected = sorted((p for p, d in durations.items() if d >= 80), key=durations.get)

assert [row["path"] for row in doc] == expected, (doc, durations)
assert [row["id"] for row in doc] == ["INC-002", "INC-001", "INC-004"]
for row in doc:
    assert list(row) == ["id", "type", "title", "status", "path"], row
