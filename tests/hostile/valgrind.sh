#!/bin/sh
# valgrind.sh - the exe_wrapper of `meson test --setup valgrind` (the setup
# is in the top-level meson.build).  Valgrind goes around pmtool and our own
# test programs, never around sh or Python:
#   - a program built in this build folder (a Check suite, a fuzz driver)
#     runs under valgrind itself (with CK_FORK=no from the setup);
#   - tests/cli/run-case.sh and tests/hostile/run.py put $PMTOOL_WRAPPER
#     before every pmtool they run (run.py then skips its CPU and memory
#     bounds, valgrind being 20 to 50 times slower);
#   - any other script gets, in place of the pmtool argument, a one-line
#     shim that runs pmtool under valgrind.
# Valgrind's own errors (invalid reads, definite leaks) exit 99, which no
# pmtool command exits with, so a run-case.sh status diff shows them.
#
# usage: valgrind.sh PROGRAM [ARG...]
# Environment (set by the setup): PM_VALGRIND, the valgrind command line;
# PM_VALGRIND_BUILD, the build folder.

set -u
vg=${PM_VALGRIND:-valgrind --quiet --error-exitcode=99 --leak-check=full}
build=${PM_VALGRIND_BUILD:-}
prog=$1

case "$prog" in
"$build"/*)
	if [ -n "$build" ]; then
		# shellcheck disable=SC2086
		exec $vg "$@"
	fi
	;;
esac

PMTOOL_WRAPPER=$vg
export PMTOOL_WRAPPER
case " $* " in
*/run-case.sh\ * | */hostile/run.py\ *)
	exec "$@"
	;;
esac

pmtool=${build:+$build/src/pmtool}
if [ -z "$pmtool" ]; then
	exec "$@"
fi
shim=$(mktemp -d "${TMPDIR:-/tmp}/pmtool-vg.XXXXXX") || exit 99
# The shim is named pmtool too: scripts that print its name print pmtool's.
cat >"$shim/pmtool" <<EOF
#!/bin/sh
exec $vg '$pmtool' "\$@"
EOF
chmod +x "$shim/pmtool"
for a in "$@"; do
	shift
	# meson passes it relative to the build folder: compare the files
	[ -f "$a" ] && [ "$a" -ef "$pmtool" ] && a=$shim/pmtool
	set -- "$@" "$a"
done
"$@"
rc=$?
rm -rf "$shim"
exit $rc
