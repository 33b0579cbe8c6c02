# One member per table; the MTTR mean and median and the counts are worked
# out again here from the documents' frontmatter.
import datetime
import glob
import re
import statistics

assert list(doc) == ["documents", "incidents_by_severity", "incidents_by_month", "mttr",
                     "action_items", "affected_systems"], list(doc)

def field(text, key):
    m = re.search(r'^%s: "?([^"\n]*)"?$' % key, text, re.M)
    return m.group(1) if m else None

incidents = []
for path in sorted(glob.glob("docs/inc-*.md")):
    with open(path, encoding="utf-8") as f:
        incidents.append(f.read())

severities = {}
minutes = {}
for text in incidents:
    sev = field(text, "severity")
    severities[sev] = severities.get(sev, 0) + 1
    start, end = field(text, "started_at"), field(text, "resolved_at")
    if end:
        delta = (datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))
                 - datetime.datetime.fromisoformat(start.replace("Z", "+00:00")))
        minutes.setdefault(sev, []).append(delta.total_seconds() / 60)

assert {r["severity"]: r["incidents"] for r in doc["incidents_by_severity"]} == severities
assert sum(r["incidents"] for r in doc["incidents_by_month"]) == len(incidents)

mttr = {r["severity"]: r for r in doc["mttr"]}
assert set(mttr) == set(minutes), (mttr, minutes)   # the open sev1 has no MTTR
for sev, values in minutes.items():
    row = mttr[sev]
    assert row["incidents"] == len(values), row
    assert abs(row["mean_minutes"] - statistics.mean(values)) < 0.05, (row, values)
    assert abs(row["median_minutes"] - statistics.median(values)) < 0.05, (row, values)
    assert isinstance(row["mean_minutes"], float), row
assert (mttr["sev2"]["mean_minutes"], mttr["sev2"]["median_minutes"]) == (140.0, 93.0)

assert sum(r["documents"] for r in doc["documents"]) == len(glob.glob("docs/*.md"))
owners = {r["owner"]: r for r in doc["action_items"]}
assert sum(r["total"] for r in owners.values()) == 18
assert (owners["@alice"]["open"], owners["@alice"]["overdue"], owners["@alice"]["done"],
        owners["@alice"]["total"]) == (4, 1, 1, 5)
assert (owners["@dana"]["open"], owners["@dana"]["overdue"]) == (2, 1)
for r in owners.values():
    assert r["open"] + r["done"] <= r["total"] and r["overdue"] <= r["open"], r

systems = [(r["system"], r["incidents"]) for r in doc["affected_systems"]]
assert systems[:3] == [("billing-service", 2), ("checkout-web", 2), ("payments-db", 2)], systems
