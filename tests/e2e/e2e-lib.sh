# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared by the end-to-end tests (and the demo): a 3-node vigil-lab cluster
# with the full stack, the power-switch simulator as fencing device, and an
# OCF_ROOT of links in which
#   - ocf:vigiltest:Marker (tests/e2e/ocf/Marker) logs every start/stop,
#   - every other provider and the shell library are the installed ones,
#     unmodified: the executor gives agents HA_SBIN_DIR (vigil's helpers),
#     VIGIL_INSTANCE/VIGIL_LAB, and the lab's per-node HA_RSCTMP/HA_VARRUN.
# As root every node has its own network namespace (vigil-lab --netns) and
# the fencing device is the simulator on the lab bridge; otherwise (or with
# E2E_NETNS=0) all nodes share one loopback namespace.  E2E_MODE says which.
# Source it, then call e2e_init NAME.  Everything is removed on exit.

E2E_SRC=${VIGIL_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
E2E_BUILD=${VIGIL_BUILDDIR:-$E2E_SRC/build}
export VIGIL_BUILDDIR=$E2E_BUILD
export VIGIL_SCHEMA_DIR=${VIGIL_SCHEMA_DIR:-$E2E_SRC/lib/cib/schema}
export VIGIL_LIBEXEC_DIR=${VIGIL_LIBEXEC_DIR:-$E2E_BUILD/tools/helpers}
export PATH="$E2E_BUILD/tools:$E2E_BUILD/daemons/vigild:$E2E_BUILD/daemons/hbd:$E2E_BUILD/daemons/ctld:$E2E_BUILD/daemons/execd:$E2E_BUILD/daemons/fenced:$E2E_BUILD/fencing:$PATH"

if [ "$(id -u)" = 0 ] && [ "${E2E_NETNS:-1}" != 0 ]; then E2E_MODE=netns; else E2E_MODE=loopback; fi

e2e_log() { printf '%s [%s] %s\n' "$(date +%T.%3N)" "${E2E_NAME:-e2e}" "$*"; }
e2e_skip() { e2e_log "SKIP: $*"; exit 77; }
e2e_fail() {
	e2e_log "FAIL: $*"
	if [ -n "$E2E_DIR" ] && [ -d "$E2E_DIR/lab" ]; then
		e2e_log "--- status from a surviving node"
		for n in node1 node2 node3; do
			timeout 10 vigil-lab exec "$n" -- vigil status 2>/dev/null && break
		done
		[ -f "$MARKER_DIR/activity.log" ] && { e2e_log "--- activity"; tail -n 30 "$MARKER_DIR/activity.log"; }
		for n in node1 node2 node3; do
			f="$E2E_DIR/lab/$n/daemon.out"
			[ -f "$f" ] && { e2e_log "--- tail of $n"; tail -n 40 "$f"; }
		done
	fi
	# Again last: CI shows only the end of a failed test's log.
	e2e_log "FAIL: $*"
	exit 1
}

e2e_cleanup() {
	if [ -n "$E2E_DIR" ]; then
		[ "$E2E_KEEP" = lab ] || { [ -f "$E2E_DIR/lab/lab.json" ] && timeout 60 vigil-lab down >/dev/null 2>&1; }
		[ -n "$E2E_KEEP" ] || rm -rf "$E2E_DIR"
	fi
}

# e2e_init NAME: check prerequisites, make the temp dir and the OCF overlay.
e2e_init() {
	E2E_NAME=$1
	for b in vigil vigil-lab vigild vigil-hbd vigil-ctld vigil-execd vigil-fenced vigil-pdu-sim; do
		command -v "$b" >/dev/null 2>&1 || e2e_skip "$b not built"
	done
	[ -x "$VIGIL_LIBEXEC_DIR/crm_attribute" ] || e2e_skip "agent helpers not built"
	command -v python3 >/dev/null || e2e_skip "python3 missing"
	E2E_DIR=$(mktemp -d /tmp/vigil-e2e-XXXXXX)
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM
	export VIGIL_LAB_DIR=$E2E_DIR/lab
	e2e_overlay "$E2E_DIR/ocf"
	export OCF_ROOT=$E2E_DIR/ocf
	MARKER_DIR=$E2E_DIR/marker
	mkdir -p "$MARKER_DIR"
}

# e2e_overlay DIR: the OCF_ROOT described at the top (links only).
e2e_overlay() {
	local o=$1 real=/usr/lib/ocf p
	[ -d "$real/lib/heartbeat" ] || e2e_skip "resource-agents not installed"
	mkdir -p "$o/resource.d/vigiltest"
	ln -s "$real/lib" "$o/lib"
	for p in "$real"/resource.d/*; do ln -s "$p" "$o/resource.d/$(basename "$p")"; done
	cp "$E2E_SRC/tests/e2e/ocf/Marker" "$o/resource.d/vigiltest/Marker"
}

# e2e_up [vigil-lab up options]: a 3-node lab in E2E_MODE.  The nodes reach
# the power switch at E2E_PDU_ADDR:E2E_PDU_PORT (127.0.0.1 in a loopback
# lab, the bridge's address in a namespace lab).
e2e_up() {
	local ns=
	[ "$E2E_MODE" = netns ] && ns=--netns
	vigil-lab up --nodes 3 --stack full --pdu --keepalive 100 --deadtime 500 $ns "$@" \
		>"$E2E_DIR/lab-up.log" 2>&1 || { cat "$E2E_DIR/lab-up.log"; e2e_fail "vigil-lab up ($E2E_MODE)"; }
	E2E_PDU_PORT=$(cat "$VIGIL_LAB_DIR/pdu.port" 2>/dev/null)
	E2E_PDU_ADDR=$(cat "$VIGIL_LAB_DIR/pdu.addr" 2>/dev/null)
	[ -n "$E2E_PDU_PORT" ] && [ -n "$E2E_PDU_ADDR" ] || e2e_fail "the power switch simulator did not start"
	e2e_log "lab up ($E2E_MODE), power switch at $E2E_PDU_ADDR:$E2E_PDU_PORT"
	e2e_wait 30 "a DC on every node" e2e_all_have_dc
}

vx() { local n=$1; shift; vigil-lab exec "$n" -- "$@"; }

# e2e_wait SECONDS WHAT CMD...: poll CMD every 0.2 s.
e2e_wait() {
	local t=$1 what=$2; shift 2
	local end=$(($(date +%s) + t))
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || e2e_fail "timed out after ${t}s waiting for $what"
		sleep 0.2
	done
}

# Every node is in one partition: all name the same DC, and the DC lists
# them all online (a node that just came back may name itself DC of its own
# partition for a moment, before the merge).
e2e_all_have_dc() {
	local n d dc=
	for n in ${E2E_NODES:-node1 node2 node3}; do
		d=$(e2e_dc "$n")
		[ -n "$d" ] && [ "${dc:=$d}" = "$d" ] || return 1
	done
	vx "$dc" vigil status 2>/dev/null | grep -q "Online: \[ ${E2E_NODES:-node1 node2 node3} \]"
}

# Where a resource runs (first node), empty when stopped.
e2e_where() {
	vx "${2:-node1}" vigil resource locate "$1" 2>/dev/null |
		sed -n 's/.* is running on: //p' | head -n 1
}

e2e_cib() { e2e_cib_default; }

# The same, fencing with "off" (as Heartbeat's STONITH did by default): the
# switch cuts the power and the node stays down until it is started again.
# A lab node "reboots" in no time, faster than any real server: with
# "reboot" it may rejoin before its fencing is confirmed and then win the
# placement of what it lost, so tests that check where things move use this.
e2e_cib_power_off() {
	e2e_cib_default |
		sed 's|<nvpair id="opt-nqp"|<nvpair id="opt-action" name="stonith-action" value="off"/>\n        <nvpair id="opt-nqp"|'
}

# The fencing device every test CIB uses: the lab's power switch simulator.
e2e_fence_device() {
	cat <<END
      <primitive id="fence-pdu" class="stonith" type="vigil-redfish">
        <instance_attributes id="fence-pdu-ia">
          <nvpair id="fence-pdu-ip" name="ip" value="${E2E_PDU_ADDR}:${E2E_PDU_PORT}"/>
          <nvpair id="fence-pdu-ssl" name="ssl" value="0"/>
          <nvpair id="fence-pdu-map" name="pcmk_host_map" value="node1:1;node2:2;node3:3"/>
        </instance_attributes>
      </primitive>
END
}

# The demo/test CIB: web group (ip + svc), two VMs, a promotable storage
# clone (Stateful), the simulator as fencing device (vigil-redfish).
e2e_cib_default() {
	cat <<END
<cib admin_epoch="0" epoch="100" num_updates="0" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="true"/>
        <nvpair id="opt-nqp" name="no-quorum-policy" value="stop"/>
        <nvpair id="opt-stonith-timeout" name="stonith-timeout" value="20s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
$(e2e_fence_device)
      <group id="web">
        <primitive id="ip" class="ocf" provider="vigiltest" type="Marker">
          <instance_attributes id="ip-ia">
            <nvpair id="ip-dir" name="dir" value="${MARKER_DIR}"/>
            <nvpair id="ip-label" name="label" value="virtual IP 192.0.2.10"/>
          </instance_attributes>
          <operations><op id="ip-mon" name="monitor" interval="2s" timeout="10s"/></operations>
        </primitive>
        <primitive id="svc" class="ocf" provider="vigiltest" type="Marker">
          <instance_attributes id="svc-ia">
            <nvpair id="svc-dir" name="dir" value="${MARKER_DIR}"/>
            <nvpair id="svc-label" name="label" value="web service"/>
          </instance_attributes>
          <operations><op id="svc-mon" name="monitor" interval="2s" timeout="10s"/></operations>
        </primitive>
      </group>
      <primitive id="vm1" class="ocf" provider="vigiltest" type="Marker">
        <instance_attributes id="vm1-ia"><nvpair id="vm1-dir" name="dir" value="${MARKER_DIR}"/></instance_attributes>
        <operations><op id="vm1-mon" name="monitor" interval="2s" timeout="10s"/></operations>
      </primitive>
      <primitive id="vm2" class="ocf" provider="vigiltest" type="Marker">
        <instance_attributes id="vm2-ia"><nvpair id="vm2-dir" name="dir" value="${MARKER_DIR}"/></instance_attributes>
        <operations><op id="vm2-mon" name="monitor" interval="2s" timeout="10s"/></operations>
      </primitive>
      <clone id="storage">
        <meta_attributes id="storage-meta">
          <nvpair id="storage-promotable" name="promotable" value="true"/>
          <nvpair id="storage-pmax" name="promoted-max" value="1"/>
        </meta_attributes>
        <primitive id="drbd" class="ocf" provider="pacemaker" type="Stateful">
          <operations>
            <op id="drbd-mon-p" name="monitor" interval="3s" role="Promoted" timeout="10s"/>
            <op id="drbd-mon-u" name="monitor" interval="4s" role="Unpromoted" timeout="10s"/>
          </operations>
        </primitive>
      </clone>
    </resources>
    <constraints>
      <rsc_location id="vm1-prefers-node2" rsc="vm1" node="node2" score="50"/>
      <rsc_location id="vm2-prefers-node3" rsc="vm2" node="node3" score="50"/>
    </constraints>
    <rsc_defaults>
      <meta_attributes id="rsc-defaults">
        <nvpair id="rsc-stickiness" name="resource-stickiness" value="100"/>
        <nvpair id="rsc-threshold" name="migration-threshold" value="3"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status/>
</cib>
END
}

# Load the CIB with `vigil cib replace` on the live cluster.
e2e_load() {
	vx node1 vigil cib replace -X "$(cat "$1")" >/dev/null 2>"$E2E_DIR/cib-replace.err" ||
		{ cat "$E2E_DIR/cib-replace.err"; e2e_fail "vigil cib replace failed"; }
}

# e2e_cluster: lab up, the CIB loaded, everything running and promoted.
e2e_cluster() {
	e2e_up "$@"
	e2e_cib >"$E2E_DIR/cib.xml"
	e2e_load "$E2E_DIR/cib.xml"
	e2e_wait 60 "every resource running" e2e_all_running
}

e2e_all_running() {
	local s
	s=$(vx node1 vigil status 2>/dev/null) || return 1
	for r in ip svc vm1 vm2; do
		echo "$s" | grep -Eq "^ *\* $r[[:space:]].*Started node" || return 1
	done
	echo "$s" | grep -q "Promoted: \[ node"
}

e2e_promoted() {
	vx "${1:-node1}" vigil status 2>/dev/null | sed -n 's/.*Promoted: \[ \(node[0-9]*\) \].*/\1/p'
}

# PIDs of one node's process (by program name) in this lab.
e2e_pids() {
	local node=$1 prog=$2 p
	for p in /proc/[0-9]*; do
		[ "$(cat "$p/comm" 2>/dev/null)" = "$prog" ] || continue
		# (2> first: a process gone meanwhile must not print an error)
		tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qx "VIGIL_LAB_NODE=$node" || continue
		tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qx "VIGIL_LAB=$VIGIL_LAB_DIR" || continue
		echo "${p#/proc/}"
	done
}

e2e_dc() {
	vx "${1:-node1}" vigil status 2>/dev/null | sed -n 's/.*Current DC: \(node[0-9]*\).*/\1/p'
}

e2e_now() { date +%s.%N; }

# Is the process alive (a killed one may linger as a zombie)?
e2e_alive() {
	local st
	st=$(cut -d')' -f2 "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2)
	[ -n "$st" ] && [ "$st" != Z ]
}

# The stored CIBs of all running nodes are the same bytes.
e2e_cibs_identical() {
	local first= n f
	for n in ${E2E_NODES:-node1 node2 node3}; do
		f=$VIGIL_LAB_DIR/$n/state/cib/cib.xml
		[ -f "$f" ] || return 1
		if [ -z "$first" ]; then first=$f; else cmp -s "$first" "$f" || return 1; fi
	done
}

# A node's resources end with its death: the test's kills (arguments,
# NODE=TIME) and every fencing the cluster confirmed (its own decisions too,
# such as a node fenced after it left the membership).
e2e_check_activity() {
	local n t fenced=()
	for n in ${E2E_NODES:-node1 node2 node3}; do
		for t in $(e2e_fence_times "$n" 0); do fenced+=("$n=$t"); done
	done
	python3 "$E2E_SRC/tests/e2e/check-activity.py" "$MARKER_DIR/activity.log" "$@" "${fenced[@]}" ||
		e2e_fail "a resource was active on two nodes"
}

# e2e_mark: remember when the event under test began; e2e_fenced_first
# VICTIM then checks that VICTIM's fencing was confirmed before the IP was
# started on another node.  It compares timestamps, not log positions (the
# DC may change during a failover, and lines from different processes can
# land in any order): the DC logs "node V: fenced by DEVICE (T)" with T
# taken before it lets anything that waits for the fencing run, and the
# Marker agent stamps its start inside the agent, causally afterwards.
e2e_mark() {
	E2E_MARK_T=$(e2e_now)
}

# e2e_fence_times VICTIM SINCE: confirmations of VICTIM's fencing after
# SINCE (seconds since the epoch) in any node's log, oldest first.
e2e_fence_times() {
	cat "$VIGIL_LAB_DIR"/node*/daemon.out 2>/dev/null |
		sed -n "s/.* node $1: fenced by .* (\([0-9.]*\))\$/\1/p" |
		awk -v s="$2" '$1 > s' | sort -n
}

e2e_fenced_first() {
	local victim=$1 fenced start tries=50
	fenced=$(e2e_fence_times "$victim" "$E2E_MARK_T" | head -n 1)
	# `vigil resource locate` shows a start in flight: wait for the agent's line
	while :; do
		start=$(awk -v s="$E2E_MARK_T" -v v="$victim" \
			'$1 > s && $2 != v && $3 == "ip" && $4 == "start" && (m == "" || $1 < m) { m = $1 } END { print m }' \
			"$MARKER_DIR/activity.log")
		[ -n "$start" ] || [ $((tries -= 1)) -le 0 ] && break
		sleep 0.2
	done
	e2e_log "fencing of $victim confirmed at ${fenced:-never}, ip started at ${start:-never}"
	[ -n "$fenced" ] && [ -n "$start" ] && awk -v f="$fenced" -v s="$start" 'BEGIN { exit !(s > f) }'
}
