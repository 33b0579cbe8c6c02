#!/bin/sh
# jobs-same.sh - `pmtool lint` prints the same bytes whatever --jobs is:
# on docs/examples and on a generated corpus with defects (so there are
# findings of every kind to order), in every output format.
#
# usage: jobs-same.sh PMTOOL PYTHON
#
# Environment: PM_SOURCE_ROOT (the checkout), as meson's test_env sets it.
# Exit status: 0 pass, 1 fail, 99 the test itself is broken.
set -u
[ $# -eq 2 ] || { echo "usage: jobs-same.sh PMTOOL PYTHON" >&2; exit 99; }
pmtool=$1
python=$2
here=$(cd "$(dirname "$0")" && pwd -P) || exit 99
source_root=$(cd "${PM_SOURCE_ROOT:-$here/../..}" && pwd -P) || exit 99
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-jobs.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

"$python" "$source_root/tests/bench/gen.py" --out "$tmp/corpus" --count 400 --seed 7 \
	--defects 0.25 >/dev/null || { echo "gen.py failed"; exit 99; }

for docs in "$source_root/docs/examples" "$tmp/corpus"; do
	for fmt in text json sarif github; do
		for j in 1 2 3 8; do
			"$pmtool" lint --today 2026-11-23 --format $fmt --jobs $j "$docs" \
				>"$tmp/out.$j" 2>"$tmp/err.$j"
			echo $? >>"$tmp/out.$j"
		done
		for j in 2 3 8; do
			cmp -s "$tmp/out.1" "$tmp/out.$j" && cmp -s "$tmp/err.1" "$tmp/err.$j" || {
				echo "FAIL: lint --format $fmt $docs: --jobs $j differs from --jobs 1"
				diff "$tmp/out.1" "$tmp/out.$j" | head -20
				failed=1
			}
		done
	done
done
# The index: every table's rows (a dump through `pmtool query sql`, which
# reads them in rowid order) are the same for every --jobs.
tables="documents fields refs links sections action_items timeline diagnostics users"
for j in 1 4; do
	"$pmtool" index --db "$tmp/index.$j.db" --rebuild --jobs $j --quiet "$tmp/corpus" \
		>"$tmp/ix-out.$j" 2>"$tmp/ix-err.$j" || { echo "FAIL: index --jobs $j: $(cat "$tmp/ix-err.$j")"; failed=1; }
	: >"$tmp/dump.$j"
	for t in $tables; do
		"$pmtool" query sql --db "$tmp/index.$j.db" --no-refresh --root "$tmp/corpus" \
			--format csv "SELECT * FROM $t ORDER BY rowid" >>"$tmp/dump.$j" 2>&1
	done
done
[ -s "$tmp/dump.1" ] || { echo "FAIL: the index dump is empty"; failed=1; }
cmp -s "$tmp/dump.1" "$tmp/dump.4" || {
	echo "FAIL: index --rebuild --jobs 4 wrote other rows than --jobs 1:"
	diff "$tmp/dump.1" "$tmp/dump.4" | head -20
	failed=1
}

# The generated corpus has findings: the comparison above compared something.
grep -q 'error\[PM' "$tmp/out.1" 2>/dev/null || "$pmtool" lint --today 2026-11-23 \
	"$tmp/corpus" | grep -q 'error\[PM' || { echo "FAIL: the defective corpus has no findings"; failed=1; }
[ $failed -eq 0 ] && echo "jobs-same: ok"
exit $failed
