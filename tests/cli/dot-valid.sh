#!/bin/sh
# dot-valid.sh - what `pmtool graph --format dot` prints is a graph Graphviz
# reads: plain and clustered by type, on docs/examples, on the documents of
# the hostile-labels and cycle cases (titles with quotes, backslashes, a
# line break, "%%{init}%%", <script>...) and on md-db's corpus with its
# missing node when ../shared is there.  The golden files of the graph-dot
# cases show what is printed; this shows that dot accepts it.
#
# usage: dot-valid.sh PMTOOL
#
# Environment: PM_SOURCE_ROOT (the checkout) and PM_SHARED_DIR (../shared),
# as meson's test_env sets them.  Every index is written to a fresh
# temporary folder, never into the tree.
#
# Exit status: 0 pass, 1 fail, 77 skip (no `dot`: install graphviz, as
# .ci/setup does), 99 the test itself is broken.

set -u

if [ $# -ne 1 ]; then
	echo "usage: dot-valid.sh PMTOOL" >&2
	exit 99
fi
pmtool=$1
if ! command -v dot >/dev/null 2>&1; then
	echo "dot-valid: skipped: Graphviz 'dot' is not installed (apt-get install graphviz)"
	exit 77
fi

here=$(cd "$(dirname "$0")" && pwd -P) || exit 99
source_root=${PM_SOURCE_ROOT:-$here/../..}
cases=$here/cases
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-dot.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0
n=0

# check NAME ROOT [ARGS...]: renders ROOT's graph with ARGS through dot.
check() {
	_name=$1 _root=$2
	shift 2
	n=$((n + 1))
	if ! "$pmtool" graph --format dot --root "$_root" --db "$tmp/index-$n.db" "$@" \
		>"$tmp/$n.dot" 2>"$tmp/$n.err"; then
		echo "FAIL: $_name: pmtool graph $* exited non-zero:"
		cat "$tmp/$n.err"
		failed=1
		return
	fi
	if [ ! -s "$tmp/$n.dot" ]; then
		echo "FAIL: $_name: pmtool graph $* printed nothing"
		failed=1
		return
	fi
	# A syntax error fails dot; an attribute it ignores is only a warning,
	# which counts too.  Font configuration noise of a bare container
	# does not.
	dot -Tsvg "$tmp/$n.dot" >/dev/null 2>"$tmp/$n.doterr"
	_rc=$?
	grep -v '^Fontconfig' "$tmp/$n.doterr" >"$tmp/$n.doterr2"
	if [ $_rc -ne 0 ] || [ -s "$tmp/$n.doterr2" ]; then
		echo "FAIL: $_name: dot (exit $_rc) rejects or warns about pmtool graph $*:"
		cat "$tmp/$n.doterr"
		echo "--- the DOT:"
		cat "$tmp/$n.dot"
		failed=1
		return
	fi
	echo "ok: $_name $*"
}

for pair in "examples $source_root/docs/examples" \
	"hostile-labels $cases/graph-hostile-labels/docs" \
	"cycle $cases/graph-cycle/docs"; do
	name=${pair%% *} root=${pair#* }
	[ -d "$root" ] || {
		echo "dot-valid: no folder '$root'"
		exit 99
	}
	check "$name" "$root"
	check "$name" "$root" --cluster type
done
# A neighbourhood, and one with a dashed (derived) edge.
check examples "$source_root/docs/examples" ADR-001 --depth 1
check inverse "$cases/graph-inverse/docs" ADR-201

shared=${PM_SHARED_DIR:-$source_root/../shared}
if [ -d "$shared/peers/md-db" ]; then
	check md-db "$shared/peers/md-db"
	check md-db "$shared/peers/md-db" --cluster type
else
	echo "note: md-db's corpus not found under '$shared', not rendered"
fi

exit $failed
