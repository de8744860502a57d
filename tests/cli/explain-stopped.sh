#!/bin/sh
# `vigil explain` says why a resource is stopped: target-role, a mandatory
# order whose first resource will not run, a colocation chain ending at a
# stopped resource, a group member after a stopped one, a ticket not
# granted, no quorum, an unclean node waiting to be fenced, unmanaged.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
. "${VIGIL_SRCDIR:-$(dirname "$0")/../..}/tests/cli/explain-lib.sh"
cat >"$tmp/cfg.crm" <<'CRM'
node 1: node1
node 2: node2
node 3: node3
primitive a ocf:pacemaker:Dummy
primitive b ocf:pacemaker:Dummy
primitive c ocf:pacemaker:Dummy
primitive x ocf:pacemaker:Dummy meta target-role=Stopped
primitive y ocf:pacemaker:Dummy
primitive m1 ocf:pacemaker:Dummy meta target-role=Stopped
primitive m2 ocf:pacemaker:Dummy
group g m1 m2
primitive t ocf:pacemaker:Dummy
primitive u ocf:pacemaker:Dummy meta is-managed=false
location a-on-3 a inf: node3
colocation b-with-a inf: b a
colocation c-with-b inf: c b
order x-then-y Mandatory: x y
xml <rsc_ticket id="t-needs-T" rsc="t" ticket="T" loss-policy="stop"/>
property stonith-enabled=false
CRM
vigil configure -x "$tmp/cib.xml" load update "$tmp/cfg.crm" || exit 99
vigil simulate -x "$tmp/cib.xml" -u node1 -u node2 -u node3 -S -O "$tmp/run.xml" -Q || exit 99
vigil simulate -x "$tmp/run.xml" -X -Q || exit 99

vigil explain -x "$tmp/run.xml" x >"$tmp/o"
has "$tmp/o" "Now: stopped." "stopped now"
has "$tmp/o" "After the pending transition: stays stopped." "stays stopped"
has "$tmp/o" "x has target-role=Stopped: the cluster keeps it stopped" "target-role"

vigil explain -x "$tmp/run.xml" y >"$tmp/o"
has "$tmp/o" "order x-then-y: y may start only after x has started, and x will not be running" "mandatory order, first not runnable"
has "$tmp/o" "x has target-role=Stopped" "the order's first resource followed"

vigil explain -x "$tmp/run.xml" m2 >"$tmp/o"
has "$tmp/o" "m2 is in group g after m1: it starts after m1 and runs with it, and m1 will not be running" "group member after a stopped one"
has "$tmp/o" "m1 has target-role=Stopped" "why the member before is stopped"

vigil explain -x "$tmp/run.xml" t >"$tmp/o"
has "$tmp/o" "ticket T is not granted (rsc_ticket t-needs-T, loss-policy=stop): t may not run" "ticket not granted"

vigil explain -x "$tmp/run.xml" u >"$tmp/o"
has "$tmp/o" "u is not managed (is-managed=false or maintenance)" "unmanaged"

# a failed stop without fencing blocks the resource where it is
vigil simulate -x "$tmp/run.xml" -i a_stop_0@node3=1 -I "$tmp/bl.xml" -Q
vigil explain -x "$tmp/bl.xml" a >"$tmp/o"
has "$tmp/o" "It stays on node3 because the cluster does not touch a (blocked, see the notes)" "blocked stays"
has "$tmp/o" "a is blocked: an operation failed with on-fail=block or a stop failed without fencing" "blocked note"

# colocation chain ending at a stopped resource
cp "$tmp/run.xml" "$tmp/k.xml"
printf 'primitive a ocf:pacemaker:Dummy meta target-role=Stopped\n' >"$tmp/k.crm"
vigil configure -x "$tmp/k.xml" load update "$tmp/k.crm" || fails=$((fails + 1))
vigil explain -x "$tmp/k.xml" c >"$tmp/o"
has "$tmp/o" "After the pending transition: stopped on node3." "running now, stopped by the transition"
has "$tmp/o" "colocation c-with-b: c must run with b, and b will not be running" "colocation with a stopped resource"
has "$tmp/o" "colocation b-with-a: b must run with a, and a will not be running" "next link of the chain"
has "$tmp/o" "a has target-role=Stopped" "the end of the chain"
has "$tmp/o" "-INFINITY  colocation c-with-b: must run with b, which will not run anywhere" "per-node term"
has "$tmp/o" "Resource action: c               stop on node3" "the stop planned"

# no quorum
sed 's/have-quorum="1"/have-quorum="0"/' "$tmp/run.xml" >"$tmp/q.xml"
vigil explain -x "$tmp/q.xml" a >"$tmp/o"
has "$tmp/o" "this partition has no quorum and no-quorum-policy=stop: resources are stopped" "no quorum"

# a node lost uncleanly: fencing first (fencing enabled)
cp "$tmp/run.xml" "$tmp/n.xml"
vigil configure -x "$tmp/n.xml" property stonith-enabled=true || fails=$((fails + 1))
vigil simulate -x "$tmp/n.xml" -f node3 -I "$tmp/u.xml" -Q
vigil explain -x "$tmp/u.xml" a >"$tmp/o"
has "$tmp/o" "a was active on node3, which is unclean: it can be recovered elsewhere only once node3 has been fenced" "unclean node"
has "$tmp/o" "the pending transition fences node3 first, then recovers a" "fencing planned"
has "$tmp/o" "node node3 is unclean (lost without a clean shutdown) and waits to be fenced: it runs no resources" "node term"
has "$tmp/o" "Fencing node3 (reboot)" "the fencing action listed"
[ "$fails" -eq 0 ]
