# INC-201 says caused_by: ADR-201 and ADR-201 says nothing: the one edge is
# read forward (ADR-201 triggers INC-201) and marked as not declared in that
# direction.
assert [n["id"] for n in doc["nodes"]] == ["ADR-201", "INC-201"]
assert doc["edges"] == [{"source": "ADR-201", "target": "INC-201",
                         "relation": "triggers", "declared": False}]
