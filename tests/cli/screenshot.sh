#!/bin/sh
# screenshot.sh - the site of docs/examples in a real browser: Debian's
# Chromium, headless, takes screenshots of index.html and inc-001.html
# (each PNG must exist and be over 10 KB, so something was drawn), dumps
# index.html's DOM after its script ran (it must hold "Overview"), and
# nothing on the pages may log an uncaught JavaScript error or a
# Content-Security-Policy violation (a stylesheet, script or picture the
# page's own policy blocks).  docs/templates.md shows how to take the same
# screenshots by hand.
#
# usage: screenshot.sh PMTOOL
#
# Environment: PM_SOURCE_ROOT (the checkout), as meson's test_env sets it;
# CHROMIUM, the browser to run (default: chromium).  Everything is written
# to a fresh temporary folder, never into the tree.  PM_KEEP_SCREENSHOTS=DIR
# copies the PNGs there to look at.
#
# Exit status: 0 pass, 1 fail, 77 skip (no chromium: apt-get install
# chromium), 99 the test itself is broken.

set -u

if [ $# -ne 1 ]; then
	echo "usage: screenshot.sh PMTOOL" >&2
	exit 99
fi
pmtool=$1
case "$pmtool" in
/*) ;;
*) pmtool=$(cd "$(dirname "$pmtool")" && pwd -P)/$(basename "$pmtool") || exit 99 ;;
esac
chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" >/dev/null 2>&1; then
	echo "screenshot: skipped: '$chromium' is not installed (apt-get install chromium)"
	exit 77
fi
here=$(cd "$(dirname "$0")" && pwd -P) || exit 99
source_root=${PM_SOURCE_ROOT:-$here/../..}
examples=$source_root/docs/examples
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-shot.XXXXXX") || exit 99
tmp=$(cd "$tmp" && pwd -P) || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

bad() {
	echo "FAIL: $*"
	failed=1
}

# With graphs when Graphviz is there: the SVG pictures are part of the page.
"$pmtool" report site --root "$examples" --db "$tmp/index.db" --today 2026-11-23 \
	--out "$tmp/site" >"$tmp/out" 2>"$tmp/err" || {
	bad "pmtool report site failed: $(cat "$tmp/err")"
	exit 1
}

# browser NAME ARGS...: one headless Chromium run with a profile of its
# own, at most 25 seconds; its log goes to $tmp/NAME.log.
browser() {
	_name=$1
	shift
	mkdir -p "$tmp/profile-$_name"
	timeout 25 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$tmp/profile-$_name" --hide-scrollbars \
		--window-size=1100,1600 --enable-logging=stderr --v=0 "$@" 2>"$tmp/$_name.log"
}

for page in index inc-001; do
	(cd "$tmp" && browser "$page" --screenshot="$tmp/$page.png" "file://$tmp/site/$page.html") \
		>/dev/null
	rc=$?
	[ $rc -eq 0 ] || bad "chromium --screenshot of $page.html exited $rc"
	if [ ! -f "$tmp/$page.png" ]; then
		bad "no screenshot of $page.html"
	else
		size=$(wc -c <"$tmp/$page.png")
		[ "$size" -gt 10240 ] || bad "the screenshot of $page.html is $size bytes (> 10 KB expected)"
		[ -n "${PM_KEEP_SCREENSHOTS:-}" ] && cp "$tmp/$page.png" "$PM_KEEP_SCREENSHOTS/"
	fi
done

browser dom --dump-dom "file://$tmp/site/index.html" >"$tmp/dom.html"
grep -q 'Overview' "$tmp/dom.html" || bad "the DOM of index.html has no 'Overview'"

# Console messages are logged as "INFO:CONSOLE(...)": an exception thrown by
# sort.js says "Uncaught", a blocked stylesheet or script names the policy.
for log in "$tmp"/index.log "$tmp"/inc-001.log "$tmp"/dom.log; do
	if grep -E 'Uncaught|Content Security Policy' "$log" >"$tmp/problems"; then
		bad "$(basename "$log" .log): the browser logged:"
		cat "$tmp/problems"
	fi
done

[ $failed -eq 0 ] && echo "screenshot: ok"
exit $failed
