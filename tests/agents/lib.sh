# Helpers for the vigil-execd integration tests (sourced).
#   execd_start [ARGS...]  start vigil-execd for a fresh instance in $T (a temp dir)
#   execd_stop             SIGTERM it and wait
#   drive                  run execd-driver against the instance, commands on stdin
#   fail MSG               print and exit 1
# Everything created lives under $T and is removed on exit, with the daemon.
# SPDX-License-Identifier: GPL-2.0-or-later

set -u
B=${VIGIL_BUILDDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EXECD=$B/daemons/execd/vigil-execd
DRIVER=$B/tests/agents/execd-driver
T=$(mktemp -d /tmp/vigil-agents.XXXXXX)
INST=t$$-$(basename "$0" .sh)
EXECD_PID=
# Run inside a network namespace the test created: NETNS=name
NETNS=${NETNS:-}

in_ns() {
	if [ -n "$NETNS" ]; then ip netns exec "$NETNS" "$@"; else "$@"; fi
}

cleanup() {
	rc=$?
	[ -n "$EXECD_PID" ] && kill "$EXECD_PID" 2>/dev/null && wait "$EXECD_PID" 2>/dev/null
	[ -n "${CLEANUP_EXTRA:-}" ] && eval "$CLEANUP_EXTRA"
	# A sanitizer build of the daemon reports into its log: that fails the test.
	if [ -f "$T/execd.log" ] && grep -Eq "ERROR: (Address|Leak)Sanitizer|runtime error:" "$T/execd.log"; then
		cat "$T/execd.log" >&2
		rc=1
	fi
	rm -rf "$T"
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
	echo "FAIL: $*" >&2
	[ -f "$T/execd.log" ] && { echo "--- execd log" >&2; tail -30 "$T/execd.log" >&2; }
	exit 1
}

execd_start() {
	# Started directly (not through a shell function) so $! is the daemon.
	if [ -n "$NETNS" ]; then
		ip netns exec "$NETNS" "$EXECD" -f --instance "$INST" --run-dir "$T/run" "$@" \
			>>"$T/execd.log" 2>&1 &
	else
		"$EXECD" -f --instance "$INST" --run-dir "$T/run" "$@" >>"$T/execd.log" 2>&1 &
	fi
	EXECD_PID=$!
	for _ in $(seq 50); do
		echo info | in_ns "$DRIVER" "$INST" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "vigil-execd did not come up"
}

execd_stop() {
	kill "$EXECD_PID" 2>/dev/null
	wait "$EXECD_PID" 2>/dev/null
	EXECD_PID=
}

drive() {
	in_ns timeout 120 "$DRIVER" "$INST"
}

# expect OUTPUT PATTERN MSG: grep -E PATTERN in OUTPUT or fail
expect() {
	printf '%s\n' "$1" | grep -Eq -- "$2" || { printf '%s\n' "$1" >&2; fail "$3"; }
}
