#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every C source of the checkout follows .clang-format (what `make
# format-check` checks); names each file that does not and how to fix it.
top=${VIGIL_SRCDIR:-$(dirname "$0")/../..}
cd "$top" || exit 1
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: clang-format not installed"; exit 77; }
files=$(git ls-files '*.c' '*.h' 2>/dev/null)
[ -n "$files" ] || { echo "SKIP: not a git checkout"; exit 77; }
bad=0
for f in $files; do
	clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f"; bad=$((bad + 1)); }
done
if [ "$bad" -ne 0 ]; then
	echo "FAIL: $bad file(s) differ from .clang-format; run: make format"
	exit 1
fi
echo "$(echo "$files" | wc -l) C files follow .clang-format"
