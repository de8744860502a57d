/*
 * common_hacf.c: see include/vigil/common.h (ha.cf).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <vigil/common.h>
