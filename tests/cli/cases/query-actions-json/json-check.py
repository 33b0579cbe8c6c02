# The action items of docs/ as of --today 2026-11-23: every row has the
# same members, and days_overdue is worked out again here from due, status
# and the date.
import datetime

COLUMNS = ["incident", "title", "severity", "action", "owner", "due", "status",
           "days_overdue", "location"]
TODAY = datetime.date(2026, 11, 23)

assert isinstance(doc, list), doc
assert len(doc) == 18, len(doc)
for row in doc:
    assert list(row) == COLUMNS, row
    assert row["location"].startswith("docs/inc-00"), row
    is_open = row["status"] not in ("done", "cancelled")
    due = datetime.date.fromisoformat(row["due"]) if row["due"] else None
    if is_open and due and due < TODAY:
        assert row["days_overdue"] == (TODAY - due).days, row
    else:
        assert row["days_overdue"] is None, row

# Due today is not overdue; the day before is one day overdue.
by_action = {row["action"]: row for row in doc}
assert by_action["Alert when the export runs past 30 minutes"]["days_overdue"] == 1
assert by_action['Add lock_timeout to migrations, "safe, by default"']["days_overdue"] is None

def count(key):
    counts = {}
    for row in doc:
        counts[row[key]] = counts.get(row[key], 0) + 1
    return counts

assert count("incident") == {"INC-001": 4, "INC-002": 6, "INC-003": 5, "INC-004": 3}
assert count("status") == {"done": 7, "cancelled": 1, "blocked": 1, "in-progress": 4,
                           "pending": 5}
assert sorted(r["days_overdue"] for r in doc if r["days_overdue"] is not None) == [1, 511, 651, 656]

# Sorted by due date, an item without one last.
dues = [row["due"] for row in doc]
assert dues[-1] is None and dues[:-1] == sorted(dues[:-1]), dues
