/*
 * vigild_children.c: the one table of processes a vigil node consists of.
 * Changing the architecture of a node means changing this table, nothing else.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "vigild_private.h"

static const vigild_child_def_t children[] = {
    /* name     binary          order respawn needs_hb critical */
    {"hbd", "vigil-hbd", 10, true, true, true},
    {"ctld", "vigil-ctld", 20, true, false, true},
    {"execd", "vigil-execd", 30, true, false, false},
    {"fenced", "vigil-fenced", 40, true, false, false},
};

const vigild_child_def_t *vigild_children(size_t *n)
{
	*n = G_N_ELEMENTS(children);
	return children;
}
