/*
 * Property test: for hundreds of random mutations B of real CIBs A,
 * patch(A, diff(A, B)) is canonically B, the patch refuses any other
 * version, and vg_cib_apply's version bookkeeping holds (configuration
 * writes bump epoch and reset num_updates, status writes bump num_updates).
 * CIBs come from the Pacemaker scheduler corpus when it is next to the
 * checkout, else from a CIB built here.  Deterministic: VIGIL_SEED picks
 * the random sequence (default 1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vigil/cib.h>

#define ROUNDS 400

static GPtrArray *inputs; /* char * paths, or NULL entries for the built-in CIB */
static GRand *rnd;

static const char builtin[] =
    "<cib admin_epoch=\"0\" epoch=\"7\" num_updates=\"2\" validate-with=\"pacemaker-3.9\">"
    "<configuration><crm_config><cluster_property_set id=\"o\">"
    "<nvpair id=\"o1\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
    "</crm_config><nodes><node id=\"1\" uname=\"n1\"/><node id=\"2\" uname=\"n2\"/></nodes>"
    "<resources><group id=\"g\"><primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" "
    "type=\"Dummy\"><operations><op id=\"a-m\" name=\"monitor\" interval=\"10s\"/></operations>"
    "</primitive><primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
    "</group></resources><constraints><rsc_location id=\"l\" rsc=\"g\" node=\"n1\" "
    "score=\"100\"/></constraints></configuration><status><node_state id=\"1\" uname=\"n1\">"
    "<lrm id=\"1\"><lrm_resources><lrm_resource id=\"a\" class=\"ocf\" type=\"Dummy\">"
    "<lrm_rsc_op id=\"a_last_0\" operation=\"start\" rc-code=\"0\"/></lrm_resource>"
    "</lrm_resources></lrm></node_state></status></cib>";

static xmlDoc *load_input(guint i)
{
	const char *path = g_ptr_array_index(inputs, i);
	xmlDoc *doc = NULL;
	vg_error_t err = {0};
	int rc = path ? vg_cib_load_file(path, &doc, &err)
	              : vg_cib_parse(builtin, strlen(builtin), "builtin", &doc, &err);

	if (rc != 0)
		fail_msg("%s: %s", path ? path : "builtin", err.msg);
	return doc;
}

static void collect(xmlNode *n, GPtrArray *out)
{
	for (; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE) {
			g_ptr_array_add(out, n);
			collect(n->children, out);
		}
}

static int counter;

/* One random change somewhere below the root. */
static void mutate(xmlNode *root)
{
	GPtrArray *all = g_ptr_array_new();
	xmlNode *n, *parent;
	char buf[64];

	collect(root->children, all);
	if (all->len == 0) {
		g_ptr_array_unref(all);
		return;
	}
	n = g_ptr_array_index(all, g_rand_int_range(rnd, 0, (gint32)all->len));
	parent = n->parent;
	snprintf(buf, sizeof(buf), "m%d", ++counter);
	switch (g_rand_int_range(rnd, 0, 9)) {
	case 0: /* set an attribute */
		vg_xml_set(n, g_rand_boolean(rnd) ? "value" : "vigil-attr", buf);
		break;
	case 1: /* remove an attribute other than id */
		if (n->properties && strcmp((const char *)n->properties->name, "id") != 0)
			xmlRemoveProp(n->properties);
		else if (n->properties && n->properties->next)
			xmlRemoveProp(n->properties->next);
		break;
	case 2: /* delete the element */
		if (parent != root) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
		break;
	case 3: { /* copy with a new id next to it */
		xmlNode *c = xmlDocCopyNode(n, n->doc, 1);

		vg_xml_set(c, "id", buf);
		xmlAddNextSibling(n, c);
		break;
	}
	case 4: /* move to the front of its siblings */
		if (parent != NULL && parent->children != n) {
			xmlUnlinkNode(n);
			xmlAddPrevSibling(parent->children, n);
		}
		break;
	case 5: /* new child without an id */
		vg_xml_set(vg_xml_new_child(n, "vigil-x"), "v", buf);
		break;
	case 6: /* new child with an id, at a random position */
		if (n->children != NULL) {
			xmlNode *c = xmlNewDocNode(n->doc, NULL, (const xmlChar *)"vigil-y", NULL);

			vg_xml_set(c, "id", buf);
			xmlAddPrevSibling(n->children, c);
		} else {
			vg_xml_set(vg_xml_new_child(n, "vigil-y"), "id", buf);
		}
		break;
	case 7: /* move to the end of its siblings */
		if (parent != NULL && parent != root) {
			xmlUnlinkNode(n);
			xmlAddChild(parent, n);
		}
		break;
	case 8: /* the first attribute moves to the end, same value */
		if (n->properties && n->properties->next) {
			char *name = g_strdup((const char *)n->properties->name);
			char *value = g_strdup(vg_xml_get(n, name));

			xmlRemoveProp(n->properties);
			vg_xml_set(n, name, value);
			g_free(name);
			g_free(value);
		}
		break;
	}
	g_ptr_array_unref(all);
}

static void check_equal(const xmlNode *a, const xmlNode *b, const char *what)
{
	char *ca = vg_xml_canonical(a), *cb = vg_xml_canonical(b);

	if (strcmp(ca, cb) != 0)
		fail_msg("%s: patched document differs from the target", what);
	g_free(ca);
	g_free(cb);
}

static void test_diff_patch(void **state)
{
	(void)state;
	for (int round = 0; round < ROUNDS; round++) {
		guint i = (guint)g_rand_int_range(rnd, 0, (gint32)inputs->len);
		xmlDoc *a = load_input(i), *b = xmlCopyDoc(a, 1), *patch = NULL;
		xmlNode *ra = xmlDocGetRootElement(a), *rb = xmlDocGetRootElement(b);
		vg_cib_version_t va, vb;
		vg_error_t err = {0};
		int muts = g_rand_int_range(rnd, 1, 6);

		for (int m = 0; m < muts; m++)
			mutate(rb);
		vg_cib_bump_config(rb);
		assert_int_equal(vg_cib_diff(ra, rb, VG_CIB_DIFF_DIGEST, &patch, &err), 0);
		assert_non_null(patch);
		/* a copy at another version refuses it */
		{
			xmlDoc *other = xmlCopyDoc(a, 1);

			vg_cib_bump_status(xmlDocGetRootElement(other));
			assert_int_equal(vg_cib_patch(xmlDocGetRootElement(other),
			                              xmlDocGetRootElement(patch), NULL),
			                 VG_EVERSION);
			xmlFreeDoc(other);
		}
		if (getenv("VIGIL_DEBUG_DIR")) {
			char *p = vg_xml_dump(xmlDocGetRootElement(patch), true);
			char *fa = vg_xml_dump(ra, true), *fb = vg_xml_dump(rb, true);
			char *pp = g_strdup_printf("%s/patch.xml", getenv("VIGIL_DEBUG_DIR"));
			char *pa = g_strdup_printf("%s/a.xml", getenv("VIGIL_DEBUG_DIR"));
			char *pb = g_strdup_printf("%s/b.xml", getenv("VIGIL_DEBUG_DIR"));

			g_file_set_contents(pp, p, -1, NULL);
			g_file_set_contents(pa, fa, -1, NULL);
			g_file_set_contents(pb, fb, -1, NULL);
			g_free(p);
			g_free(fa);
			g_free(fb);
			g_free(pp);
			g_free(pa);
			g_free(pb);
		}
		if (vg_cib_patch(ra, xmlDocGetRootElement(patch), &err) != 0) {
			char *p = vg_xml_dump(xmlDocGetRootElement(patch), true);

			fail_msg("round %d: %s\n%.4000s", round, err.msg, p);
		}
		check_equal(ra, rb, "diff/patch");
		vg_cib_version_get(ra, &va);
		vg_cib_version_get(rb, &vb);
		assert_int_equal(vg_cib_version_cmp(&va, &vb), 0);
		xmlFreeDoc(patch);
		xmlFreeDoc(a);
		xmlFreeDoc(b);
	}
}

/* vg_cib_apply: epoch for configuration, num_updates for status, and the
 * patch it returns replays on a replica. */
static void test_apply_bookkeeping(void **state)
{
	(void)state;
	for (int round = 0; round < ROUNDS / 4; round++) {
		guint i = (guint)g_rand_int_range(rnd, 0, (gint32)inputs->len);
		xmlDoc *a = load_input(i), *out = NULL, *patch = NULL, *data;
		xmlNode *ra = xmlDocGetRootElement(a);
		bool status = g_rand_boolean(rnd);
		vg_cib_request_t req = {.op = VG_CIB_OP_CREATE, .flags = VG_CIB_F_NO_VALIDATE};
		vg_cib_version_t before, after, replica_v;
		vg_error_t err = {0};
		char buf[160];

		snprintf(
		    buf, sizeof(buf),
		    status ? "<node_state id=\"prop%d\" uname=\"prop%d\"/>"
		           : "<primitive id=\"prop%d\" class=\"ocf\" provider=\"x\" type=\"y%d\"/>",
		    round, round);
		assert_int_equal(vg_xml_parse(buf, strlen(buf), "d", NULL, &data, NULL), 0);
		req.section = status ? "status" : "resources";
		req.data = xmlDocGetRootElement(data);
		vg_cib_version_get(ra, &before);
		if (vg_cib_apply(ra, &req, &out, &patch, &err) != 0)
			fail_msg("apply: %s", err.msg);
		vg_cib_version_get(xmlDocGetRootElement(out), &after);
		assert_int_equal(after.admin_epoch, before.admin_epoch);
		if (status) {
			assert_int_equal(after.epoch, before.epoch);
			assert_int_equal(after.num_updates, before.num_updates + 1);
		} else {
			assert_int_equal(after.epoch, before.epoch + 1);
			assert_int_equal(after.num_updates, 0);
		}
		assert_non_null(patch);
		assert_int_equal(vg_cib_patch(ra, xmlDocGetRootElement(patch), &err), 0);
		check_equal(ra, xmlDocGetRootElement(out), "apply/patch");
		vg_cib_version_get(ra, &replica_v);
		assert_int_equal(vg_cib_version_cmp(&replica_v, &after), 0);
		xmlFreeDoc(data);
		xmlFreeDoc(out);
		xmlFreeDoc(patch);
		xmlFreeDoc(a);
	}
}

static gint by_name(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const char *const *)a, *(const char *const *)b);
}

/* An element with an id below configuration or status, at random. */
static xmlNode *random_with_id(xmlNode *root)
{
	GPtrArray *all = g_ptr_array_new();
	xmlNode *n = NULL;

	collect(root->children, all);
	for (int tries = 0; tries < 20 && all->len > 0; tries++) {
		xmlNode *c = g_ptr_array_index(all, g_rand_int_range(rnd, 0, (gint32)all->len));

		if (vg_xml_get(c, "id") != NULL && c->parent != root &&
		    vg_cib_section_xpath(vg_xml_name(c)) == NULL) {
			n = c;
			break;
		}
	}
	g_ptr_array_unref(all);
	return n;
}

/* vg_cib_apply_inplace gives the same document and version as the copy
 * path, its patch replays on a replica, and failures change nothing. */
static void test_inplace(void **state)
{
	(void)state;
	for (int round = 0; round < ROUNDS / 2; round++) {
		guint i = (guint)g_rand_int_range(rnd, 0, (gint32)inputs->len);
		xmlDoc *a = load_input(i), *b = xmlCopyDoc(a, 1), *replica = xmlCopyDoc(a, 1);
		xmlDoc *out = NULL, *p1 = NULL, *p2 = NULL, *data = NULL;
		vg_cib_request_t req = {.flags = VG_CIB_F_NO_VALIDATE};
		xmlNode *pick = random_with_id(xmlDocGetRootElement(a));
		vg_error_t e1 = {0}, e2 = {0};
		int kind = g_rand_int_range(rnd, 0, 4), rc1, rc2;
		char *before_b = vg_xml_canonical(xmlDocGetRootElement(b));

		if (pick == NULL || kind == 0) {
			char buf[128];

			snprintf(buf, sizeof(buf), "<node_state id=\"ip%d\" uname=\"ip%d\"/>",
			         round, round);
			vg_xml_parse(buf, strlen(buf), "d", NULL, &data, NULL);
			req.op = VG_CIB_OP_CREATE;
			req.section = "status";
		} else {
			data = vg_xml_copy_doc(pick);
			if (kind == 1) {
				xmlNode *d = xmlDocGetRootElement(data);

				while (d->children) {
					xmlNode *c = d->children;

					xmlUnlinkNode(c);
					xmlFreeNode(c);
				}
				vg_xml_set(d, "vigil-prop", "v");
				req.op = VG_CIB_OP_MODIFY;
			} else if (kind == 2) {
				vg_xml_set(xmlDocGetRootElement(data), "vigil-prop", "r");
				req.op = VG_CIB_OP_REPLACE;
				req.xpath = NULL;
			} else {
				req.op = VG_CIB_OP_DELETE;
			}
			/* target exactly this element */
			{
				char *path = NULL;
				GString *x = g_string_new(NULL);

				(void)path;
				g_string_printf(x, "//%s[@id='%s']", vg_xml_name(pick),
				                vg_xml_get(pick, "id"));
				req.xpath = g_string_free(x, FALSE);
			}
		}
		req.data = xmlDocGetRootElement(data);
		rc1 = vg_cib_apply(xmlDocGetRootElement(a), &req, &out, &p1, &e1);
		rc2 = vg_cib_apply_inplace(b, &req, &p2, &e2);
		if (rc1 != rc2)
			fail_msg("round %d op %d: copy path rc %d (%s), in place rc %d (%s)", round,
			         (int)req.op, rc1, e1.msg, rc2, e2.msg);
		if (rc1 == 0) {
			check_equal(xmlDocGetRootElement(out), xmlDocGetRootElement(b),
			            "in place vs copy");
			if (p2 != NULL) {
				if (vg_cib_patch(xmlDocGetRootElement(replica),
				                 xmlDocGetRootElement(p2), &e2) != 0)
					fail_msg("round %d: in-place patch: %s", round, e2.msg);
				check_equal(xmlDocGetRootElement(replica), xmlDocGetRootElement(b),
				            "in-place patch replay");
			}
		} else {
			char *after_b = vg_xml_canonical(xmlDocGetRootElement(b));

			assert_string_equal(before_b, after_b);
			g_free(after_b);
		}
		g_free(before_b);
		g_free((char *)req.xpath);
		xmlFreeDoc(data);
		xmlFreeDoc(out);
		xmlFreeDoc(p1);
		xmlFreeDoc(p2);
		xmlFreeDoc(a);
		xmlFreeDoc(b);
		xmlFreeDoc(replica);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_diff_patch),
	    cmocka_unit_test(test_apply_bookkeeping),
	    cmocka_unit_test(test_inplace),
	};
	const char *src = getenv("VIGIL_SRCDIR");
	const char *seed = getenv("VIGIL_SEED");
	char *dir =
	    g_strdup_printf("%s/../shared/conformance/pacemaker-scheduler/xml", src ? src : ".");
	GDir *d = g_dir_open(dir, 0, NULL);
	int rc;

	inputs = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(inputs, NULL);
	if (d != NULL) {
		const char *name;

		while ((name = g_dir_read_name(d)) != NULL)
			if (g_str_has_suffix(name, ".xml"))
				g_ptr_array_add(inputs, g_build_filename(dir, name, NULL));
		g_dir_close(d);
	}
	/* directory order is arbitrary: sort so a seed means the same runs */
	g_ptr_array_sort(inputs, by_name);
	rnd = g_rand_new_with_seed(seed ? (guint32)atoi(seed) : 1u);
	printf("# %u input CIBs from %s\n", inputs->len, d ? dir : "(built-in only)");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	g_rand_free(rnd);
	g_ptr_array_unref(inputs);
	g_free(dir);
	return rc;
}
