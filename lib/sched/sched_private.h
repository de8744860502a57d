/*
 * sched_private.h: the scheduler's working set, shared by lib/sched/sched_*.c.
 *
 * Internal only; the public contract is include/vigil/sched.h.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_SCHED_PRIVATE_H
#define VIGIL_SCHED_PRIVATE_H

#include <vigil/common.h>
#include <vigil/sched.h>

#endif /* VIGIL_SCHED_PRIVATE_H */
