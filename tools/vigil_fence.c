/*
 * `vigil fence`: ask the fencer to fence a node, list devices and agents,
 * show the fencing history, and record an admin's manual confirmation.
 * Talks to vigil-fenced of VIGIL_INSTANCE (or --instance); with -x CIB it
 * runs the fencing engine in this process instead (no daemon, history of
 * that run only), which is how a device configuration can be tried out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define VG_LOG_SUBSYS "vigil-fence"
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <vigil/fencing.h>

#include "vigil_tool.h"

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: vigil fence NODE [--reboot|--off|--on] [--timeout SECONDS]\n"
	        "       vigil fence list\n"
	        "       vigil fence devices [NODE]\n"
	        "       vigil fence history [NODE] [--xml]\n"
	        "       vigil fence confirm NODE [--yes]\n\n"
	        "Fence NODE (default --reboot) through the fencer and wait for the result;\n"
	        "exit status 0 only when a device confirmed it.  'list' shows the agents\n"
	        "this node can run, 'devices' the configured devices (those able to fence\n"
	        "NODE), 'history' every fencing attempt and result, 'confirm' records\n"
	        "that an administrator made sure NODE is off (no device is used: if NODE\n"
	        "is in fact running, its services may run twice).\n\n"
	        "  -i, --instance NAME   fencer of this node instance (default $VIGIL_INSTANCE)\n"
	        "  -x, --cib FILE        no daemon: run the fencing in this process with the\n"
	        "                        devices of FILE, then print the attempts\n"
	        "  -t, --timeout SECONDS whole request timeout (default stonith-timeout)\n"
	        "      --origin NAME     who is asking (default \"vigil fence\")\n"
	        "      --xml             history as XML\n"
	        "      --yes             confirm without asking\n"
	        "  -h, --help            show this help\n");
}

typedef struct fopts {
	const char *instance, *cib, *origin;
	vg_fence_action_t action;
	double timeout_s;
	bool xml, yes;
} fopts_t;

static void print_record(const vg_fence_record_t *r)
{
	char when[64];
	vg_time_str(r->completed ? r->completed : r->requested, when, sizeof(when));
	printf("%s  %-7s %-7s %-10s %-7s by %-10s from %-14s device %s%s%s%s%s\n", when,
	       strchr(r->id, '.') ? "attempt" : "result", vg_fence_action_name(r->action),
	       r->target,
	       r->state == VG_FENCE_DONE     ? "ok"
	       : r->state == VG_FENCE_FAILED ? "FAILED"
	                                     : "pending",
	       r->executor ? r->executor : "-", r->origin ? r->origin : "-",
	       r->device ? r->device : "-", r->level ? " level " : "",
	       r->level ? (const char[]){(char)('0' + r->level), 0} : "", r->reason ? ": " : "",
	       r->reason ? r->reason : "");
}

static int cmd_list(void)
{
	GPtrArray *a = vg_fence_agent_list();
	for (guint i = 0; i < a->len; i++)
		printf("%s\n", (char *)g_ptr_array_index(a, i));
	g_ptr_array_unref(a);
	return 0;
}

static vg_fence_client_t *connect_or_say(const fopts_t *o)
{
	vg_error_t err = {0};
	vg_fence_client_t *c = vg_fence_client_connect(o->instance, &err);
	if (c == NULL)
		fprintf(stderr, "vigil fence: cannot reach vigil-fenced of %s: %s\n",
		        o->instance ? o->instance : vg_ipc_default_instance(), err.msg);
	return c;
}

static int cmd_devices(const fopts_t *o, const char *target)
{
	vg_error_t err = {0};
	xmlDoc *doc = NULL;
	xmlNode *n;
	vg_fence_client_t *c = connect_or_say(o);
	if (c == NULL)
		return 1;
	if (vg_fence_client_devices(c, target, &doc, &err) != 0) {
		fprintf(stderr, "vigil fence: %s\n", err.msg);
		vg_fence_client_free(c);
		return 1;
	}
	VG_XML_FOREACH(n, xmlDocGetRootElement(doc), "device")
	{
		const char *reason = vg_xml_get(n, "reason");
		printf("%-20s %-22s %-8s %-12s %s%s%s\n", vg_xml_get(n, "id"),
		       vg_xml_get(n, "agent"), vg_xml_get(n, "status"), vg_xml_get(n, "host-check"),
		       vg_xml_get(n, "hosts") ? vg_xml_get(n, "hosts") : "", reason ? "  " : "",
		       reason ? reason : "");
	}
	xmlFreeDoc(doc);
	vg_fence_client_free(c);
	return 0;
}

/* The only device attempt of its request says what the result says:
 * the text form leaves it out (the XML form keeps every record). */
static bool lone_attempt(GPtrArray *h, const vg_fence_record_t *r)
{
	const char *dot = r->id ? strrchr(r->id, '.') : NULL;
	size_t n = dot ? (size_t)(dot - r->id) : 0;
	unsigned attempts = 0;
	bool result = false;
	if (!dot)
		return false;
	for (guint i = 0; i < h->len; i++) {
		const vg_fence_record_t *o = g_ptr_array_index(h, i);
		if (!o->id || strncmp(o->id, r->id, n) != 0)
			continue;
		if (o->id[n] == '\0')
			result = true;
		else if (o->id[n] == '.' && strchr(o->id + n + 1, '.') == NULL)
			attempts++;
	}
	return result && attempts == 1;
}

static void print_history(GPtrArray *h, bool xml)
{
	if (xml) {
		xmlNode *root = vg_xml_new_child(NULL, "fence-history");
		for (guint i = 0; i < h->len; i++)
			vg_fence_record_to_xml(g_ptr_array_index(h, i), root);
		char *s = vg_xml_dump(root, true);
		fputs(s, stdout);
		g_free(s);
		xmlFreeNode(root);
		return;
	}
	for (guint i = 0; i < h->len; i++)
		if (!lone_attempt(h, g_ptr_array_index(h, i)))
			print_record(g_ptr_array_index(h, i));
}

static int cmd_history(const fopts_t *o, const char *target)
{
	vg_error_t err = {0};
	GPtrArray *h = NULL;
	vg_fence_client_t *c = connect_or_say(o);
	if (c == NULL)
		return 1;
	if (vg_fence_client_history(c, target, &h, &err) != 0) {
		fprintf(stderr, "vigil fence: %s\n", err.msg);
		vg_fence_client_free(c);
		return 1;
	}
	print_history(h, o->xml);
	g_ptr_array_unref(h);
	vg_fence_client_free(c);
	return 0;
}

static int cmd_confirm(const fopts_t *o, const char *target)
{
	vg_error_t err = {0};
	vg_fence_record_t *rec = NULL;
	fprintf(stderr,
	        "WARNING: confirming that %s is off WITHOUT using a fencing device.\n"
	        "If %s is in fact running, its resources may become active twice and\n"
	        "shared data may be corrupted.  Make sure it is powered off first.\n",
	        target, target);
	if (!o->yes) {
		char line[16] = "";
		if (!isatty(STDIN_FILENO)) {
			fprintf(stderr,
			        "vigil fence: not confirmed (use --yes when not interactive)\n");
			return 2;
		}
		fprintf(stderr, "Type 'yes' if %s is off: ", target);
		if (fgets(line, sizeof(line), stdin) == NULL || strcmp(line, "yes\n") != 0) {
			fprintf(stderr, "vigil fence: not confirmed\n");
			return 2;
		}
	}
	vg_fence_client_t *c = connect_or_say(o);
	if (c == NULL)
		return 1;
	char *origin = g_strdup_printf("%s (manual, uid %u)", o->origin, (unsigned)getuid());
	int rc = vg_fence_client_confirm(c, target, origin, &rec, &err);
	g_free(origin);
	if (rc != 0) {
		fprintf(stderr, "vigil fence: %s\n", err.msg);
	} else {
		print_record(rec);
		vg_fence_record_free(rec);
	}
	vg_fence_client_free(c);
	return rc == 0 ? 0 : 1;
}

typedef struct local_wait {
	bool finished;
	vg_fence_record_t *rec;
} local_wait_t;

static void local_done(const vg_fence_record_t *rec, void *data)
{
	local_wait_t *w = data;
	w->rec = vg_fence_record_copy(rec);
	w->finished = true;
}

/* -x CIB: run the engine here; print every attempt, then the result. */
static int fence_local(const fopts_t *o, const char *target)
{
	vg_error_t err = {0};
	vg_fence_config_t *cfg = NULL;
	local_wait_t w = {0};
	if (vg_fence_config_load_file(o->cib, &cfg, &err) != 0) {
		fprintf(stderr, "vigil fence: %s\n", err.msg);
		return 1;
	}
	char host[256] = "localhost";
	gethostname(host, sizeof(host) - 1);
	vg_fence_engine_t *e = vg_fence_engine_new(host);
	vg_fence_engine_set_config(e, cfg);
	char *id = vg_fence_engine_request(e, target, o->action, (uint64_t)(o->timeout_s * 1000),
	                                   o->origin, local_done, &w, &err);
	if (id == NULL) {
		fprintf(stderr, "vigil fence: %s\n", err.msg);
		vg_fence_engine_free(e);
		return 1;
	}
	while (!w.finished)
		g_main_context_iteration(NULL, TRUE);
	GPtrArray *h = vg_fence_engine_history(e, target);
	print_history(h, o->xml);
	g_ptr_array_unref(h);
	int rc = w.rec->state == VG_FENCE_DONE ? 0 : 1;
	vg_fence_record_free(w.rec);
	g_free(id);
	vg_fence_engine_free(e);
	return rc;
}

static int cmd_fence(const fopts_t *o, const char *target)
{
	vg_error_t err = {0};
	vg_fence_record_t *rec = NULL;
	if (o->cib != NULL)
		return fence_local(o, target);
	vg_fence_client_t *c = connect_or_say(o);
	if (c == NULL)
		return 1;
	int rc = vg_fence_client_request_sync(c, target, o->action, (uint64_t)(o->timeout_s * 1000),
	                                      o->origin, &rec, &err);
	vg_fence_client_free(c);
	if (rc != 0) {
		fprintf(stderr, "vigil fence: %s\n", err.msg);
		return 1;
	}
	print_record(rec);
	rc = rec->state == VG_FENCE_DONE ? 0 : 1;
	vg_fence_record_free(rec);
	return rc;
}

int vg_tool_fence(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"reboot", no_argument, NULL, 'R'},
	    {"off", no_argument, NULL, 'O'},
	    {"on", no_argument, NULL, 'N'},
	    {"timeout", required_argument, NULL, 't'},
	    {"instance", required_argument, NULL, 'i'},
	    {"cib", required_argument, NULL, 'x'},
	    {"origin", required_argument, NULL, 'g'},
	    {"xml", no_argument, NULL, 'X'},
	    {"yes", no_argument, NULL, 'y'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	fopts_t o = {.action = VG_FENCE_REBOOT, .origin = "vigil fence"};
	int c;
	while ((c = getopt_long(argc, argv, "t:i:x:h", lo, NULL)) != -1) {
		switch (c) {
		case 'R':
			o.action = VG_FENCE_REBOOT;
			break;
		case 'O':
			o.action = VG_FENCE_OFF;
			break;
		case 'N':
			o.action = VG_FENCE_ON;
			break;
		case 't':
			o.timeout_s = g_ascii_strtod(optarg, NULL);
			if (o.timeout_s <= 0) {
				fprintf(
				    stderr,
				    "vigil fence: --timeout needs a positive number of seconds\n");
				return 2;
			}
			break;
		case 'i':
			o.instance = optarg;
			break;
		case 'x':
			o.cib = optarg;
			break;
		case 'g':
			o.origin = optarg;
			break;
		case 'X':
			o.xml = true;
			break;
		case 'y':
			o.yes = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	int n = argc - optind;
	char **args = argv + optind;
	if (n < 1) {
		usage(stderr);
		return 2;
	}
	if (strcmp(args[0], "list") == 0 && n == 1)
		return cmd_list();
	if (strcmp(args[0], "devices") == 0 && n <= 2)
		return cmd_devices(&o, n == 2 ? args[1] : NULL);
	if (strcmp(args[0], "history") == 0 && n <= 2)
		return cmd_history(&o, n == 2 ? args[1] : NULL);
	if (strcmp(args[0], "confirm") == 0 && n == 2)
		return cmd_confirm(&o, args[1]);
	if (n == 1)
		return cmd_fence(&o, args[0]);
	usage(stderr);
	return 2;
}
