# crlf.md is lf.md with a UTF-8 byte order mark and CRLF line ends: every
# line and column must be the same as in the LF file.
import json
import subprocess

with open("crlf.md", "rb") as f:
    data = f.read()
assert data.startswith(b"\xef\xbb\xbf---\r\n"), "crlf.md lost its BOM or CRLF"
with open("lf.md", "rb") as f:
    assert f.read() == data[3:].replace(b"\r\n", b"\n"), "crlf.md and lf.md differ"

lf = json.loads(subprocess.run([pmtool, "show", "--format", "json", "lf.md"],
                               check=True, capture_output=True).stdout)
assert (doc["path"], doc["id"]) == ("crlf.md", "CRLF")
assert (lf["path"], lf["id"]) == ("lf.md", "LF")
for key in lf:
    if key not in ("path", "id"):
        assert doc[key] == lf[key], "%s differs: %r != %r" % (key, doc[key], lf[key])

# And the positions themselves, so that both cannot be wrong the same way.
assert doc["diagnostics"] == []
assert doc["frontmatter_lines"] == {"start_line": 1, "end_line": 7}
assert [(f["key"], f["value"]["line"], f["value"]["column"]) for f in doc["fields"]] == [
    ("type", 2, 7), ("title", 3, 8), ("tags", 5, 3)]
assert doc["frontmatter"]["title"] == "Line endings"   # no stray "\r"
assert doc["sections"][0]["line"] == 9
assert doc["sections"][0]["sections"][0]["line"] == 13
table = doc["tables"][0]
assert (table["line"], table["end_line"], table["row_lines"]) == (15, 18, [17, 18])
assert table["rows"] == [{"Key": "one", "Value": "1"}, {"Key": "two", "Value": "2"}]
assert table["cell_positions"] == [[[17, 3], [17, 9]], [[18, 3], [18, 9]]]
assert [(l["kind"], l["target"], l["line"], l["column"]) for l in doc["links"]] == [
    ("document", "./inc-001.md", 11, 5), ("id", "ADR-002", 11, 33)]
