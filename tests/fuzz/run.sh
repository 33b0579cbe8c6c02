#!/bin/sh
# run.sh - fuzz every target (or the ones named) for FUZZ_SECONDS each.
#
# usage: tests/fuzz/run.sh [TARGET...]
#
# Environment:
#   FUZZ_SECONDS   how long each target runs (default 60)
#   FUZZ_JOBS      how many run at once (default 2)
#   FUZZ_BUILD     the libFuzzer build folder (default build-fuzz beside the
#                  sources; set up with CC=clang -Dfuzz=true when missing)
#   FUZZ_WORK      where corpora, crashes and logs go (default FUZZ_BUILD/fuzz-work)
#   FUZZ_ARGS      more libFuzzer options for every target
#
# Each target starts from its checked-in seed corpus (tests/fuzz/corpus/T,
# never written) plus what earlier runs found (FUZZ_WORK/T/corpus, where new
# inputs go).  A crash, leak, timeout (-timeout=2) or out-of-memory is saved
# as FUZZ_WORK/T/crash-*, leak-*, timeout-* or oom-*; the log is
# FUZZ_WORK/T.log.  Exit status: 0 when every target ran clean, 1 when one
# found something, 2 when the build failed.

set -u

here=$(cd "$(dirname "$0")" && pwd -P) || exit 2
src=${FUZZ_SOURCE_ROOT:-$(cd "$here/../.." && pwd -P)}
build=${FUZZ_BUILD:-$src/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
all="frontmatter markdown lint mustache escape schema"
targets=${*:-$all}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$src" -Dfuzz=true -Dbuildtype=debugoptimized || exit 2
fi
# The folder must be a libFuzzer build, not an ordinary one.
grep -q 'fsanitize=fuzzer' "$build/build.ninja" || {
	echo "run.sh: $build is not a -Dfuzz=true build (CC=clang meson setup $build -Dfuzz=true)" >&2
	exit 2
}
exes=
for t in $targets; do
	exes="$exes tests/fuzz/fuzz_$t"
done
# shellcheck disable=SC2086
ninja -C "$build" $exes >/dev/null || {
	ninja -C "$build" $exes
	exit 2
}
work=${FUZZ_WORK:-$build/fuzz-work}
mkdir -p "$work" || exit 2

max_len() {
	case $1 in
	frontmatter) echo 70000 ;;
	markdown) echo 8192 ;;
	lint) echo 32768 ;;
	mustache | schema) echo 16384 ;;
	*) echo 8192 ;;
	esac
}

# Milliseconds of CPU one input takes when run again on its own (the best
# of three): libFuzzer's -timeout counts wall time, which a busy machine
# stretches.
rerun_ms() {
	best=
	for _ in 1 2 3; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%U %S' -o "$work/$1.time" \
				"$build/tests/fuzz/fuzz_$1" "$2" >/dev/null 2>&1
			ms=$(awk '{ printf "%d", ($1 + $2) * 1000 }' "$work/$1.time")
		else
			ms=$("$build/tests/fuzz/fuzz_$1" "$2" 2>&1 |
				sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p')
		fi
		if [ -n "$ms" ] && { [ -z "$best" ] || [ "$ms" -lt "$best" ]; }; then
			best=$ms
		fi
	done
	rm -f "$work/$1.time"
	echo "$best"
}

# Fuzzes target $1 for $seconds.  A timeout that does not reproduce (the
# input takes under a second of CPU when tried again: the machine was busy)
# is noted and the run goes on for the time left; anything else ends it.
run_one() {
	t=$1
	mkdir -p "$work/$t/corpus"
	dict=
	[ -f "$here/dict/$t.dict" ] && dict="-dict=$here/dict/$t.dict"
	log=$work/$t.log
	: >"$log"
	start=$(date +%s)
	left=$seconds
	execs=0
	rc=0
	while [ "$left" -gt 0 ]; do
		lines=$(wc -l <"$log")
		# shellcheck disable=SC2086
		ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$build/tests/fuzz/fuzz_$t" "$work/$t/corpus" "$here/corpus/$t" \
			-max_total_time="$left" -timeout=2 -rss_limit_mb=2048 \
			-max_len="$(max_len "$t")" -artifact_prefix="$work/$t/" \
			-print_final_stats=1 $dict ${FUZZ_ARGS:-} >>"$log" 2>&1
		rc=$?
		# The count of this stretch: its final stats, else its last status line.
		n=$(tail -n +"$((lines + 1))" "$log" | sed -n 's/^stat::number_of_executed_units: *//p' | tail -1)
		[ -n "$n" ] || n=$(tail -n +"$((lines + 1))" "$log" |
			sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' | tail -1)
		execs=$((execs + ${n:-0}))
		left=$((seconds - ($(date +%s) - start)))
		[ $rc -eq 0 ] && break
		art=$(sed -n 's/.*Test unit written to \(.*timeout-[0-9a-f]*\)$/\1/p' "$log" | tail -1)
		# shellcheck disable=SC2015
		[ -n "$art" ] && [ -f "$art" ] || break
		ms=$(rerun_ms "$t" "$art")
		if [ -n "$ms" ] && [ "$ms" -lt 1000 ]; then
			echo "run.sh: $(basename "$art") took $ms ms of CPU when run again: not a hang, going on" >>"$log"
			mv "$art" "$art.not-reproduced"
			rc=0
			continue
		fi
		break
	done
	if [ $rc -eq 0 ]; then
		echo "$t: clean, $execs runs in $(($(date +%s) - start)) s"
	else
		echo "$t: FOUND SOMETHING (exit $rc) after $execs runs, see $log:"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*property failed|artifact_prefix|Test unit written)' \
			"$log" | tail -8
	fi
	return $rc
}

status=0
running=0
pids=
for t in $targets; do
	case " $all " in
	*" $t "*) ;;
	*)
		echo "run.sh: no target '$t' (targets: $all)" >&2
		exit 2
		;;
	esac
	run_one "$t" &
	pids="$pids $!"
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		for p in $pids; do
			wait "$p" || status=1
		done
		pids=
		running=0
	fi
done
for p in $pids; do
	wait "$p" || status=1
done
exit $status
