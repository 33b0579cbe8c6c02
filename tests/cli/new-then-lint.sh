#!/bin/sh
# new-then-lint.sh - what `pmtool new` writes: in a copy of docs/examples,
# one document of each type (inc, adr, opp, gov) with and without a title
# and --field values; the numbers continue the folder's (inc-004.md after
# inc-003.md), a second `new` takes the next one, a number taken by hand is
# skipped, and no file that was there is changed.  Then `pmtool lint` on the
# folder: the new files' only findings are PM301 (a required field left
# empty), never a parse (PM1xx), identity (PM2xx), other field (PM3xx) or
# section and table (PM5xx) finding; and the --field values are in the
# frontmatter as `pmtool show` reads it.  Usage errors (an unknown type, an
# unknown field, --field without '=', a --dir that does not exist) exit 2
# and write nothing.
#
# usage: new-then-lint.sh PMTOOL [PYTHON]
#
# Environment: PM_SOURCE_ROOT (the checkout), as meson's test_env sets it.
# Everything is written to a fresh temporary folder, never into the tree.
#
# Exit status: 0 pass, 1 fail, 99 the test itself is broken.

set -u

if [ $# -lt 1 ]; then
	echo "usage: new-then-lint.sh PMTOOL [PYTHON]" >&2
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
source_root=${PM_SOURCE_ROOT:-$here/../..}
examples=$source_root/docs/examples
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-new.XXXXXX") || exit 99
tmp=$(cd "$tmp" && pwd -P) || exit 99
trap 'rm -rf "$tmp"' EXIT
docs=$tmp/docs
mkdir "$docs" && cp "$examples"/*.md "$examples"/users.yaml "$docs"/ || exit 99
failed=0

bad() {
	echo "FAIL: $*"
	failed=1
}

# new EXPECTED_FILE ARGS...: `pmtool new ARGS --dir $docs` must print
# $docs/EXPECTED_FILE, exit 0, say nothing on stderr and write that file.
# pmtool runs in $tmp, so no .pmtool.yaml of the checkout applies.
new() {
	_want=$1
	shift
	(cd "$tmp" && "$pmtool" new "$@" --dir "$docs" --today 2026-11-23) \
		>"$tmp/out" 2>"$tmp/err"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		bad "pmtool new $* exited $_rc: $(cat "$tmp/err")"
		return
	fi
	[ "$(cat "$tmp/out")" = "$docs/$_want" ] ||
		bad "pmtool new $* printed '$(cat "$tmp/out")', not '$docs/$_want'"
	[ -s "$tmp/err" ] && bad "pmtool new $* wrote to stderr: $(cat "$tmp/err")"
	[ -f "$docs/$_want" ] || bad "pmtool new $* did not write $_want"
	echo "$_want" >>"$tmp/new-files"
}

# usage_error ARGS...: `pmtool new ARGS` exits 2 and writes nothing.
usage_error() {
	ls -A "$docs" >"$tmp/before"
	(cd "$tmp" && "$pmtool" new "$@") >"$tmp/out" 2>"$tmp/err"
	_rc=$?
	[ $_rc -eq 2 ] || bad "pmtool new $* exited $_rc, not 2"
	[ -s "$tmp/out" ] && bad "pmtool new $* printed '$(cat "$tmp/out")'"
	[ -s "$tmp/err" ] || bad "pmtool new $* said nothing on stderr"
	ls -A "$docs" >"$tmp/after"
	cmp -s "$tmp/before" "$tmp/after" || bad "pmtool new $* wrote a file"
}

(cd "$docs" && sha256sum -- * | sort) >"$tmp/sums.before"

# ---- numbering -------------------------------------------------------------------
: >"$tmp/new-files"
new inc-004.md inc "Disk full on db-3" --field severity=sev2 --field commander=@onni
# A number taken by hand (here a copy of INC-003) is skipped.
cp "$docs/inc-003.md" "$docs/inc-005.md"
echo "inc-005.md" >>"$tmp/by-hand"
(cd "$docs" && sha256sum -- inc-005.md) >>"$tmp/sums.before"
new inc-006.md inc
new inc-007.md inc "Second" --field 'affected_systems=api-gateway, payments-db' \
	--field customer_impact=degraded --field caused_by=ADR-001
new adr-006.md adr
new adr-007.md adr "Use object storage for backups" --field status=proposed --field author=@onni \
	--field 'reviewers=@alice,@bob'
new opp-004.md opp "Faster failover" --field owner=@alice --field priority=high
new opp-005.md opp
new gov-002.md gov "Backup retention" --field owner=@onni --field category=standard \
	--field audience=engineering
new gov-003.md gov
# A relation given as a list, as --help says: "a list: a,b".
new inc-008.md inc "Linked" --field related=ADR-001,GOV-001
# A relation and a list field given several times: one list each.
new inc-009.md inc "Twice" --field related=ADR-001 --field related=GOV-001 \
	--field tags=db --field tags=disk

# No file that was there changed.
(cd "$examples" && ls -- *.md users.yaml) >"$tmp/old-files"
cat "$tmp/by-hand" >>"$tmp/old-files"
(cd "$docs" && while read -r f; do sha256sum -- "$f"; done <"$tmp/old-files" | sort) \
	>"$tmp/sums.after"
sort "$tmp/sums.before" >"$tmp/sums.before.sorted"
cmp -s "$tmp/sums.before.sorted" "$tmp/sums.after" || {
	bad "pmtool new changed files that were there:"
	diff "$tmp/sums.before.sorted" "$tmp/sums.after"
}

# The width of the numbers is kept: inc-0042.md after inc-0041.md.
mkdir "$tmp/wide" && cp "$docs/inc-001.md" "$tmp/wide/inc-0041.md" || exit 99
(cd "$tmp" && "$pmtool" new inc --dir "$tmp/wide" --today 2026-11-23) >"$tmp/out" 2>"$tmp/err"
[ "$(cat "$tmp/out")" = "$tmp/wide/inc-0042.md" ] ||
	bad "after inc-0041.md, pmtool new printed '$(cat "$tmp/out")' $(cat "$tmp/err")"

# ---- usage errors ----------------------------------------------------------------
usage_error nope --dir "$docs" --today 2026-11-23
usage_error inc --dir "$docs" --field bogus=1
usage_error inc --dir "$docs" --field type=adr
usage_error inc --dir "$docs" --field severity
usage_error inc --dir "$docs" --field severity=sev1 --field severity=sev2
usage_error inc --dir "$docs" --today 2026-13-01
usage_error inc "One" "Two" --dir "$docs"
usage_error inc --dir "$tmp/no-such-folder"

# ---- what lint and show make of the new files ------------------------------------
(cd "$tmp" && "$pmtool" lint --today 2026-11-23 --format json "$docs") >"$tmp/lint.json" 2>"$tmp/lint.err"
rc=$?
[ $rc -le 1 ] || bad "pmtool lint exited $rc: $(cat "$tmp/lint.err")"
for f in $(cat "$tmp/new-files"); do
	(cd "$tmp" && "$pmtool" show --format json "$docs/$f") >"$tmp/show-$f.json" 2>>"$tmp/show.err" ||
		bad "pmtool show $f failed: $(cat "$tmp/show.err")"
done

"$python" - "$tmp" "$docs" <<'EOF' || failed=1
import json, os, sys

tmp, docs = sys.argv[1], sys.argv[2]
new = open(os.path.join(tmp, "new-files")).read().split()
try:
    with open(os.path.join(tmp, "lint.json"), encoding="utf-8") as f:
        lint = json.load(f)
except ValueError as e:
    print("FAIL: pmtool lint --format json printed no JSON: %s" % e)
    sys.exit(1)
bad = 0

def fail(msg):
    global bad
    print("FAIL: " + msg)
    bad = 1

by_file = {}
for d in lint["diagnostics"]:
    by_file.setdefault(os.path.basename(d["file"]), []).append(d)

# The fields given on the command line: in the frontmatter, and not
# reported as missing.
given = {
    "inc-004.md": {"title": "Disk full on db-3", "severity": "sev2", "commander": "@onni"},
    "inc-006.md": {"title": ""},
    "inc-007.md": {"title": "Second", "affected_systems": ["api-gateway", "payments-db"],
                   "customer_impact": "degraded", "caused_by": ["ADR-001"]},
    "adr-006.md": {"title": "", "date": "2026-11-23"},
    "adr-007.md": {"title": "Use object storage for backups", "status": "proposed",
                   "author": "@onni", "reviewers": ["@alice", "@bob"], "date": "2026-11-23"},
    "opp-004.md": {"title": "Faster failover", "owner": "@alice", "priority": "high",
                   "date": "2026-11-23"},
    "opp-005.md": {"title": "", "date": "2026-11-23"},
    "gov-002.md": {"title": "Backup retention", "owner": "@onni", "category": "standard",
                   "audience": ["engineering"]},
    "gov-003.md": {"title": ""},
    "inc-008.md": {"title": "Linked", "related": ["ADR-001", "GOV-001"]},
    "inc-009.md": {"title": "Twice", "related": ["ADR-001", "GOV-001"],
                   "tags": ["db", "disk"]},
}
types = {"inc": "inc", "adr": "adr", "opp": "opp", "gov": "gov"}

for f in new:
    for d in by_file.get(f, []):
        if d["code"] != "PM301":
            fail("%s:%d: %s %s (only PM301 is expected in a new file)"
                 % (f, d["line"], d["code"], d["message"]))
        else:
            for key in given.get(f, {}):
                if given[f][key] and "'%s'" % key in d["message"]:
                    fail("%s: %s reported empty though --field gave it" % (f, key))
    with open(os.path.join(tmp, "show-%s.json" % f), encoding="utf-8") as fh:
        show = json.load(fh)
    if isinstance(show, list):
        show = show[0]
    fm = show.get("frontmatter") or {}
    if not show.get("parsed"):
        fail("%s: pmtool show could not parse it" % f)
    if fm.get("type") != types[f[:3]]:
        fail("%s: type is %r" % (f, fm.get("type")))
    if show.get("id") != f[:-3].upper():
        fail("%s: id is %r" % (f, show.get("id")))
    for key, want in given.get(f, {}).items():
        if fm.get(key) != want:
            fail("%s: %s is %r in the frontmatter, not %r" % (f, key, fm.get(key), want))

# Lint read every file of the folder, the new ones included.
mds = [f for f in os.listdir(docs) if f.endswith(".md")]
if lint.get("files") != len(mds):
    fail("lint read %r files, the folder has %d" % (lint.get("files"), len(mds)))

sys.exit(bad)
EOF

[ $failed -eq 0 ] && echo "new-then-lint: ok"
exit $failed
