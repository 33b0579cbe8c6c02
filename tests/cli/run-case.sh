#!/bin/sh
# run-case.sh - run one command-line test case and compare what pmtool
# printed with what the case expects (curl's tests/data, git's test_cmp).
#
# usage: run-case.sh PMTOOL CASE_DIR [PYTHON]
#
# A case is a folder under tests/cli/cases/ holding:
#   args             the arguments, one per line (no shell quoting); in each
#                    line @EXAMPLES@ becomes the absolute path of docs/examples,
#                    @SOURCE@ the checkout, @CASE@ the case folder,
#                    @SHARED@ the ../shared folder and @TMP@ a fresh empty
#                    folder under $TMPDIR (or /tmp), removed afterwards (for
#                    what a command writes, e.g. `--db @TMP@/index.db`, so
#                    that no case writes into the source tree)
#   stdin            optional: fed to pmtool (otherwise /dev/null)
#   stdout, stderr   the expected output, with those absolute paths written
#                    back as @EXAMPLES@, @SOURCE@, @CASE@, @SHARED@ and @TMP@
#                    (the built-in schema files `pmtool schema` names are
#                    under @SOURCE@), and timings masked: "(123 ms)" is
#                    compared as "(@MS@ ms)"
#   status           the expected exit status
#   json             optional marker: stdout must parse as JSON
#   json-check.py    optional: Python run in the case folder with the parsed
#                    stdout (paths as tokens) as `doc` and the path of the
#                    binary as `pmtool`; its asserts are the checks
#   requires-shared  optional marker: skip (exit 77) where ../shared is absent
# and any input files the arguments name.  pmtool runs with the case folder
# as its working directory, so relative paths in args work and the paths it
# prints are stable.
#
# Environment: PM_SOURCE_ROOT (the checkout) and PM_SHARED_DIR (../shared),
# as meson's test_env sets them.  PMTOOL_WRAPPER is a command put before
# pmtool (`meson test --setup valgrind` sets it to valgrind).
# PM_UPDATE_EXPECTED=1 writes what pmtool printed into stdout, stderr and
# status instead of comparing: read the result before you keep it.
#
# Exit status: 0 pass, 1 fail, 77 skip, 99 the case itself is broken.

set -u

if [ $# -lt 2 ]; then
	echo "usage: run-case.sh PMTOOL CASE_DIR [PYTHON]" >&2
	exit 99
fi
pmtool=$1
case_arg=$2
python=${3:-python3}
name=$(basename "$case_arg")

fail() {
	echo "cli-$name: $*" >&2
	exit 99
}

# Absolute, symlink-free paths, so the ones pmtool prints match the tokens.
abspath() {
	(cd "$1" 2>/dev/null && pwd -P)
}

case_dir=$(abspath "$case_arg") || fail "no case folder '$case_arg'"
case "$pmtool" in
/*) ;;
*) pmtool=$(abspath "$(dirname "$pmtool")")/$(basename "$pmtool") ;;
esac
[ -x "$pmtool" ] || fail "pmtool not found at '$pmtool'"

source_root=${PM_SOURCE_ROOT:-$case_dir/../../../..}
source_dir=$(abspath "$source_root") || fail "no checkout at '$source_root'"
examples_dir=$(abspath "$source_root/docs/examples") || fail "no docs/examples under '$source_root'"
shared_dir=$(abspath "${PM_SHARED_DIR:-$source_root/../shared}") || shared_dir=

if [ -e "$case_dir/requires-shared" ] && [ -z "$shared_dir" ]; then
	echo "cli-$name: skipped: ../shared not found (PM_SHARED_DIR=${PM_SHARED_DIR:-unset})"
	exit 77
fi
[ -f "$case_dir/args" ] || fail "the case has no 'args' file"
if [ -z "${PM_UPDATE_EXPECTED:-}" ]; then
	for f in stdout stderr status; do
		[ -f "$case_dir/$f" ] || fail "the case has no '$f' file"
	done
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-cli.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$tmp"' EXIT
# The case's own scratch folder, @TMP@.
mkdir "$tmp/tmp" && case_tmp=$(abspath "$tmp/tmp") || fail "cannot create the @TMP@ folder"

# Replaces every occurrence of $2 by $3 in $1; no regex, no globbing.
subst() {
	_s=$1 _out=
	while :; do
		case "$_s" in
		*"$2"*)
			_out=$_out${_s%%"$2"*}$3
			_s=${_s#*"$2"}
			;;
		*)
			printf '%s' "$_out$_s"
			return
			;;
		esac
	done
}

# The arguments, one per line, with the tokens expanded.
set --
while IFS= read -r line || [ -n "$line" ]; do
	line=$(subst "$line" @EXAMPLES@ "$examples_dir")
	line=$(subst "$line" @SOURCE@ "$source_dir")
	line=$(subst "$line" @CASE@ "$case_dir")
	line=$(subst "$line" @SHARED@ "$shared_dir")
	line=$(subst "$line" @TMP@ "$case_tmp")
	set -- "$@" "$line"
done <"$case_dir/args"

stdin=/dev/null
[ -f "$case_dir/stdin" ] && stdin=$case_dir/stdin
# PMTOOL_WRAPPER (e.g. "valgrind --error-exitcode=99 ...") goes before pmtool.
# shellcheck disable=SC2086
(cd "$case_dir" && exec ${PMTOOL_WRAPPER:-} "$pmtool" "$@") <"$stdin" >"$tmp/stdout.raw" 2>"$tmp/stderr.raw"
echo $? >"$tmp/status"

# Absolute paths back to tokens, longest first so that a folder inside
# another is matched before the outer one.
escape() {
	printf '%s' "$1" | sed 's/[[\\.*^$/]/\\&/g'
}
{
	for pair in "EXAMPLES $examples_dir" "SOURCE $source_dir" "CASE $case_dir" "SHARED $shared_dir" \
		"TMP $case_tmp"; do
		path=${pair#* }
		[ -n "$path" ] && printf '%s %s\n' "${#path}" "$pair"
	done
} | sort -rn >"$tmp/tokens"
script=
while read -r _len token path; do
	script="${script}s/$(escape "$path")/@${token}@/g;"
done <"$tmp/tokens"
# Timings vary from run to run: `pmtool index` prints "(12 ms)".
script="${script}s/([0-9][0-9]* ms)/(@MS@ ms)/g;"
for f in stdout stderr; do
	sed "$script" "$tmp/$f.raw" >"$tmp/$f"
done

if [ -n "${PM_UPDATE_EXPECTED:-}" ]; then
	for f in stdout stderr status; do
		cp "$tmp/$f" "$case_dir/$f"
	done
	echo "cli-$name: wrote stdout, stderr and status; check them by reading"
	exit 0
fi

rc=0
for f in status stdout stderr; do
	if ! diff -u "$case_dir/$f" "$tmp/$f" >"$tmp/$f.diff"; then
		echo "cli-$name: $f differs (--- expected, +++ actual):"
		cat "$tmp/$f.diff"
		rc=1
	fi
done

if [ -e "$case_dir/json" ]; then
	# Parse the output back rather than trusting the diff alone; the
	# case's json-check.py asserts on the parsed document.
	if ! (cd "$case_dir" && "$python" - "$tmp/stdout" json-check.py "$pmtool") <<'EOF'
import json, os, sys, traceback
out, check, pmtool = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    with open(out, encoding="utf-8") as f:
        doc = json.load(f)
except ValueError as e:
    print("stdout is not valid JSON: %s" % e)
    sys.exit(1)
if os.path.exists(check):
    with open(check, encoding="utf-8") as f:
        code = compile(f.read(), check, "exec")
    try:
        exec(code, {"doc": doc, "pmtool": pmtool, "__name__": "json_check"})
    except Exception:
        print("json-check.py failed:")
        traceback.print_exc(file=sys.stdout)
        sys.exit(1)
EOF
	then
		echo "cli-$name: JSON check failed"
		rc=1
	fi
fi

[ $rc -eq 0 ] && echo "cli-$name: ok"
exit $rc
