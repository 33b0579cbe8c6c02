#!/bin/sh
# report-xss.sh - hostile documents render as text: `pmtool report site`,
# `report postmortem` and `report actions --format html` on the documents
# of tests/cli/report-xss/ (a title that closes a tag and opens <script>,
# raw <script>, <img onerror>, <iframe> and <style> in the body,
# javascript: and data:text/html links in every spelling, an event handler
# in a table cell, a "user" that breaks out of an attribute, hostile list
# values, a hostile ref, and a hostile --title).  They do not lint; they
# must still render, and on every page:
#   - no <script> element but the layout's <script src="sort.js">,
#   - no attribute whose name starts with "on",
#   - no href or src that starts with javascript:, vbscript: or data:text,
#   - the Content-Security-Policy meta,
#   - the hostile titles only escaped (and shown where the document is),
#   - tags that balance.
# The site is built with Graphviz pictures when `dot` is installed, so the
# SVG it writes is checked too.
#
# usage: report-xss.sh PMTOOL [PYTHON]
#
# Environment: PM_SOURCE_ROOT (the checkout), as meson's test_env sets it;
# PM_XSS_TEMPLATES=DIR runs the same checks with a team's templates
# (--templates DIR).  Everything is written to a fresh temporary folder,
# never into the tree.
#
# Exit status: 0 pass, 1 fail, 99 the test itself is broken.

set -u

if [ $# -lt 1 ]; then
	echo "usage: report-xss.sh PMTOOL [PYTHON]" >&2
	exit 99
fi
pmtool=$1
case "$pmtool" in
/*) ;;
*) pmtool=$(cd "$(dirname "$pmtool")" && pwd -P)/$(basename "$pmtool") || exit 99 ;;
esac
[ -x "$pmtool" ] || {
	echo "no pmtool at '$pmtool'" >&2
	exit 99
}
python=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd -P) || exit 99
docs=$here/report-xss
check="$python $here/htmlcheck.py"
[ -f "$docs/inc-001.md" ] || {
	echo "report-xss: no hostile documents in '$docs'"
	exit 99
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-xss.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

bad() {
	echo "FAIL: $*"
	failed=1
}

inc_title='"><script>alert(1)</script>'
adr_title='</title><script>alert(25)</script>'
site_title='<script>alert(27)</script>'

# run NAME ARGS...: pmtool ARGS into $tmp/NAME.out and .err; must exit 0.
run() {
	_name=$1
	shift
	if [ -n "${PM_XSS_TEMPLATES:-}" ]; then
		set -- "$@" --templates "$PM_XSS_TEMPLATES"
	fi
	"$pmtool" "$@" --root "$docs" --db "$tmp/index.db" --today 2026-11-23 \
		>"$tmp/$_name.out" 2>"$tmp/$_name.err"
	_rc=$?
	[ $_rc -eq 0 ] || bad "pmtool $* exited $_rc: $(cat "$tmp/$_name.err")"
}

run site report site --out "$tmp/site" --title "$site_title"
run postmortem report postmortem INC-001
run postmortem-adr report postmortem ADR-001
run digest report actions --format html
cp "$tmp/postmortem.out" "$tmp/postmortem.html"
cp "$tmp/postmortem-adr.out" "$tmp/postmortem-adr.html"
cp "$tmp/digest.out" "$tmp/digest.html"
[ -f "$tmp/site/inc-001.html" ] || {
	bad "no site was written"
	exit 1
}

pages="$tmp/site/*.html $tmp/postmortem.html $tmp/postmortem-adr.html $tmp/digest.html"
# shellcheck disable=SC2086
$check safe --hostile "$inc_title" --hostile "$adr_title" --hostile "$site_title" $pages ||
	bad "unsafe HTML (above)"
# Each hostile title is shown, as text, where its document is.
$check safe --shown "$inc_title" "$tmp/site/inc-001.html" "$tmp/site/incidents.html" \
	"$tmp/site/index.html" "$tmp/postmortem.html" || bad "INC-001's title is not shown (above)"
$check safe --shown "$adr_title" "$tmp/site/adr-001.html" "$tmp/site/decisions.html" \
	"$tmp/postmortem-adr.html" || bad "ADR-001's title is not shown (above)"
# shellcheck disable=SC2086
$check safe --shown "$site_title" $tmp/site/*.html || bad "the --title is not shown (above)"

# The body's own text survives, escaped: the code span and the table cell
# (as the built-in doc.mustache shows them).
[ -n "${PM_XSS_TEMPLATES:-}" ] || grep -q '<code>&lt;script&gt;alert(21)&lt;/script&gt;</code>' "$tmp/site/inc-001.html" ||
	bad "the code span with <script> is not shown as text"
[ -n "${PM_XSS_TEMPLATES:-}" ] || grep -q 'Rolled back &quot;&gt;' "$tmp/site/inc-001.html" ||
	bad "the timeline cell's text is gone"

[ $failed -eq 0 ] && echo "report-xss: ok"
exit $failed
