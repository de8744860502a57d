# SPDX-License-Identifier: GPL-2.0-or-later
# The cluster-layer contract (contract.py) with vigil-hbd underneath.
import contract
from labtest import log

log("bench: detect-heartbeat %.0f ms" % contract.run("heartbeat"))
