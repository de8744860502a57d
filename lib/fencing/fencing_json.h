/*
 * fencing_json.h: the minimal JSON scanner of lib/fencing (fencing_json.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef VIGIL_FENCING_JSON_H
#define VIGIL_FENCING_JSON_H

#include <stdbool.h>

#include <glib.h>

#define JSON_MAX_SIZE (1024u * 1024)

/*
 * String value(s) at a path of object keys ("[]" = every array element) in a
 * well-formed JSON document: g_malloc'd, several values joined by '\n'.
 * NULL when the document is malformed, too big or too deep, or the path
 * leads to no string.  Example path: {"Actions", "#ComputerSystem.Reset",
 * "target", NULL}.
 */
char *fence_json_get(const char *json, size_t len, const char *const *path);

#endif
