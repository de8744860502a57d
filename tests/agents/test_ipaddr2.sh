#!/bin/sh
# ocf:heartbeat:IPaddr2 inside a network namespace this test creates (root
# only): after start the address is really on the interface and monitor
# says running; after stop it is gone and monitor says not running.
# SPDX-License-Identifier: GPL-2.0-or-later
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
[ -x /usr/lib/ocf/resource.d/heartbeat/IPaddr2 ] || { echo "resource-agents not installed"; exit 77; }
command -v ip >/dev/null || exit 77
NETNS=vgexec$$
ip netns add "$NETNS" 2>/dev/null || { echo "cannot create a network namespace"; exit 77; }
CLEANUP_EXTRA='ip netns del "$NETNS" 2>/dev/null'
. "$(dirname "$0")/lib.sh"
ip netns exec "$NETNS" ip link set lo up
ip netns exec "$NETNS" ip link add vg0 type veth peer name vg1 || fail "cannot create a veth pair"
ip netns exec "$NETNS" ip link set vg1 up
ip netns exec "$NETNS" ip addr add 192.0.2.1/24 dev vg0
ip netns exec "$NETNS" ip link set vg0 up
# Agents keep state under HA_RSCTMP; give this test its own.
HA_RSCTMP=$T/rsctmp; HA_VARRUN=$T/run; export HA_RSCTMP HA_VARRUN
mkdir -p "$HA_RSCTMP" "$HA_VARRUN"
execd_start

has_ip() { ip netns exec "$NETNS" ip -o -4 addr show dev vg0 | grep -q "inet 192.0.2.77/24"; }
has_ip && fail "address present before start"
out=$(drive <<EOS
register vip ocf:heartbeat:IPaddr2 ip=192.0.2.77 cidr_netmask=24 nic=vg0
run vip monitor
wait 1
run vip start timeout=30000
wait 1 40000
run vip monitor
wait 1
EOS
)
echo "$out"
expect "$out" "action=monitor interval=0 rc=7 status=done" "probe before start"
expect "$out" "action=start interval=0 rc=0 status=done" "start"
expect "$out" "action=monitor interval=0 rc=0 status=done" "monitor after start"
has_ip || fail "192.0.2.77 is not on vg0 after start"
out=$(printf 'run vip stop timeout=30000\nwait 1 40000\nrun vip monitor\nwait 1\n' | drive)
echo "$out"
expect "$out" "action=stop interval=0 rc=0 status=done" "stop"
expect "$out" "action=monitor interval=0 rc=7 status=done" "monitor after stop"
has_ip && fail "192.0.2.77 still on vg0 after stop"
execd_stop
exit 0
