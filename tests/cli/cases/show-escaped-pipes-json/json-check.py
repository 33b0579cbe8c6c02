# An escaped pipe belongs to the cell, in code spans as elsewhere; cell
# columns count the escaping backslash as written in the file.
assert doc["diagnostics"] == []
(table,) = doc["tables"]
assert table["columns"] == ["Option", "Command", "Notes"]
assert table["rows"] == [
    {"Option": "grep", "Command": "grep a|b", "Notes": "alternation | in a regex"},
    {"Option": "shell", "Command": "ls | wc -l", "Notes": "a pipe"},
    {"Option": "empty", "Command": "", "Notes": "nothing"},
]
assert table["row_lines"] == [10, 11, 12]
assert table["cell_positions"] == [
    [[10, 3], [10, 10], [10, 24]],
    [[11, 3], [11, 11], [11, 27]],
    [[12, 3], [12, 10], [12, 14]],
]
