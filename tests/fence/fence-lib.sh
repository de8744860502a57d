# Shared by the fencing integration tests: a temp dir, the power-switch
# simulator with an outlet hook that kills/starts a dummy "node" process
# per outlet, vigil-fenced on a private instance, and cleanup of all of it.
# SPDX-License-Identifier: GPL-2.0-or-later

set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fence.XXXXXX")
export VIGIL_INSTANCE="fencetest-$$"
PIDS=""
fail() { echo "FAIL: $*" >&2; exit 1; }
note() { echo "== $*"; }

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for f in "$T"/node*.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	sleep 0.2
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

command -v vigil-pdu-sim >/dev/null || fail "vigil-pdu-sim not on PATH"
command -v vigil-fenced >/dev/null || fail "vigil-fenced not on PATH"

# Outlet hook: "off N" kills node N's process and waits until it is gone;
# "on N" starts a new one.  A node is a sleeping process with a pid file.
cat > "$T/hook" <<'HOOK'
#!/bin/sh
dir=$(dirname "$0")
pidf="$dir/node$2.pid"
case "$1" in
off)
	if [ -f "$pidf" ]; then
		pid=$(cat "$pidf")
		kill -KILL "$pid" 2>/dev/null
		# dead = gone, or a zombie waiting for its (foreign) reaper
		while kill -0 "$pid" 2>/dev/null &&
			[ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
			sleep 0.02
		done
		rm -f "$pidf"
	fi
	echo "off $2" >> "$dir/hook.log" ;;
on)
	sleep 100000 </dev/null >/dev/null 2>&1 &
	echo $! > "$pidf"
	echo "on $2" >> "$dir/hook.log" ;;
esac
HOOK
chmod +x "$T/hook"

# node_start N: power node N's dummy process (as if its outlet were on).
node_start() { "$T/hook" on "$1"; }
node_pid() { cat "$T/node$1.pid" 2>/dev/null; }
# alive: exists and is not a zombie
pid_alive() { kill -0 "$1" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
node_alive() { p=$(node_pid "$1"); [ -n "$p" ] && pid_alive "$p"; }
outlet_state() { awk -v n="$2" '$1 == n { print $2 }' "$T/$1.state"; }

# start_sim NAME [options...]: run a simulator; its port in $T/NAME.port.
start_sim() {
	name=$1; shift
	vigil-pdu-sim --listen 127.0.0.1:0 --port-file "$T/$name.port" \
		--state "$T/$name.state" --outlet-hook "$T/hook" "$@" \
		2>>"$T/$name.log" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$T/$name.port" ]; do
		i=$((i + 1)); [ $i -gt 100 ] && fail "simulator $name did not start"
		sleep 0.05
	done
}
sim_port() { cat "$T/$1.port"; }

# start_fenced CIB: vigil-fenced for $VIGIL_INSTANCE with that CIB file.
start_fenced() {
	vigil-fenced -f --instance "$VIGIL_INSTANCE" --cib "$1" >"$T/fenced.log" 2>&1 &
	FENCED_PID=$!
	PIDS="$PIDS $FENCED_PID"
	i=0
	until vigil fence devices >/dev/null 2>&1; do
		i=$((i + 1)); [ $i -gt 100 ] && { cat "$T/fenced.log"; fail "vigil-fenced did not start"; }
		sleep 0.05
	done
}
stop_fenced() {
	kill "$FENCED_PID" 2>/dev/null
	wait "$FENCED_PID" 2>/dev/null
}

# nv ID NAME VALUE: one nvpair.
nv() { echo "<nvpair id=\"$1\" name=\"$2\" value=\"$3\"/>"; }
# device ID TYPE NVPAIRS...: one stonith primitive.
device() {
	id=$1; type=$2; shift 2
	echo "<primitive id=\"$id\" class=\"stonith\" type=\"$type\"><instance_attributes id=\"$id-ia\">"
	n=0
	while [ $# -ge 2 ]; do
		n=$((n + 1)); nv "$id-$n" "$1" "$2"; shift 2
	done
	echo "</instance_attributes>${EXTRA_OPS:-}</primitive>"
}
# cib FILE RESOURCES [TOPOLOGY]
cib() {
	cat > "$1" <<CIB
<cib><configuration><crm_config/><nodes/><resources>
$2
</resources><constraints/><fencing-topology>${3:-}</fencing-topology></configuration></cib>
CIB
}
