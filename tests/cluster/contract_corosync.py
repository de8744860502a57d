# SPDX-License-Identifier: GPL-2.0-or-later
# The cluster-layer contract (contract.py) with corosync underneath; skipped
# (77) when vigil was built without the corosync backend or corosync is not
# installed.
import os
import subprocess

import contract
from labtest import log, need_root, skip

need_root()
r = subprocess.run(["sh", "-c", "grep -q 'HAVE_COROSYNC 1' \"$VIGIL_BUILDDIR/config.h\""])
if r.returncode != 0:
    skip("vigil built without the corosync backend")
if not os.path.exists("/usr/sbin/corosync"):
    skip("corosync is not installed")
log("bench: detect-corosync %.0f ms" % contract.run("corosync"))
