/*
 * `vigil cib`: query and edit the CIB as XML.
 *
 * Offline mode works on a file (-x FILE or $CIB_file) through libvigil-cib:
 * the file is read, the request runs as one transaction (vg_cib_apply: ACLs
 * with --user, version bump, validation) and the result is written back
 * atomically.  Live mode (no file given) sends the same requests to the
 * controller through libvigil-client (live_run): writes run at the DC as
 * one transaction there, verify and validate check a fresh copy here.
 * Commands and exit codes are the same in both modes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define VG_LOG_SUBSYS "cib"
#include <vigil/cib.h>
#include <vigil/client.h>

#include "vigil_tool.h"

/* Exit codes (documented in --help and vigil-cib(8)). */
enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,    /* anything else: I/O, internal */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_INVALID = 3,  /* malformed XML, wrong root, bad XPath or section */
	EXIT_SCHEMA = 4,   /* schema violation; verify found errors */
	EXIT_NOTFOUND = 5, /* the target does not exist */
	EXIT_PERM = 6,     /* permission denied (ACL) */
	EXIT_VERSION = 7,  /* patch for another version; replace with an older CIB */
	EXIT_EXISTS = 8,   /* create of an existing id */
};

struct opts {
	const char *cmd;
	const char *file;    /* -x or CIB_file */
	const char *xml;     /* -X */
	const char *section; /* -o */
	const char *xpath;   /* --xpath */
	const char *user;    /* --user */
	unsigned flags;
	bool quiet;
	char **args; /* positional arguments after the command */
	int nargs;
};

static const char usage_text[] =
    "Usage: vigil cib [-x FILE] COMMAND [OPTIONS]\n"
    "\n"
    "Query and edit the cluster information base as XML.\n"
    "\n"
    "Commands:\n"
    "  query            print the CIB, a section (-o) or what an XPath selects\n"
    "  create           add the XML (-X or stdin) to a section\n"
    "  modify           merge the XML into the element with the same id\n"
    "  replace          replace the element with the XML's id (or a whole section)\n"
    "  delete           delete the elements matching the XML, or the XPath's matches\n"
    "  erase            empty configuration and status\n"
    "  patch            apply a <diff> patch (from -X or stdin)\n"
    "  diff A B         print the patch that turns CIB file A into B\n"
    "  upgrade          rewrite older syntax in the newest schema\n"
    "  verify           check schema and semantics; errors and warnings on stderr\n"
    "  validate         check the file against the schema only (no upgrade)\n"
    "  bump             increment epoch\n"
    "\n"
    "Options:\n"
    "  -x, --xml-file FILE  work on FILE (default: $CIB_file; else the running\n"
    "                       cluster, through the node in $VIGIL_INSTANCE)\n"
    "  -X, --xml-text XML   input XML (default: read stdin)\n"
    "  -o, --scope SECTION  configuration, status, nodes, resources, constraints,\n"
    "                       crm_config, rsc_defaults, op_defaults, fencing-topology,\n"
    "                       tags, acls, alerts\n"
    "  -A, --xpath XPATH    target elements by XPath (query, modify, replace, delete)\n"
    "  -a, --all            modify every XPath match, not only the first\n"
    "  -c, --create-missing modify: create the element when it does not exist\n"
    "  -u, --user USER      apply the CIB's ACLs as USER would see them\n"
    "  -f, --force          replace: accept a CIB older than the current one;\n"
    "                       skip schema validation of the result\n"
    "  -q, --quiet          print nothing on success\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status:\n"
    "  0 success          1 other error (I/O)     2 usage error\n"
    "  3 invalid input    4 schema violation / verify found errors\n"
    "  5 not found        6 permission denied     7 version conflict\n"
    "  8 already exists\n"
    "\n"
    "Environment: CIB_file (as -x), VIGIL_SCHEMA_DIR (schema location),\n"
    "VIGIL_TIMING=1 (print the time of each phase on stderr).\n";

static int exit_code(int rc)
{
	switch (rc) {
	case 0:
		return EXIT_OK;
	case VG_EINVAL:
	case VG_EPARSE:
	case VG_ETOOBIG:
		return EXIT_INVALID;
	case VG_ESCHEMA:
		return EXIT_SCHEMA;
	case VG_ENOENT:
		return EXIT_NOTFOUND;
	case VG_EPERM:
		return EXIT_PERM;
	case VG_EVERSION:
		return EXIT_VERSION;
	case VG_EEXIST:
		return EXIT_EXISTS;
	default:
		return EXIT_ERROR;
	}
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* VIGIL_TIMING=1: phase timings on stderr (wall clock and CPU), for benchmarks. */
struct stopwatch {
	gint64 wall;
	double cpu;
};

static struct stopwatch stopwatch_start(void)
{
	return (struct stopwatch){g_get_monotonic_time(), cpu_seconds()};
}

static void timing(const char *phase, struct stopwatch since)
{
	const char *t = g_getenv("VIGIL_TIMING");

	if (t != NULL && strcmp(t, "1") == 0)
		fprintf(stderr, "timing: %s %.3f s (cpu %.3f s)\n", phase,
		        (double)(g_get_monotonic_time() - since.wall) / 1e6,
		        cpu_seconds() - since.cpu);
}

static int fail(int rc, const vg_error_t *err)
{
	fprintf(stderr, "vigil cib: %s\n", err->msg[0] ? err->msg : vg_strerror(rc));
	return exit_code(rc);
}

/* The input XML: -X, else stdin. */
static int read_input(const struct opts *o, xmlDoc **out, vg_error_t *err)
{
	GString *buf;
	char chunk[65536];
	size_t n;
	int rc;

	if (o->xml != NULL)
		return vg_xml_parse(o->xml, strlen(o->xml), "-X", NULL, out, err);
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "vigil cib: reading XML from standard input...\n");
	buf = g_string_new(NULL);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		g_string_append_len(buf, chunk, (gssize)n);
		if (buf->len > VG_CIB_MAX_SIZE) {
			g_string_free(buf, TRUE);
			return vg_error_set(err, VG_ETOOBIG, "standard input: more than %u bytes",
			                    VG_CIB_MAX_SIZE);
		}
	}
	rc = vg_xml_parse(buf->str, buf->len, "standard input", NULL, out, err);
	g_string_free(buf, TRUE);
	return rc;
}

/* Write the file back: temp file, fsync, rename. */
static int write_file(const char *path, const xmlNode *cib, vg_error_t *err)
{
	char *data = vg_xml_dump(cib, true);
	char *tmp = g_strdup_printf("%s.vigil-tmp.%d", path, (int)getpid());
	GError *gerr = NULL;
	int rc = 0, fd;

	if (!g_file_set_contents(tmp, data, (gssize)strlen(data), &gerr)) {
		rc = vg_error_set(err, VG_EIO, "%s: %s", tmp, gerr->message);
		g_error_free(gerr);
	} else {
		fd = open(tmp, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			(void)fsync(fd);
			close(fd);
		}
		if (rename(tmp, path) != 0)
			rc = vg_error_set(err, VG_EIO, "%s: %s", path, g_strerror(errno));
	}
	if (rc != 0)
		unlink(tmp);
	g_free(tmp);
	g_free(data);
	return rc;
}

static void print_doc(const xmlNode *n)
{
	char *s = vg_xml_dump(n, true);

	fputs(s, stdout);
	if (*s && s[strlen(s) - 1] != '\n')
		fputc('\n', stdout);
	g_free(s);
}

static int cmd_diff(const struct opts *o)
{
	xmlDoc *a = NULL, *b = NULL, *patch = NULL;
	vg_error_t err = {0};
	int rc;

	if (o->nargs != 2) {
		fprintf(stderr, "vigil cib: diff needs two files: vigil cib diff OLD NEW\n");
		return EXIT_USAGE;
	}
	struct stopwatch t0 = stopwatch_start();

	rc = vg_cib_load_file(o->args[0], &a, &err);
	if (rc == 0)
		rc = vg_cib_load_file(o->args[1], &b, &err);
	timing("load", t0);
	t0 = stopwatch_start();
	if (rc == 0)
		rc = vg_cib_diff(xmlDocGetRootElement(a), xmlDocGetRootElement(b), 0, &patch, &err);
	timing("diff", t0);
	if (rc == 0 && patch != NULL)
		print_doc(xmlDocGetRootElement(patch));
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	xmlFreeDoc(patch);
	return rc ? fail(rc, &err) : EXIT_OK;
}

static int cmd_verify(const xmlNode *cib, const struct opts *o)
{
	GPtrArray *findings = vg_cib_findings_new();
	int errors = vg_cib_verify(cib, findings), warnings = 0;

	for (guint i = 0; i < findings->len; i++) {
		const vg_cib_finding_t *f = g_ptr_array_index(findings, i);

		warnings += f->severity == VG_CIB_WARNING;
		fprintf(stderr, "%s: %s: %s\n", f->severity == VG_CIB_ERROR ? "error" : "warning",
		        f->id, f->message);
	}
	if (!o->quiet)
		fprintf(stderr, "%s: %d error%s, %d warning%s\n", o->file ? o->file : "live CIB",
		        errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	g_ptr_array_unref(findings);
	return errors ? EXIT_SCHEMA : EXIT_OK;
}

static int cmd_validate(const xmlDoc *doc)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	vg_error_t err = {0};
	struct stopwatch t0 = stopwatch_start();
	int rc = vg_cib_validate(doc, all, &err);

	timing("validate", t0);
	for (guint i = 0; i < all->len; i++)
		fprintf(stderr, "error: %s\n", (const char *)g_ptr_array_index(all, i));
	g_ptr_array_unref(all);
	return rc ? fail(rc, &err) : EXIT_OK;
}

static int cmd_query(const xmlNode *cib, const struct opts *o, const vg_cib_acl_t *acl)
{
	xmlDoc *out = NULL;
	vg_error_t err = {0};
	int rc = vg_cib_query(cib, o->section, o->xpath, acl, &out, &err);

	if (rc != 0)
		return fail(rc, &err);
	if (!o->quiet)
		print_doc(xmlDocGetRootElement(out));
	xmlFreeDoc(out);
	return EXIT_OK;
}

/* Which operation a command runs through vg_cib_apply, and whether it reads XML. */
static const struct write_cmd {
	const char *name;
	vg_cib_op_t op;
	bool needs_xml; /* XML input required (delete: unless --xpath) */
} write_cmds[] = {
    {"create", VG_CIB_OP_CREATE, true},    {"modify", VG_CIB_OP_MODIFY, true},
    {"replace", VG_CIB_OP_REPLACE, true},  {"delete", VG_CIB_OP_DELETE, true},
    {"erase", VG_CIB_OP_ERASE, false},     {"patch", VG_CIB_OP_PATCH, true},
    {"upgrade", VG_CIB_OP_UPGRADE, false}, {"bump", VG_CIB_OP_BUMP, false},
};

static int cmd_write(const xmlNode *cib, const struct opts *o, const struct write_cmd *w,
                     const vg_cib_acl_t *acl)
{
	vg_cib_request_t req = {
	    .op = w->op, .section = o->section, .xpath = o->xpath, .flags = o->flags, .acl = acl};
	xmlDoc *in = NULL, *out = NULL;
	vg_error_t err = {0};
	int rc = 0;

	if (w->needs_xml && !(w->op == VG_CIB_OP_DELETE && o->xpath != NULL)) {
		rc = read_input(o, &in, &err);
		if (rc != 0)
			return fail(rc, &err);
		req.data = xmlDocGetRootElement(in);
	}
	rc = vg_cib_apply(cib, &req, &out, NULL, &err);
	if (rc == 0)
		rc = write_file(o->file, xmlDocGetRootElement(out), &err);
	xmlFreeDoc(in);
	xmlFreeDoc(out);
	return rc ? fail(rc, &err) : EXIT_OK;
}

/* Offline mode: one file. */
static int file_run(const struct opts *o)
{
	xmlDoc *doc = NULL;
	vg_cib_acl_t *acl = NULL;
	vg_error_t err = {0};
	int rc, code = EXIT_USAGE;
	struct stopwatch t0 = stopwatch_start();

	rc = vg_cib_load_file(o->file, &doc, &err);
	timing("load", t0);
	if (rc != 0)
		return fail(rc, &err);
	if (o->user != NULL) {
		rc = vg_cib_acl_new(xmlDocGetRootElement(doc), o->user, true, &acl, &err);
		if (rc != 0) {
			xmlFreeDoc(doc);
			return fail(rc, &err);
		}
	}
	if (strcmp(o->cmd, "query") == 0) {
		code = cmd_query(xmlDocGetRootElement(doc), o, acl);
	} else if (strcmp(o->cmd, "verify") == 0) {
		t0 = stopwatch_start();
		code = cmd_verify(xmlDocGetRootElement(doc), o);
		timing("verify", t0);
	} else if (strcmp(o->cmd, "validate") == 0) {
		code = cmd_validate(doc);
	} else {
		for (size_t i = 0; i < G_N_ELEMENTS(write_cmds); i++)
			if (strcmp(o->cmd, write_cmds[i].name) == 0) {
				code = cmd_write(xmlDocGetRootElement(doc), o, &write_cmds[i], acl);
				break;
			}
	}
	vg_cib_acl_free(acl);
	xmlFreeDoc(doc);
	return code;
}

/* Live mode: through the controller of VIGIL_INSTANCE. */
static int live_run(const struct opts *o)
{
	vg_error_t err = {0};
	vg_client_t *c;
	xmlDoc *doc = NULL, *in = NULL;
	int rc = 0, code = EXIT_USAGE;

	if (o->user != NULL) {
		fprintf(stderr, "vigil cib: --user works on files only; the cluster applies the "
		                "ACLs of the user running the command\n");
		return EXIT_USAGE;
	}
	c = vg_client_connect(NULL, &err);
	if (c == NULL) {
		fprintf(stderr,
		        "vigil cib: no live cluster connection: %s; use -x FILE or "
		        "CIB_file to work on a file\n",
		        err.msg[0] ? err.msg : "the controller is not running");
		return exit_code(err.code ? err.code : VG_ENOTCONN);
	}
	if (strcmp(o->cmd, "query") == 0) {
		rc = vg_client_cib_query(c, o->section, o->xpath, &doc, &err);
		if (rc == 0 && !o->quiet)
			print_doc(xmlDocGetRootElement(doc));
		code = rc ? fail(rc, &err) : EXIT_OK;
	} else if (strcmp(o->cmd, "verify") == 0 || strcmp(o->cmd, "validate") == 0) {
		rc = vg_client_cib_query(c, NULL, NULL, &doc, &err);
		if (rc != 0)
			code = fail(rc, &err);
		else if (strcmp(o->cmd, "verify") == 0)
			code = cmd_verify(xmlDocGetRootElement(doc), o);
		else
			code = cmd_validate(doc);
	} else {
		for (size_t i = 0; i < G_N_ELEMENTS(write_cmds); i++) {
			const struct write_cmd *w = &write_cmds[i];

			if (strcmp(o->cmd, w->name) != 0)
				continue;
			if (w->needs_xml && !(w->op == VG_CIB_OP_DELETE && o->xpath != NULL))
				rc = read_input(o, &in, &err);
			if (rc == 0)
				rc = vg_client_cib_write(c, w->name, o->section, o->xpath,
				                         in ? xmlDocGetRootElement(in) : NULL,
				                         o->flags, &err);
			code = rc ? fail(rc, &err) : EXIT_OK;
			break;
		}
	}
	xmlFreeDoc(in);
	xmlFreeDoc(doc);
	vg_client_free(c);
	return code;
}

static bool known_command(const char *cmd)
{
	if (strcmp(cmd, "query") == 0 || strcmp(cmd, "verify") == 0 || strcmp(cmd, "diff") == 0 ||
	    strcmp(cmd, "validate") == 0)
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(write_cmds); i++)
		if (strcmp(cmd, write_cmds[i].name) == 0)
			return true;
	return false;
}

int vg_tool_cib(int argc, char **argv)
{
	static const struct option long_opts[] = {
	    {"xml-file", required_argument, NULL, 'x'},
	    {"xml-text", required_argument, NULL, 'X'},
	    {"scope", required_argument, NULL, 'o'},
	    {"xpath", required_argument, NULL, 'A'},
	    {"all", no_argument, NULL, 'a'},
	    {"create-missing", no_argument, NULL, 'c'},
	    {"user", required_argument, NULL, 'u'},
	    {"force", no_argument, NULL, 'f'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct opts o = {0};
	int c;

	o.file = g_getenv("CIB_file");
	while ((c = getopt_long(argc, argv, "+x:X:o:A:acu:fqh", long_opts, NULL)) != -1 ||
	       (optind < argc && o.cmd == NULL)) {
		if (c == -1) { /* the command word; options may follow it */
			o.cmd = argv[optind++];
			continue;
		}
		switch (c) {
		case 'x':
			o.file = optarg;
			break;
		case 'X':
			o.xml = optarg;
			break;
		case 'o':
			o.section = optarg;
			break;
		case 'A':
			o.xpath = optarg;
			break;
		case 'a':
			o.flags |= VG_CIB_F_ALL_MATCHES;
			break;
		case 'c':
			o.flags |= VG_CIB_F_CREATE_MISSING;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'f':
			o.flags |= VG_CIB_F_FORCE_VERSION | VG_CIB_F_NO_VALIDATE;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (o.cmd == NULL || !known_command(o.cmd)) {
		if (o.cmd)
			fprintf(stderr, "vigil cib: unknown command '%s'\n", o.cmd);
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	o.args = argv + optind;
	o.nargs = argc - optind;
	if (strcmp(o.cmd, "diff") == 0)
		return cmd_diff(&o);
	if (o.nargs != 0) {
		fprintf(stderr, "vigil cib: unexpected argument '%s'; run 'vigil cib --help'\n",
		        o.args[0]);
		return EXIT_USAGE;
	}
	if (o.file == NULL || *o.file == '\0')
		return live_run(&o);
	return file_run(&o);
}
