/*
 * sched_print.c: the cluster status text crm_simulate and crm_mon print
 * ("* Node List:", "* Full List of Resources:", optional failed actions),
 * made from the scheduler's read-only cluster view.
 *
 * Owns the line forms only (node states, primitive/group/clone lines and
 * their flags, clone instance summaries).  Never looks at the CIB or
 * decides anything: whatever the view says is what gets printed.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "sched"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>
#include <vigil/sched.h>

typedef struct printer {
	GString *out;
	const vg_sched_cluster_view_t *v;
	unsigned flags;
	GHashTable *nodes; /* name -> vg_sched_node_view_t * */
} printer_t;

/* Node names compare like Pacemaker's: case-insensitive, digit runs by value. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			char *ea, *eb;
			unsigned long long na = strtoull(a, &ea, 10);
			unsigned long long nb = strtoull(b, &eb, 10);

			if (na != nb)
				return na < nb ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);

		if (ca != cb)
			return ca < cb ? -1 : 1;
		a++;
		b++;
	}
	return (*a != '\0') - (*b != '\0');
}

static gint node_view_cmp(gconstpointer a, gconstpointer b)
{
	const vg_sched_node_view_t *na = *(vg_sched_node_view_t *const *)a;
	const vg_sched_node_view_t *nb = *(vg_sched_node_view_t *const *)b;

	return natural_cmp(na->name, nb->name);
}

static gint name_cmp(gconstpointer a, gconstpointer b)
{
	return natural_cmp(*(const char *const *)a, *(const char *const *)b);
}

static bool rsc_runs_on(const vg_sched_rsc_view_t *r, const char *node)
{
	if (r->kind == VG_SCHED_RSC_PRIMITIVE) {
		for (guint i = 0; r->running_on != NULL && i < r->running_on->len; i++)
			if (strcmp(g_ptr_array_index(r->running_on, i), node) == 0)
				return true;
		return false;
	}
	for (guint i = 0; r->children != NULL && i < r->children->len; i++)
		if (rsc_runs_on(g_ptr_array_index(r->children, i), node))
			return true;
	return false;
}

static bool node_has_resources(const printer_t *p, const char *node)
{
	for (guint i = 0; i < p->v->resources->len; i++)
		if (rsc_runs_on(g_ptr_array_index(p->v->resources, i), node))
			return true;
	return false;
}

static const char *node_state_text(const printer_t *p, const vg_sched_node_view_t *n)
{
	if (n->unclean)
		return n->online ? "UNCLEAN (online)"
		                 : (n->pending ? "UNCLEAN (pending)" : "UNCLEAN (offline)");
	if (n->pending)
		return "pending";
	if (n->standby_onfail && n->online)
		return "standby (on-fail)";
	if (n->standby) {
		if (!n->online)
			return "OFFLINE (standby)";
		return node_has_resources(p, n->name) ? "standby (with active resources)"
		                                      : "standby";
	}
	if (n->maintenance)
		return n->online ? "maintenance" : "OFFLINE (maintenance)";
	return n->online ? "online" : "OFFLINE";
}

static bool kind_is(const vg_sched_node_view_t *n, const char *kind)
{
	return n->kind != NULL && strcmp(n->kind, kind) == 0;
}

static void add_word(GString **list, const char *word)
{
	if (*list == NULL)
		*list = g_string_new(word);
	else
		g_string_append_printf(*list, " %s", word);
}

static void print_list(printer_t *p, const char *label, GString *list)
{
	if (list == NULL)
		return;
	g_string_append_printf(p->out, "    * %s: [ %s ]\n", label, list->str);
	g_string_free(list, TRUE);
}

static void print_nodes(printer_t *p)
{
	GPtrArray *sorted = g_ptr_array_new();
	GString *online = NULL, *offline = NULL, *r_online = NULL, *r_offline = NULL;
	GString *g_online = NULL;

	for (guint i = 0; i < p->v->nodes->len; i++)
		g_ptr_array_add(sorted, g_ptr_array_index(p->v->nodes, i));
	g_ptr_array_sort(sorted, node_view_cmp);
	g_string_append(p->out, "  * Node List:\n");
	for (guint i = 0; i < sorted->len; i++) {
		const vg_sched_node_view_t *n = g_ptr_array_index(sorted, i);
		bool guest = kind_is(n, "guest"), remote = kind_is(n, "remote");

		if (n->unclean || n->pending || (n->standby_onfail && n->online) || n->standby ||
		    n->maintenance) {
			g_string_append_printf(p->out, "    * %s %s: %s\n",
			                       guest    ? "GuestNode"
			                       : remote ? "RemoteNode"
			                                : "Node",
			                       n->name, node_state_text(p, n));
		} else if (n->online) {
			add_word(guest ? &g_online : remote ? &r_online : &online, n->name);
		} else if (remote) {
			add_word(&r_offline, n->name);
		} else if (!guest) {
			add_word(&offline, n->name);
		}
	}
	print_list(p, "Online", online);
	print_list(p, "OFFLINE", offline);
	print_list(p, "RemoteOnline", r_online);
	print_list(p, "RemoteOFFLINE", r_offline);
	print_list(p, "GuestOnline", g_online);
	g_ptr_array_free(sorted, TRUE);
}

static const vg_sched_rsc_view_t *top_parent(const vg_sched_rsc_view_t *r)
{
	while (r->parent != NULL)
		r = r->parent;
	return r;
}

/* target-role as Pacemaker applies it: children inherit the parent's meta. */
static const char *target_role(const vg_sched_rsc_view_t *r)
{
	for (; r != NULL; r = r->parent)
		if (r->target_role != NULL)
			return r->target_role;
	return NULL;
}

static bool role_is(const char *role, const char *a, const char *b)
{
	return role != NULL &&
	       (g_ascii_strcasecmp(role, a) == 0 || (b && g_ascii_strcasecmp(role, b) == 0));
}

static bool rsc_disabled(const vg_sched_rsc_view_t *r)
{
	return role_is(target_role(r), "Stopped", NULL);
}

static const char *displayable_role(const vg_sched_rsc_view_t *r)
{
	const char *role = r->role != NULL ? r->role : "Stopped";

	if (role_is(role, "Started", NULL) && top_parent(r)->promotable)
		return "Unpromoted";
	if (role_is(role, "Slave", NULL))
		return "Unpromoted";
	if (role_is(role, "Master", NULL))
		return "Promoted";
	return role;
}

static const char *pending_state(const vg_sched_rsc_view_t *r)
{
	static const char *const map[][2] = {
	    {"start", "Starting"},         {"stop", "Stopping"},     {"migrate_to", "Migrating"},
	    {"migrate_from", "Migrating"}, {"promote", "Promoting"}, {"demote", "Demoting"},
	};

	if (r->pending_task == NULL)
		return NULL;
	for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
		if (strcmp(r->pending_task, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/*
 * A probe that found the agent not installed (rc 5) means "not running
 * here", not a failure; the status line says so, as crm_simulate does.
 */
static bool masked_probe(const printer_t *p, const vg_sched_rsc_view_t *r)
{
	const char *top = top_parent(r)->id;

	for (guint i = 0; p->v->failed_ops != NULL && i < p->v->failed_ops->len; i++) {
		const vg_sched_failed_op_view_t *f = g_ptr_array_index(p->v->failed_ops, i);

		if (f->rc == 5 && f->interval_ms == 0 && f->task != NULL &&
		    strcmp(f->task, "monitor") == 0 && f->rsc != NULL &&
		    (strcmp(f->rsc, r->id) == 0 || strcmp(f->rsc, top) == 0))
			return true;
	}
	return false;
}

/* Cluster maintenance-mode, or r runs on a node in maintenance. */
static bool in_maintenance(const printer_t *p, const vg_sched_rsc_view_t *r)
{
	if (p->v->maintenance_mode)
		return true;
	if (r->kind != VG_SCHED_RSC_PRIMITIVE) {
		for (guint i = 0; r->children != NULL && i < r->children->len; i++)
			if (in_maintenance(p, g_ptr_array_index(r->children, i)))
				return true;
		return false;
	}
	for (guint i = 0; r->running_on != NULL && i < r->running_on->len; i++) {
		const vg_sched_node_view_t *n =
		    g_hash_table_lookup(p->nodes, g_ptr_array_index(r->running_on, i));

		if (n != NULL && n->maintenance)
			return true;
	}
	return false;
}

static bool add_flag(GString *s, const char *flag, bool have)
{
	g_string_append(s, have ? ", " : " (");
	g_string_append(s, flag);
	return true;
}

/* Instances of anonymous clones print under the configured id ("clvm",
 * not "clvm:1"); everything else under its own id. */
static char *printable_id(const vg_sched_rsc_view_t *r)
{
	char *id = g_strdup(r->id);
	char *colon;

	for (const vg_sched_rsc_view_t *a = r->parent; a != NULL; a = a->parent) {
		if (a->kind != VG_SCHED_RSC_CLONE)
			continue;
		colon = strrchr(id, ':');
		if (!a->unique && colon != NULL && colon[1] != '\0' &&
		    strspn(colon + 1, "0123456789") == strlen(colon + 1))
			*colon = '\0';
		break;
	}
	return id;
}

static char *primitive_text(const printer_t *p, const vg_sched_rsc_view_t *r)
{
	char *name = printable_id(r);
	GString *s = g_string_new(name);
	const char *node = NULL;
	const char *tr = target_role(r);
	const vg_sched_node_view_t *nv = NULL;
	guint n_on = r->running_on != NULL ? r->running_on->len : 0;
	bool have = false;

	g_free(name);
	g_string_append_printf(s, "\t(%s%s%s:%s):\t", r->standard ? r->standard : "unknown",
	                       r->provider ? ":" : "", r->provider ? r->provider : "",
	                       r->type ? r->type : "unknown");
	if (n_on == 1)
		node = g_ptr_array_index(r->running_on, 0);
	else if (n_on == 0)
		node = r->locked_to; /* "Stopped node2 (LOCKED)" */
	if (r->orphan)
		g_string_append(s, " ORPHANED");
	if (r->failed) {
		const char *role = displayable_role(r);

		g_string_append(s, " FAILED");
		if (role_is(role, "Promoted", NULL))
			g_string_append_printf(s, " %s", role);
	} else {
		const char *state = NULL;

		if (p != NULL && (p->flags & VG_PRINT_PENDING))
			state = pending_state(r);
		g_string_append_printf(s, " %s", state ? state : displayable_role(r));
	}
	if (node != NULL) {
		g_string_append_printf(s, " %s", node);
		if (p != NULL)
			nv = g_hash_table_lookup(p->nodes, node);
	}
	if (p != NULL && role_is(displayable_role(r), "Stopped", NULL) && masked_probe(p, r))
		g_string_append(s, " (Not installed) ");
	if (nv != NULL && !nv->online && nv->unclean)
		have = add_flag(s, "UNCLEAN", have);
	if (node != NULL && g_strcmp0(node, r->locked_to) == 0)
		have = add_flag(s, "LOCKED", have);
	if (p != NULL && (p->flags & VG_PRINT_PENDING) && r->pending_task != NULL &&
	    strcmp(r->pending_task, "monitor") == 0)
		have = add_flag(s, "Monitoring", have);
	if (role_is(tr, "Stopped", NULL)) {
		have = add_flag(s, "disabled", have);
	} else if (top_parent(r)->promotable && role_is(tr, "Unpromoted", "Slave")) {
		have = add_flag(s, "target-role:", have);
		g_string_append(s, tr);
	}
	/* Unmanaged because of maintenance (cluster-wide, or the node it runs
	 * on) says so, as current Pacemaker prints it (2.1.5 said
	 * "unmanaged" for the cluster-wide case). */
	if (r->blocked)
		have = add_flag(s, "blocked", have);
	else if (!r->managed && p != NULL && in_maintenance(p, r))
		have = add_flag(s, "maintenance", have);
	else if (!r->managed)
		have = add_flag(s, "unmanaged", have);
	if (have)
		g_string_append_c(s, ')');
	if (n_on > 1) {
		g_string_append(s, " [");
		for (guint i = 0; i < n_on; i++)
			g_string_append_printf(s, " %s",
			                       (char *)g_ptr_array_index(r->running_on, i));
		g_string_append(s, " ]");
	}
	return g_string_free(s, FALSE);
}

char *vg_sched_print_primitive(const vg_sched_rsc_view_t *r)
{
	return primitive_text(NULL, r);
}

static void indent(GString *out, int depth)
{
	for (int i = 0; i < depth; i++)
		g_string_append(out, "  ");
}

static void print_rsc(printer_t *p, const vg_sched_rsc_view_t *r, int depth);

static void print_group(printer_t *p, const vg_sched_rsc_view_t *r, int depth)
{
	GString *attrs = NULL;

	if (rsc_disabled(r))
		add_word(&attrs, "disabled");
	if (!r->managed)
		add_word(&attrs, in_maintenance(p, r) ? "maintenance" : "unmanaged");
	indent(p->out, depth);
	if (attrs != NULL) {
		/* add_word joins with spaces; the flags are joined with ", ". */
		char **words = g_strsplit(attrs->str, " ", -1);
		char *joined = g_strjoinv(", ", words);

		g_string_append_printf(p->out, "* Resource Group: %s (%s):\n", r->id, joined);
		g_free(joined);
		g_strfreev(words);
		g_string_free(attrs, TRUE);
	} else {
		g_string_append_printf(p->out, "* Resource Group: %s:\n", r->id);
	}
	for (guint i = 0; r->children != NULL && i < r->children->len; i++)
		print_rsc(p, g_ptr_array_index(r->children, i), depth + 1);
}

/* Whether any primitive below r is active / all are active on one node. */
static bool rsc_active_any(const vg_sched_rsc_view_t *r)
{
	if (r->kind == VG_SCHED_RSC_PRIMITIVE)
		return r->running_on != NULL && r->running_on->len > 0;
	for (guint i = 0; r->children != NULL && i < r->children->len; i++)
		if (rsc_active_any(g_ptr_array_index(r->children, i)))
			return true;
	return false;
}

static bool rsc_trouble(const vg_sched_rsc_view_t *r)
{
	if (r->orphan || !r->managed || r->failed)
		return true;
	for (guint i = 0; r->children != NULL && i < r->children->len; i++)
		if (rsc_trouble(g_ptr_array_index(r->children, i)))
			return true;
	return false;
}

/* The single node r (all of it) runs on, NULL when not exactly one. */
static const char *rsc_location(const vg_sched_rsc_view_t *r)
{
	const char *loc = NULL;

	if (r->kind == VG_SCHED_RSC_PRIMITIVE)
		return r->running_on != NULL && r->running_on->len == 1
		           ? g_ptr_array_index(r->running_on, 0)
		           : NULL;
	for (guint i = 0; r->children != NULL && i < r->children->len; i++) {
		const char *l = rsc_location(g_ptr_array_index(r->children, i));

		if (l == NULL || (loc != NULL && strcmp(l, loc) != 0))
			return NULL;
		loc = l;
	}
	return loc;
}

static const char *rsc_role(const vg_sched_rsc_view_t *r)
{
	if (r->kind == VG_SCHED_RSC_PRIMITIVE || r->children == NULL || r->children->len == 0)
		return displayable_role(r);
	return rsc_role(g_ptr_array_index(r->children, 0));
}

static void print_names(printer_t *p, int depth, const char *label, GPtrArray *names)
{
	if (names->len == 0)
		return;
	g_ptr_array_sort(names, name_cmp);
	indent(p->out, depth);
	g_string_append_printf(p->out, "* %s: [", label);
	for (guint i = 0; i < names->len; i++)
		g_string_append_printf(p->out, " %s", (char *)g_ptr_array_index(names, i));
	g_string_append(p->out, " ]\n");
}

static void clone_header(printer_t *p, const vg_sched_rsc_view_t *r, int depth)
{
	GPtrArray *attrs = g_ptr_array_new();
	char *child = NULL;

	if (r->child_id != NULL) {
		child = g_strdup(r->child_id);
	} else if (r->children != NULL && r->children->len > 0) {
		const vg_sched_rsc_view_t *c = g_ptr_array_index(r->children, 0);

		child = g_strdup(c->id);
		if (strchr(child, ':') != NULL)
			*strchr(child, ':') = '\0';
	}
	if (r->promotable)
		g_ptr_array_add(attrs, "promotable");
	if (r->unique)
		g_ptr_array_add(attrs, "unique");
	if (rsc_disabled(r))
		g_ptr_array_add(attrs, "disabled");
	if (!r->managed)
		g_ptr_array_add(attrs, in_maintenance(p, r) ? "maintenance" : "unmanaged");
	indent(p->out, depth);
	g_string_append_printf(p->out, "* Clone Set: %s [%s]", r->id, child ? child : "");
	for (guint i = 0; i < attrs->len; i++)
		g_string_append_printf(p->out, "%s%s", i == 0 ? " (" : ", ",
		                       (char *)g_ptr_array_index(attrs, i));
	g_string_append(p->out, attrs->len > 0 ? "):\n" : ":\n");
	g_ptr_array_free(attrs, TRUE);
	g_free(child);
}

/* A probe on `node` found the clone's agent not installed (rc 5). */
static bool clone_probe_failed(const printer_t *p, const vg_sched_rsc_view_t *clone,
                               const char *node)
{
	for (guint i = 0; p->v->failed_ops != NULL && i < p->v->failed_ops->len; i++) {
		const vg_sched_failed_op_view_t *f = g_ptr_array_index(p->v->failed_ops, i);
		size_t len;

		if (f->rc != 5 || f->interval_ms != 0 || f->task == NULL || f->rsc == NULL ||
		    f->node == NULL || strcmp(f->task, "monitor") != 0 ||
		    strcmp(f->node, node) != 0)
			continue;
		if (strcmp(f->rsc, clone->id) == 0)
			return true;
		for (guint c = 0; clone->children != NULL && c < clone->children->len; c++) {
			const vg_sched_rsc_view_t *child = g_ptr_array_index(clone->children, c);

			len = strcspn(child->id, ":");
			if (strncmp(f->rsc, child->id, len) == 0 &&
			    (f->rsc[len] == '\0' || f->rsc[len] == ':'))
				return true;
		}
	}
	return false;
}

static void print_clone(printer_t *p, const vg_sched_rsc_view_t *r, int depth)
{
	GPtrArray *promoted = g_ptr_array_new(), *unpromoted = g_ptr_array_new();
	GPtrArray *started = g_ptr_array_new(), *stopped = g_ptr_array_new();

	clone_header(p, r, depth);
	for (guint i = 0; r->children != NULL && i < r->children->len; i++) {
		const vg_sched_rsc_view_t *c = g_ptr_array_index(r->children, i);
		bool active = rsc_active_any(c);
		const char *loc = rsc_location(c);
		bool full = false;

		if (r->unique) {
			full = active || !c->orphan;
		} else if ((p->flags & VG_PRINT_PENDING) && c->pending_task != NULL &&
		           strcmp(c->pending_task, "probe") != 0) {
			full = true;
		} else if (!active) {
			continue;
		} else if (rsc_trouble(c) || loc == NULL) {
			full = true;
		} else {
			const vg_sched_node_view_t *nv = g_hash_table_lookup(p->nodes, loc);
			const char *role = rsc_role(c);

			if (nv != NULL && !nv->online && nv->unclean)
				full = true;
			else if (role_is(role, "Promoted", NULL))
				g_ptr_array_add(promoted, (gpointer)loc);
			else if (role_is(role, "Unpromoted", NULL) && r->promotable)
				g_ptr_array_add(unpromoted, (gpointer)loc);
			else
				g_ptr_array_add(started, (gpointer)loc);
		}
		if (full)
			print_rsc(p, c, depth + 1);
	}
	print_names(p, depth + 1, "Promoted", promoted);
	print_names(p, depth + 1, "Unpromoted", unpromoted);
	print_names(p, depth + 1, "Started", started);
	/* Stopped nodes are listed only while the instances summed up above
	 * (those not shown on their own line) leave some of clone-max unused. */
	guint listed = promoted->len + unpromoted->len + started->len;
	if (!r->unique && !(r->child_id != NULL && r->clone_max == 0) &&
	    (r->clone_max == 0 || listed < (guint)r->clone_max)) {
		/* Stopped nodes grouped by how they are stopped; the groups come
		 * in the alphabetical order of their label. */
		static const char *const labels[] = {"Stopped", "Stopped (Not installed)",
		                                     "Stopped (disabled)"};

		for (size_t k = 0; k < G_N_ELEMENTS(labels); k++) {
			for (guint i = 0; i < p->v->nodes->len; i++) {
				const vg_sched_node_view_t *n = g_ptr_array_index(p->v->nodes, i);
				size_t want = clone_probe_failed(p, r, n->name) ? 1
				              : rsc_disabled(r)                 ? 2
				                                                : 0;

				if (want == k && !rsc_runs_on(r, n->name))
					g_ptr_array_add(stopped, (gpointer)n->name);
			}
			print_names(p, depth + 1, labels[k], stopped);
			g_ptr_array_set_size(stopped, 0);
		}
	}
	g_ptr_array_free(promoted, TRUE);
	g_ptr_array_free(unpromoted, TRUE);
	g_ptr_array_free(started, TRUE);
	g_ptr_array_free(stopped, TRUE);
}

static void print_rsc(printer_t *p, const vg_sched_rsc_view_t *r, int depth)
{
	switch (r->kind) {
	case VG_SCHED_RSC_PRIMITIVE: {
		char *line = primitive_text(p, r);

		indent(p->out, depth);
		g_string_append_printf(p->out, "* %s\n", line);
		g_free(line);
		break;
	}
	case VG_SCHED_RSC_GROUP:
		print_group(p, r, depth);
		break;
	case VG_SCHED_RSC_CLONE:
		print_clone(p, r, depth);
		break;
	case VG_SCHED_RSC_BUNDLE:
		indent(p->out, depth);
		g_string_append_printf(p->out, "* Container bundle: %s:\n", r->id);
		for (guint i = 0; r->children != NULL && i < r->children->len; i++)
			print_rsc(p, g_ptr_array_index(r->children, i), depth + 1);
		break;
	}
}

static void print_failed_ops(printer_t *p)
{
	if (p->v->failed_ops == NULL || p->v->failed_ops->len == 0)
		return;
	g_string_append(p->out, "\n  * Failed Resource Actions:\n");
	for (guint i = 0; i < p->v->failed_ops->len; i++) {
		const vg_sched_failed_op_view_t *f = g_ptr_array_index(p->v->failed_ops, i);
		char when[64];

		vg_time_str(f->last_rc_change, when, sizeof(when));
		g_string_append_printf(
		    p->out,
		    "    * %s on %s returned %d%s%s%s (call=%d, "
		    "status=%d, last-rc-change='%s', exec=%ums)\n",
		    f->op_key ? f->op_key : f->rsc, f->node ? f->node : "", f->rc,
		    f->exit_reason ? " '" : "", f->exit_reason ? f->exit_reason : "",
		    f->exit_reason ? "'" : "", f->call_id, f->status, when, f->exec_time_ms);
	}
}

static void count_instances(const vg_sched_rsc_view_t *r, int *all, int *disabled, int *blocked)
{
	if (r->kind == VG_SCHED_RSC_PRIMITIVE) {
		(*all)++;
		if (rsc_disabled(r))
			(*disabled)++;
		if (r->blocked)
			(*blocked)++;
		return;
	}
	for (guint i = 0; r->children != NULL && i < r->children->len; i++)
		count_instances(g_ptr_array_index(r->children, i), all, disabled, blocked);
}

void vg_sched_print_banner(GString *out, const vg_sched_cluster_view_t *v)
{
	int all = 0, disabled = 0, blocked = 0;

	for (guint i = 0; i < v->resources->len; i++)
		count_instances(g_ptr_array_index(v->resources, i), &all, &disabled, &blocked);
	if (disabled > 0 || blocked > 0)
		g_string_append_printf(out,
		                       "%d of %d resource instances DISABLED and %d BLOCKED "
		                       "from further action due to failure\n\n",
		                       disabled, all, blocked);
	if (v->maintenance_mode)
		g_string_append(out, "\n              *** Resource management is DISABLED ***\n"
		                     "  The cluster will not attempt to start, stop or recover "
		                     "services\n\n");
}

void vg_sched_print_status(GString *out, const vg_sched_cluster_view_t *v, unsigned flags)
{
	printer_t p = {.out = out, .v = v, .flags = flags};

	p.nodes = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < v->nodes->len; i++) {
		vg_sched_node_view_t *n = g_ptr_array_index(v->nodes, i);

		g_hash_table_insert(p.nodes, (gpointer)n->name, n);
	}
	print_nodes(&p);
	g_string_append(out, "\n  * Full List of Resources:\n");
	if (v->resources->len == 0)
		g_string_append(out, "    * No resources\n");
	for (guint i = 0; i < v->resources->len; i++)
		print_rsc(&p, g_ptr_array_index(v->resources, i), 2);
	if (flags & VG_PRINT_FAILED_OPS)
		print_failed_ops(&p);
	g_hash_table_destroy(p.nodes);
}
