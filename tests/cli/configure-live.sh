#!/bin/sh
# `vigil configure` and `vigil explain` against a running 2-node cluster
# (vigil-lab on loopback): statements from either node reach the DC, `show`
# prints them in crm syntax, XML files still load, delete works, and
# explain reads the live CIB.  Skipped when the daemons are not built.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
for b in vigil vigil-lab vigild vigil-hbd vigil-ctld vigil-execd vigil-fenced; do
	command -v "$b" >/dev/null 2>&1 || { echo "skip: $b not built"; exit 77; }
done
[ -d /usr/lib/ocf/resource.d/pacemaker ] || { echo "skip: no ocf:pacemaker agents"; exit 77; }
tmp=$(mktemp -d /tmp/vigil-conf-live-XXXXXX) || exit 99
export VIGIL_LAB_DIR=$tmp/lab
trap 'timeout 60 vigil-lab down >/dev/null 2>&1; rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
on() { n=$1; shift; timeout 30 vigil-lab exec "$n" -- "$@"; }

vigil-lab up --nodes 2 --stack full >/dev/null || { echo "skip: the lab does not start"; exit 77; }
i=0
until on node1 vigil status 2>/dev/null | grep -q 'Current DC: node'; do
	i=$((i + 1)); [ $i -gt 60 ] && { fail "no DC after 30 s"; exit 1; }
	sleep 0.5
done
echo "ok: cluster up"

on node1 vigil configure property stonith-enabled=false || fail "property"
on node1 vigil configure primitive d ocf:pacemaker:Dummy op monitor interval=10s || fail "primitive"
on node2 vigil configure location d-pref d 100: node2 || fail "location from the other node"
on node1 vigil configure show >"$tmp/show" || fail "show"
grep -q '^primitive d ocf:pacemaker:Dummy' "$tmp/show" && grep -q '^location d-pref d 100: node2' "$tmp/show" \
	&& echo "ok: show prints the statements" || { fail "show"; cat "$tmp/show"; }
on node2 vigil configure show xml d | grep -q 'id="d-monitor-10s"' && echo "ok: show xml from node2" || fail "show xml"

i=0
until on node1 vigil explain d >"$tmp/ex" 2>&1 && grep -q 'Now: active on node2' "$tmp/ex"; do
	i=$((i + 1)); [ $i -gt 40 ] && { fail "d not started on node2"; cat "$tmp/ex"; break; }
	sleep 0.5
done
grep -q '+100  location d-pref: 100 on node2' "$tmp/ex" && echo "ok: explain reads the live CIB" || { fail "explain"; cat "$tmp/ex"; }

printf '<configuration><resources><primitive id="fromxml" class="ocf" provider="pacemaker" type="Dummy"/></resources></configuration>\n' >"$tmp/x.xml"
on node1 vigil configure load update "$tmp/x.xml" || fail "XML load"
on node1 vigil configure show fromxml | grep -q '^primitive fromxml' && echo "ok: XML load live" || fail "XML load result"
printf 'primitive fromcrm ocf:pacemaker:Dummy\norder o Mandatory: d fromcrm\n' >"$tmp/c.crm"
on node2 vigil configure load update "$tmp/c.crm" || fail "crm load"
on node1 vigil configure delete fromxml d || fail "delete"
on node1 vigil configure show >"$tmp/show"
if grep -q 'fromxml\|^primitive d \|order o' "$tmp/show"; then fail "delete left objects"; cat "$tmp/show"; else
	grep -q '^primitive fromcrm' "$tmp/show" && echo "ok: load and delete live" || fail "fromcrm missing"; fi
[ "$fails" -eq 0 ]
