#!/bin/sh
# help.sh - every command answers --help (git's t0012-help.sh).
#
# usage: help.sh PMTOOL
#
# Takes the command list from the "commands:" block of `pmtool --help`, then
# checks for each command that `pmtool CMD --help` exits 0 with a "usage:"
# line on stdout and nothing on stderr, that -h says the same, and that
# `pmtool help CMD` prints exactly what `pmtool CMD --help` prints.

set -u

if [ $# -ne 1 ]; then
	echo "usage: help.sh PMTOOL" >&2
	exit 99
fi
pmtool=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-help.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
failed=0

bad() {
	echo "FAIL: $*"
	failed=1
}

# Runs pmtool with the given arguments into $tmp/$1.{out,err,status}.
run() {
	_name=$1
	shift
	"$pmtool" "$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err"
	echo $? >"$tmp/$_name.status"
}

# The top level: --help, -h and `help` alone all print the same usage.
run top --help
[ "$(cat "$tmp/top.status")" = 0 ] || bad "pmtool --help exited $(cat "$tmp/top.status")"
[ -s "$tmp/top.err" ] && bad "pmtool --help wrote to stderr: $(cat "$tmp/top.err")"
grep -q '^usage: pmtool ' "$tmp/top.out" || bad "pmtool --help has no 'usage: pmtool' line"
for alt in -h help; do
	run alt "$alt"
	[ "$(cat "$tmp/alt.status")" = 0 ] || bad "pmtool $alt exited $(cat "$tmp/alt.status")"
	cmp -s "$tmp/top.out" "$tmp/alt.out" || bad "pmtool $alt differs from pmtool --help"
done

commands=$(sed -n '/^commands:$/,/^$/{ /^  [a-z]/s/^  \([a-z][a-z0-9-]*\).*/\1/p; }' "$tmp/top.out")
[ -n "$commands" ] || bad "no commands listed under 'commands:' in pmtool --help"

for cmd in $commands; do
	run long "$cmd" --help
	status=$(cat "$tmp/long.status")
	if [ "$status" != 0 ]; then
		bad "pmtool $cmd --help exited $status"
		cat "$tmp/long.err"
	fi
	[ -s "$tmp/long.err" ] && bad "pmtool $cmd --help wrote to stderr: $(cat "$tmp/long.err")"
	grep -q "^usage: pmtool $cmd" "$tmp/long.out" ||
		bad "pmtool $cmd --help has no 'usage: pmtool $cmd' line"

	run short "$cmd" -h
	cmp -s "$tmp/long.out" "$tmp/short.out" || bad "pmtool $cmd -h differs from --help"

	run help help "$cmd"
	[ "$(cat "$tmp/help.status")" = "$status" ] ||
		bad "pmtool help $cmd exited $(cat "$tmp/help.status"), --help exited $status"
	if ! cmp -s "$tmp/long.out" "$tmp/help.out"; then
		bad "pmtool help $cmd differs from pmtool $cmd --help:"
		diff -u "$tmp/long.out" "$tmp/help.out"
	fi
	[ $failed -eq 0 ] && echo "ok: $cmd"
done

exit $failed
