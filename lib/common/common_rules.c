/*
 * common_rules.c: see include/vigil/common.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <vigil/common.h>
