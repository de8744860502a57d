#!/bin/sh
# Patches travel both ways between vigil and Pacemaker's crm_diff:
#  - a vigil patch (format 2) applied by `crm_diff --patch` gives the new CIB;
#  - a crm_diff patch (format 1) applied by `vigil cib patch` gives it too.
# Skips (77) when crm_diff is not installed.
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
command -v crm_diff >/dev/null 2>&1 || { echo "SKIP: no crm_diff"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
cat >"$tmp/a.xml" <<'XML'
<cib admin_epoch="0" epoch="5" num_updates="2" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/><nvpair id="o2" name="cluster-name" value="lab"/></cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
    <resources>
      <primitive id="a" class="ocf" provider="heartbeat" type="Dummy" description="old"/>
      <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/>
      <primitive id="c" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
    <constraints><rsc_location id="l" rsc="a" node="node1" score="100"/></constraints>
  </configuration>
  <status><node_state id="1" uname="node1" crmd="online"/></status>
</cib>
XML
# b: attribute changed and removed, element deleted, elements added (one
# at the end, one in the middle), status changed
cat >"$tmp/b.xml" <<'XML'
<cib admin_epoch="0" epoch="6" num_updates="0" validate-with="pacemaker-3.9">
  <configuration>
    <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="true"/></cluster_property_set></crm_config>
    <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/><node id="3" uname="node3"/></nodes>
    <resources>
      <primitive id="a" class="ocf" provider="heartbeat" type="Dummy"/>
      <primitive id="n" class="ocf" provider="heartbeat" type="Dummy"/>
      <primitive id="c" class="ocf" provider="heartbeat" type="Stateful"/>
    </resources>
    <constraints><rsc_location id="l" rsc="a" node="node2" score="200"/></constraints>
  </configuration>
  <status><node_state id="1" uname="node1" crmd="offline"/></status>
</cib>
XML

# vigil -> Pacemaker
vigil cib diff "$tmp/a.xml" "$tmp/b.xml" >"$tmp/v.patch" || { echo "FAIL: vigil cib diff"; exit 1; }
if crm_diff --cib --original "$tmp/a.xml" --patch "$tmp/v.patch" >"$tmp/pm.xml" 2>"$tmp/err"; then
	vigil cib diff "$tmp/pm.xml" "$tmp/b.xml" >"$tmp/left"
	if [ -s "$tmp/left" ]; then
		echo "FAIL: Pacemaker's result of vigil's patch differs:"; cat "$tmp/left"; fails=$((fails + 1))
	else
		echo "ok: crm_diff applies vigil's patch"
	fi
else
	echo "FAIL: crm_diff refused vigil's patch:"; cat "$tmp/err"; fails=$((fails + 1))
fi

# Pacemaker -> vigil (format 1 has no positions: compare ignoring order moves)
crm_diff --cib --original "$tmp/a.xml" --new "$tmp/b.xml" >"$tmp/p.patch"
cp "$tmp/a.xml" "$tmp/replica.xml"
if vigil cib -x "$tmp/replica.xml" patch <"$tmp/p.patch" 2>"$tmp/err"; then
	vigil cib diff "$tmp/replica.xml" "$tmp/b.xml" | grep '<change ' | grep -v 'operation="move"' >"$tmp/left"
	if [ -s "$tmp/left" ]; then
		echo "FAIL: vigil's result of Pacemaker's patch differs:"; cat "$tmp/left"; fails=$((fails + 1))
	else
		echo "ok: vigil applies crm_diff's patch"
	fi
else
	echo "FAIL: vigil refused crm_diff's patch:"; cat "$tmp/err"; fails=$((fails + 1))
fi
[ $fails -eq 0 ]
