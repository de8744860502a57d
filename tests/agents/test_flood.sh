#!/bin/sh
# 1000 operations queued at once over 50 resources with --max-children 4:
# every result comes back (none lost), per resource in submission order,
# never more than 4 agents at once on the node and never two of one resource.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/ocf/resource.d/test" "$T/running"
cat > "$T/ocf/resource.d/test/count" <<EOS
#!/bin/sh
# Count agents running now (a file each) and catch two of one resource
# (mkdir is atomic).
mkdir "$T/running/lock-\$OCF_RESOURCE_INSTANCE" 2>/dev/null || echo "\$OCF_RESOURCE_INSTANCE" >> "$T/overlap"
: > "$T/running/\$\$"
ls "$T/running" | grep -vc lock- >> "$T/counts"
rm -f "$T/running/\$\$"
rmdir "$T/running/lock-\$OCF_RESOURCE_INSTANCE"
exit 0
EOS
chmod 755 "$T/ocf/resource.d/test/count"
OCF_ROOT=$T/ocf; export OCF_ROOT
execd_start --max-children 4

out=$(printf 'flood 50 1000 ocf:test:count\ninfo\n' | drive)
echo "$out"
expect "$out" "^flood ok got=1000 of=1000 order_errors=0 failed=0" "flood"
[ "$(wc -l < "$T/counts")" -eq 1000 ] || fail "agents ran $(wc -l < "$T/counts") times, not 1000"
max=$(sort -n "$T/counts" | tail -1)
echo "most agents seen at once: $max"
[ "$max" -le 4 ] || fail "concurrency limit 4 exceeded: $max"
[ "$max" -ge 2 ] || fail "no parallelism at all (max $max)"
[ -e "$T/overlap" ] && fail "two agents of one resource ran at once: $(sort -u "$T/overlap" | head)"
expect "$out" "rsc=0 active=0 max=4" "resources must be gone and nothing running"
exit 0
