#!/bin/sh
# `vigil ra`: list, providers, info (parsed and --xml), run; errors.
# SPDX-License-Identifier: GPL-2.0-or-later
. "$(dirname "$0")/lib.sh"
V=$B/tools/vigil
mkdir -p "$T/ocf/resource.d/acme" "$T/init.d"
cat > "$T/ocf/resource.d/acme/Thing" <<'EOS'
#!/bin/sh
case "$1" in
meta-data) cat <<'X'
<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Thing" version="1.0">
<version>1.1</version>
<shortdesc lang="en">A thing for tests</shortdesc>
<parameters>
<parameter name="size" required="1" unique="1"><shortdesc lang="en">how big</shortdesc><content type="integer" default="7"/></parameter>
</parameters>
<actions><action name="start" timeout="25s"/><action name="monitor" timeout="15s" interval="30s" depth="10"/></actions>
</resource-agent>
X
exit 0;;
start) [ "$OCF_RESKEY_size" = 3 ] && [ "$OCF_RESKEY_CRM_meta_timeout" = 4000 ] && exit 0; echo "ocf-exit-reason:size must be 3" >&2; exit 6;;
*) exit 7;;
esac
EOS
chmod 755 "$T/ocf/resource.d/acme/Thing"
printf '#!/bin/sh\nexit 3\n' > "$T/init.d/svc"; chmod 755 "$T/init.d/svc"
OCF_ROOT=$T/ocf; VIGIL_LSB_DIR=$T/init.d; export OCF_ROOT VIGIL_LSB_DIR

out=$("$V" ra list); expect "$out" "^ocf:acme:Thing$" "list"; expect "$out" "^lsb:svc$" "list lsb"
out=$("$V" ra list ocf:acme); [ "$out" = "ocf:acme:Thing" ] || fail "list ocf:acme: $out"
out=$("$V" ra list lsb); [ "$out" = "lsb:svc" ] || fail "list lsb: $out"
out=$("$V" ra providers); [ "$out" = "acme" ] || fail "providers: $out"
out=$("$V" ra info ocf:acme:Thing) || fail "info"
echo "$out"
expect "$out" "^ocf:acme:Thing \(version 1.1\)" "info header"
expect "$out" "^  \*!size +integer +\[7\]  how big" "info parameter"
expect "$out" "^  start +timeout 25s" "info start action"
expect "$out" "^  monitor +timeout 15s  interval 30s  depth 10" "info monitor action"
out=$("$V" ra info --xml ocf:acme:Thing); expect "$out" "<resource-agent name=\"Thing\"" "info --xml"
out=$("$V" ra info lsb:svc); expect "$out" "^  status +timeout 15s" "lsb info"
"$V" ra run -t 4 ocf:acme:Thing start size=3 2>/dev/null || fail "run start size=3"
out=$("$V" ra run ocf:acme:Thing start size=4 2>&1); rc=$?
[ $rc -eq 6 ] || fail "run must exit with the agent's OCF code (got $rc)"
expect "$out" "start: done, rc 6 \(not configured\): size must be 3" "run message: $out"
"$V" ra run lsb:svc monitor 2>/dev/null; [ $? -eq 7 ] || fail "lsb status 3 -> 7"
"$V" ra info ocf:acme:Nope 2>/dev/null; [ $? -eq 5 ] || fail "info on a missing agent exits 5"
"$V" ra info acme 2>/dev/null; [ $? -eq 2 ] || fail "bad agent spec exits 2"
"$V" ra info stonith:fence_x 2>/dev/null; [ $? -ne 0 ] || fail "stonith must be refused"
"$V" ra 2>/dev/null; [ $? -eq 2 ] || fail "no command exits 2"
"$V" ra --help | grep -q "list \[CLASS" || fail "help"
exit 0
