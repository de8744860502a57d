/*
 * CIB access control lists.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "cib"
#include "cib_private.h"

struct vg_cib_acl {
	int dummy;
};

int vg_cib_acl_new(const xmlNode *cib, const char *user, bool force, vg_cib_acl_t **out,
		   vg_error_t *err)
{
	(void)cib;
	(void)user;
	(void)force;
	(void)err;
	*out = NULL;
	return 0;
}

void vg_cib_acl_free(vg_cib_acl_t *acl)
{
	g_free(acl);
}

bool vg_cib_acl_filter(const vg_cib_acl_t *acl, xmlNode *n)
{
	(void)acl;
	(void)n;
	return true;
}

bool vg_cib_acl_can_write(const vg_cib_acl_t *acl, const xmlNode *n, const char *attr)
{
	(void)acl;
	(void)n;
	(void)attr;
	return true;
}

int vg_cib_acl_check_patch(const vg_cib_acl_t *acl, const xmlNode *old_cib,
			   const xmlNode *new_cib, const xmlNode *patch, vg_error_t *err)
{
	(void)acl;
	(void)old_cib;
	(void)new_cib;
	(void)patch;
	(void)err;
	return 0;
}
