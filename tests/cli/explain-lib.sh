# Shared by the explain-*.sh tests: a scratch directory removed on exit,
# a failure counter, has FILE 'fixed text' DESCRIPTION (the explanation says
# it), and an empty CIB in $tmp/cib.xml to configure with the crm language.
# SPDX-License-Identifier: GPL-2.0-or-later
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fails=0
has() {
	if grep -qF -- "$2" "$1"; then echo "ok: $3"; else
		echo "FAIL: $3: missing \"$2\""; sed 's/^/  | /' "$1"; fails=$((fails + 1)); fi
}
cat >"$tmp/cib.xml" <<'XML'
<cib have-quorum="1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration><crm_config/><nodes/><resources/><constraints/></configuration>
  <status/>
</cib>
XML
