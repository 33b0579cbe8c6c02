# The example repository: 12 documents, no errors, three overdue action
# items; every diagnostic has all its keys, and they come sorted.
import os
import re

assert set(doc) == {"files", "errors", "warnings", "diagnostics"}
assert (doc["files"], doc["errors"], doc["warnings"]) == (12, 0, 3)
diags = doc["diagnostics"]
keys = {"file", "line", "column", "severity", "code", "message", "hint"}
for d in diags:
    assert set(d) == keys, d
    assert isinstance(d["line"], int) and isinstance(d["column"], int)
    assert isinstance(d["hint"], str) and d["hint"]
assert sum(d["severity"] == "error" for d in diags) == doc["errors"]
assert sum(d["severity"] == "warning" for d in diags) == doc["warnings"]
assert [d["code"] for d in diags] == ["PM607"] * 3
assert diags == sorted(diags, key=lambda d: (d["file"], d["line"], d["column"], d["code"]))
assert [(d["file"], d["line"], d["column"]) for d in diags] == [
    ("@EXAMPLES@/inc-001.md", 69, 42),
    ("@EXAMPLES@/inc-001.md", 71, 53),
    ("@EXAMPLES@/inc-002.md", 84, 87)]

# Each position is the Due cell the message names.
examples = os.path.join("..", "..", "..", "..", "docs", "examples")
for d in diags:
    path = d["file"].replace("@EXAMPLES@", examples)
    with open(path, encoding="utf-8") as f:
        line = f.read().split("\n")[d["line"] - 1]
    due = re.search(r"due (\d{4}-\d\d-\d\d)", d["message"]).group(1)
    assert line[d["column"] - 1:].startswith(due + " |"), (line, d)
