# The example repository's graph as JSON: 12 documents, no missing ones,
# every node and edge with exactly its keys, edges in the forward direction
# only, and one edge for each relation the frontmatter declares (on either
# side).
import os
import re

assert set(doc) == {"nodes", "edges"}
nodes, edges = doc["nodes"], doc["edges"]
node_keys = {"id", "type", "title", "status", "severity", "date", "path", "missing"}
for n in nodes:
    assert set(n) == node_keys, n
    assert n["missing"] is False, n
    assert n["title"] and n["status"] and n["path"], n
assert len(nodes) == 12
ids = [n["id"] for n in nodes]
assert len(set(ids)) == 12
assert sorted(n["path"] for n in nodes) == [n["path"] for n in nodes]
assert {n["id"]: n["type"] for n in nodes}["INC-002"] == "inc"
assert {n["id"]: n["severity"] for n in nodes}["INC-002"] == "sev2"
assert {n["id"]: n["severity"] for n in nodes}["ADR-001"] is None

edge_keys = {"source", "target", "relation", "declared"}
forward = {"supersedes", "enables", "triggers", "blocks", "related"}
for e in edges:
    assert set(e) == edge_keys, e
    assert e["source"] in ids and e["target"] in ids, e
    assert e["relation"] in forward, e
    assert e["declared"] is True, e   # every example link is written forward
assert {"source": "ADR-001", "target": "INC-001", "relation": "triggers",
        "declared": True} in edges
assert {"source": "ADR-004", "target": "ADR-002", "relation": "supersedes",
        "declared": True} in edges
# related reads the same both ways: one edge per pair.
pairs = [(e["relation"],) + tuple(sorted((e["source"], e["target"])))
         if e["relation"] == "related" else (e["relation"], e["source"], e["target"])
         for e in edges]
assert len(pairs) == len(set(pairs)), pairs

# Each relation in the frontmatter, read forward, is one of the edges.
inverse = {"superseded_by": "supersedes", "enabled_by": "enables",
           "caused_by": "triggers", "blocked_by": "blocks"}
examples = os.path.join("..", "..", "..", "..", "docs", "examples")
declared = set()
for n in nodes:
    with open(os.path.join(examples, n["path"]), encoding="utf-8") as f:
        front = f.read().split("\n---\n", 1)[0]
    key = None
    for line in front.split("\n"):
        m = re.match(r'^([a-z_]+):\s*(.*)$', line)
        if m:
            key, value = m.group(1), m.group(2).strip('"')
            refs = [value] if value else []
        else:
            m = re.match(r'^  - "?([^"]*)"?$', line)
            refs = [m.group(1)] if m else []
        if key not in forward and key not in inverse:
            continue
        for ref in refs:
            if key in inverse:
                declared.add((inverse[key], ref, n["id"]))
            elif key == "related":
                declared.add(("related",) + tuple(sorted((n["id"], ref))))
            else:
                declared.add((key, n["id"], ref))
assert declared == set(pairs), (declared ^ set(pairs))
assert len(edges) == 16
