# md-db's corpus: six documents and ADR-005, which ADR-003 names as
# superseded_by but which does not exist: a missing node with no type,
# title or path, and its edge derived (ADR-005 never declared it).
node_keys = {"id", "type", "title", "status", "severity", "date", "path", "missing"}
nodes = {n["id"]: n for n in doc["nodes"]}
for n in doc["nodes"]:
    assert set(n) == node_keys, n
assert len(doc["nodes"]) == len(nodes) == 7
missing = [n for n in doc["nodes"] if n["missing"]]
assert missing == [{"id": "ADR-005", "type": None, "title": None, "status": None,
                    "severity": None, "date": None, "path": None, "missing": True}]
for n in doc["nodes"]:
    if not n["missing"]:
        assert n["path"] and n["type"] and n["title"], n
edges = doc["edges"]
for e in edges:
    assert set(e) == {"source", "target", "relation", "declared"}, e
    assert e["source"] in nodes and e["target"] in nodes, e
assert {"source": "ADR-005", "target": "ADR-003", "relation": "supersedes",
        "declared": False} in edges
# Edges only in the forward direction, each once.
assert all(e["relation"] in {"supersedes", "enables", "triggers", "blocks", "related"}
           for e in edges)
keys = [(e["relation"], e["source"], e["target"]) for e in edges]
assert len(keys) == len(set(keys))
