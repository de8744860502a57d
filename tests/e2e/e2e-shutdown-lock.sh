#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# shutdown-lock on a live cluster (cluster options shutdown-lock=true,
# shutdown-lock-limit): a node that shuts down cleanly keeps its resources
# stopped and locked to it (not recovered elsewhere, no fencing):
#  1. `vigil status` shows the resource "Stopped NODE (LOCKED)"; it starts
#     elsewhere only once shutdown-lock-limit (5 s) has passed since the
#     shutdown request;
#  2. with a long limit, the node comes back: the resource starts there
#     again, never elsewhere, and the lock is gone;
#  3. `vigil resource cleanup` of a locked resource releases the lock: it
#     starts elsewhere at once;
#  4. the same as 1 when the node shutting down is the DC.
# Everything is polled; the only timing asserted is the lock's own.
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init shutdown-lock

LIMIT=5
e2e_cib() {
	cat <<END
<cib admin_epoch="0" epoch="100" num_updates="0" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith" name="stonith-enabled" value="true"/>
        <nvpair id="opt-stonith-timeout" name="stonith-timeout" value="20s"/>
        <nvpair id="opt-lock" name="shutdown-lock" value="true"/>
        <nvpair id="opt-lock-limit" name="shutdown-lock-limit" value="${LIMIT}s"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
$(e2e_fence_device)
      <primitive id="db" class="ocf" provider="vigiltest" type="Marker">
        <instance_attributes id="db-ia"><nvpair id="db-dir" name="dir" value="${MARKER_DIR}"/></instance_attributes>
        <operations><op id="db-mon" name="monitor" interval="2s" timeout="10s"/></operations>
      </primitive>
    </resources>
    <constraints/>
    <rsc_defaults>
      <meta_attributes id="rsc-defaults">
        <nvpair id="rsc-stickiness" name="resource-stickiness" value="100"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status/>
</cib>
END
}
e2e_up
e2e_cib >"$E2E_DIR/cib.xml"
e2e_load "$E2E_DIR/cib.xml"
db_running() { [ -n "$(e2e_where db)" ]; }
e2e_wait 60 "db running" db_running

fences() { e2e_fence_times "$1" 0 | wc -l; }
# A node other than $1 and $2 that is up, to ask.
other() { printf 'node1\nnode2\nnode3\n' | grep -vx -e "$1" -e "${2:-}" | head -n 1; }
# db starts in the activity log after $1 (seconds since the epoch): "TIME NODE".
db_starts() {
	awk -v s="$1" '$1 > s && $3 == "db" && $4 == "start" { print $1, $2 }' "$MARKER_DIR/activity.log"
}
locked_on() { vx "$1" vigil status 2>/dev/null | grep -Eq "^ *\* db[[:space:]].*Stopped $2 \(LOCKED[,)]"; }
# wait_locked ASK NODE: until ASK's status shows db locked to NODE.
wait_locked() {
	e2e_wait 30 "db shown locked to $2" locked_on "$1" "$2"
	vx "$1" vigil status --xml 2>/dev/null | grep -q "<resource id=\"db\"[^>]* locked_to=\"$2\"" ||
		e2e_fail "vigil status --xml does not show db locked_to $2"
	e2e_log "db shown locked to $2"
}
shut_down() {
	local t
	t=$(e2e_now)
	vx "$1" vigil node shutdown || e2e_fail "vigil node shutdown on $1 failed"
	gone() { [ -z "$(e2e_pids "$1" vigild)" ]; }
	e2e_wait 60 "$1's vigild to exit" gone "$1"
	e2e_log "$1 shut down in $(awk -v t="$t" -v n="$(e2e_now)" 'BEGIN { printf "%.1f", n - t }')s"
}
bring_back() {
	vigil-lab start "$1" >"$E2E_DIR/lab-start.log" 2>&1 ||
		{ cat "$E2E_DIR/lab-start.log"; e2e_fail "vigil-lab start $1"; }
	e2e_wait 60 "$1 back in the cluster" e2e_all_have_dc
	e2e_log "$1 is back"
}
# limit DURATION: set shutdown-lock-limit (through the node $ask).
limit() {
	vx "$ask" vigil cib modify -o crm_config \
		-X "<nvpair id=\"opt-lock-limit\" name=\"shutdown-lock-limit\" value=\"$1\"/>" >/dev/null ||
		e2e_fail "setting shutdown-lock-limit to $1 failed"
}
f0=$(($(fences node1) + $(fences node2) + $(fences node3)))

# 1. The lock holds until shutdown-lock-limit, then db runs elsewhere.
victim=$(e2e_where db)
ask=$(other "$victim")
t0=$(e2e_now)
shut_down "$victim"
wait_locked "$ask" "$victim"
[ -z "$(db_starts "$t0")" ] || e2e_fail "db started while locked to $victim: $(db_starts "$t0")"
# moved: located elsewhere and the start logged by the agent (locate may
# show a start still in flight)
moved() {
	w=$(e2e_where db "$ask")
	[ -n "$w" ] && [ "$w" != "$victim" ] && [ -n "$(db_starts "$t0")" ]
}
e2e_wait $((LIMIT + 40)) "db to start elsewhere once the lock expired" moved
start=$(db_starts "$t0" | head -n 1)
# The lock dates from the shutdown request (whole seconds, >= floor(t0)) and
# ends when the limit has passed: no start before t0 + LIMIT - 1.
awk -v t="$t0" -v s="${start%% *}" -v l="$LIMIT" 'BEGIN { exit !(s >= t + l - 1) }' ||
	e2e_fail "db started at ${start%% *}, less than ${LIMIT}s after the shutdown request at $t0"
[ "$(db_starts "$t0" | wc -l)" -eq 1 ] || e2e_fail "db started more than once: $(db_starts "$t0")"
! locked_on "$ask" "$victim" || e2e_fail "db still shown locked after it started elsewhere"
e2e_log "1: db locked to $victim, started on ${start#* } $(awk -v t="$t0" -v s="${start%% *}" 'BEGIN { printf "%.1f", s - t }')s after the shutdown request"
bring_back "$victim"

# 2. The node comes back before the limit: db starts there again.
limit 600s
holder=$(e2e_where db "$ask")
[ -n "$holder" ] || e2e_fail "db not running before round 2"
ask=$(other "$holder")
t1=$(e2e_now)
shut_down "$holder"
wait_locked "$ask" "$holder"
bring_back "$holder"
back() { [ "$(e2e_where db "$ask")" = "$holder" ] && [ -n "$(db_starts "$t1")" ]; }
e2e_wait 60 "db to start on $holder again" back
starts=$(db_starts "$t1")
if [ "$starts" != "$(echo "$starts" | awk -v n="$holder" '$2 == n')" ] ||
	[ "$(echo "$starts" | wc -l)" -ne 1 ]; then
	e2e_fail "db should have started once, on $holder, after its return: $starts"
fi
unlocked() { ! vx "$ask" vigil cib query 2>/dev/null | grep -q 'shutdown-lock="'; }
e2e_wait 10 "the lock to be gone from the CIB" unlocked
e2e_log "2: $holder came back within the limit: db started there again"

# 3. A cleanup releases the lock.
t2=$(e2e_now)
shut_down "$holder"
wait_locked "$ask" "$holder"
[ -z "$(db_starts "$t2")" ] || e2e_fail "db started while locked to $holder: $(db_starts "$t2")"
vx "$ask" vigil resource cleanup db >/dev/null || e2e_fail "vigil resource cleanup db failed"
moved2() { w=$(e2e_where db "$ask"); [ -n "$w" ] && [ "$w" != "$holder" ]; }
e2e_wait 30 "db to start elsewhere after the cleanup" moved2
e2e_log "3: cleanup released the lock: db on $(e2e_where db "$ask")"

# 4. The DC itself shuts down holding db: its successor keeps the lock
# until the limit (5 s again) has passed.
bring_back "$holder"
limit ${LIMIT}s
dc=$(e2e_dc "$ask")
[ -n "$dc" ] || e2e_fail "no DC"
vx "$ask" vigil resource move db "$dc" >/dev/null || e2e_fail "vigil resource move db $dc failed"
on_dc() { [ "$(e2e_where db "$ask")" = "$dc" ]; }
e2e_wait 30 "db to run on the DC $dc" on_dc
vx "$ask" vigil resource clear db >/dev/null || e2e_fail "vigil resource clear db failed"
ask=$(other "$dc")
t3=$(e2e_now)
shut_down "$dc"
wait_locked "$ask" "$dc"
moved3() {
	w=$(e2e_where db "$ask")
	[ -n "$w" ] && [ "$w" != "$dc" ] && [ -n "$(db_starts "$t3")" ]
}
e2e_wait $((LIMIT + 40)) "db to start elsewhere once the lock on $dc expired" moved3
start=$(db_starts "$t3" | head -n 1)
awk -v t="$t3" -v s="${start%% *}" -v l="$LIMIT" 'BEGIN { exit !(s >= t + l - 1) }' ||
	e2e_fail "db started at ${start%% *}, less than ${LIMIT}s after the DC's shutdown request at $t3"
e2e_log "4: the DC $dc shut down: db locked to it, started on ${start#* } $(awk -v t="$t3" -v s="${start%% *}" 'BEGIN { printf "%.1f", s - t }')s later"

[ "$(($(fences node1) + $(fences node2) + $(fences node3)))" = "$f0" ] ||
	e2e_fail "a node was fenced after a clean shutdown"
e2e_check_activity
e2e_log "PASS"
