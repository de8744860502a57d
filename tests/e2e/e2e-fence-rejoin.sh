#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A fenced node that is back before its fencing is confirmed.  The power
# switch answers a power-on 1.5 s late (vigil-lab up --pdu-delay), so the
# rebooted node's controller joins while the DC still waits for the
# fencer's answer.  When the answer comes, the DC must not write that node
# off: it is up again, its resources are re-probed and it rejoins (the DC
# once left it OFFLINE in its status until its next restart).
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/e2e/e2e-lib.sh"
e2e_init fence-rejoin
e2e_cluster --pdu-delay 1500
deaths=()
victim=$(e2e_where ip)
e2e_mark
t_kill=$(e2e_now)
vigil-lab kill "$victim" >/dev/null
deaths+=("$victim=$t_kill")
confirmed() { [ -n "$(e2e_fence_times "$victim" "$E2E_MARK_T")" ]; }
e2e_wait 40 "the fencing of $victim to be confirmed" confirmed
e2e_wait 30 "$victim online in every node's view" e2e_all_have_dc
grep -q "node $victim: back from its fencing already" "$VIGIL_LAB_DIR"/node*/daemon.out ||
	e2e_fail "$victim was not back before its fencing was confirmed: the case under test did not happen"
# The IP may well start on the victim again (it is up, and the best place):
# wherever it runs, it started only after the fencing was confirmed.
running() { [ -n "$(e2e_where ip)" ]; }
e2e_wait 30 "ip to run again" running
fenced=$(e2e_fence_times "$victim" "$E2E_MARK_T" | head -n 1)
start=$(awk -v s="$E2E_MARK_T" '$1 > s && $3 == "ip" && $4 == "start" { print $1; exit }' "$MARKER_DIR/activity.log")
[ -n "$fenced" ] && [ -n "$start" ] && awk -v f="$fenced" -v s="$start" 'BEGIN { exit !(s > f) }' ||
	e2e_fail "ip started at ${start:-never}, before $victim's fencing was confirmed at ${fenced:-never}"
e2e_log "$victim rejoined although its fencing was confirmed after it was back; ip on $(e2e_where ip)"
e2e_check_activity "${deaths[@]}"
e2e_log "PASS"
