/*
 * Shared by common_rules.c and common_rules_date.c only: how an invalid rule
 * element is reported.  Nothing else includes this.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_COMMON_RULES_PRIVATE_H
#define VIGIL_COMMON_RULES_PRIVATE_H

#include <vigil/common.h>

/*
 * Log a warning and record in err (may be NULL) why element n is invalid,
 * naming the element and its id.  Returns VG_EINVAL; the element then
 * counts as false.
 */
int vg__rule_invalid(const xmlNode *n, vg_error_t *err, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

#endif /* VIGIL_COMMON_RULES_PRIVATE_H */
