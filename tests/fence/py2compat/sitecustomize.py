# Python-2 compatibility for Debian's fence_eps (fence-agents 4.12), which
# still calls string.strip() and base64.encodestring() and treats HTTP
# bodies as text, so it crashes under python3 against any switch.  Loaded
# through PYTHONPATH by the fencing tests; active only inside fence_eps,
# whose code runs unmodified.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import sys

if os.path.basename(sys.argv[0] if sys.argv else "") == "fence_eps":
    import base64
    import http.client
    import string

    if not hasattr(string, "strip"):
        string.strip = lambda s: s.strip()
    if not hasattr(base64, "encodestring"):
        base64.encodestring = lambda s: base64.encodebytes(
            s.encode() if isinstance(s, str) else s).decode()
    _read = http.client.HTTPResponse.read

    def _read_text(self, *a, **kw):
        data = _read(self, *a, **kw)
        return data.decode("latin-1") if isinstance(data, bytes) else data

    http.client.HTTPResponse.read = _read_text
