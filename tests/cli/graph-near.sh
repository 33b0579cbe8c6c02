#!/bin/sh
# graph-near.sh - `pmtool graph ID...` loads only the neighbourhood of the
# IDs from the index; it must draw exactly what a load of the whole graph
# draws (PMTOOL_TEST_GRAPH_FULL=1), for every format, depth and direction,
# on docs/examples and on a generated corpus.
#
# usage: graph-near.sh PMTOOL PYTHON
# Exit status: 0 pass, 1 fail, 99 the test itself is broken.
set -u
[ $# -eq 2 ] || { echo "usage: graph-near.sh PMTOOL PYTHON" >&2; exit 99; }
pmtool=$1
python=$2
here=$(cd "$(dirname "$0")" && pwd -P) || exit 99
source_root=$(cd "${PM_SOURCE_ROOT:-$here/../..}" && pwd -P) || exit 99
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-near.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0
"$python" "$source_root/tests/bench/gen.py" --out "$tmp/corpus" --count 300 --seed 3 \
	--defects 0.2 >/dev/null || { echo "gen.py failed"; exit 99; }
cp -r "$source_root/docs/examples" "$tmp/examples" || exit 99

for d in examples corpus; do
	"$pmtool" index --quiet --db "$tmp/$d.db" "$tmp/$d" || { echo "index failed"; exit 99; }
done

check() {	# check DOCS ID [ARGS...]
	_docs=$1
	shift
	for fmt in tree json dot mermaid; do
		"$pmtool" graph --no-refresh --root "$_docs" --db "$tmp/$(basename "$_docs").db" \
			--format $fmt "$@" >"$tmp/near" 2>&1
		echo $? >>"$tmp/near"
		PMTOOL_TEST_GRAPH_FULL=1 "$pmtool" graph --no-refresh --root "$_docs" \
			--db "$tmp/$(basename "$_docs").db" --format $fmt "$@" >"$tmp/full" 2>&1
		echo $? >>"$tmp/full"
		cmp -s "$tmp/near" "$tmp/full" || {
			echo "FAIL: graph --format $fmt $*: the neighbourhood load draws otherwise"
			diff "$tmp/full" "$tmp/near" | head -10
			failed=1
		}
	done
}
for id in ADR-001 INC-002 NOPE-1; do
	for d in 0 1 5; do
		check "$tmp/examples" $id --depth $d
	done
	check "$tmp/examples" $id --up
done
check "$tmp/examples" ADR-001 INC-003 --depth 1
ids=$(cd "$tmp/corpus" && find . -name '*.md' | sort | sed -n '1p;80p;240p' |
	xargs -n1 basename | sed 's/\.md$//' | tr 'a-z' 'A-Z')
for id in $ids; do
	for d in 1 3; do
		check "$tmp/corpus" $id --depth $d
	done
done
[ $failed -eq 0 ] && echo "graph-near: ok"
exit $failed
