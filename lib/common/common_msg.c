/*
 * vg_msg: the one message format of vigil, for local IPC and for cluster
 * traffic alike.  A message is a type, named string fields (kept in insertion
 * order, names unique) and an optional XML body carried as text and parsed
 * lazily with the safe parser.  The decoder trusts nothing: every length is
 * checked against the remaining buffer and the caller's limit, field names
 * must be non-empty and NUL-free, so garbage yields VG_EPARSE, never a crash.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigil/common.h>

#define MSG_MAGIC      "VGM1"
#define MSG_MAX_FIELDS 65536u

struct vg_msg {
	GPtrArray *names;  /* char *, owned */
	GPtrArray *values; /* char *, owned, parallel to names */
	char *xml_text;    /* body as received/serialized, or NULL */
	size_t xml_len;
	xmlDoc *xml_doc; /* parsed body, or NULL */
	bool xml_bad;    /* body failed to parse once: do not retry */
};

vg_msg_t *vg_msg_new(const char *type)
{
	vg_msg_t *m = g_new0(vg_msg_t, 1);

	m->names = g_ptr_array_new_with_free_func(g_free);
	m->values = g_ptr_array_new_with_free_func(g_free);
	if (type != NULL)
		vg_msg_set(m, "t", type);
	return m;
}

static void drop_body(vg_msg_t *m)
{
	g_free(m->xml_text);
	m->xml_text = NULL;
	m->xml_len = 0;
	if (m->xml_doc != NULL)
		xmlFreeDoc(m->xml_doc);
	m->xml_doc = NULL;
	m->xml_bad = false;
}

void vg_msg_free(vg_msg_t *m)
{
	if (m == NULL)
		return;
	g_ptr_array_free(m->names, TRUE);
	g_ptr_array_free(m->values, TRUE);
	drop_body(m);
	g_free(m);
}

static int find_field(const vg_msg_t *m, const char *name)
{
	for (guint i = 0; i < m->names->len; i++)
		if (strcmp(g_ptr_array_index(m->names, i), name) == 0)
			return (int)i;
	return -1;
}

const char *vg_msg_type(const vg_msg_t *m)
{
	const char *t = vg_msg_get(m, "t");

	return t ? t : "";
}

void vg_msg_set(vg_msg_t *m, const char *name, const char *value)
{
	int i = find_field(m, name);

	if (value == NULL) {
		if (i >= 0) {
			g_ptr_array_remove_index(m->names, (guint)i);
			g_ptr_array_remove_index(m->values, (guint)i);
		}
		return;
	}
	if (i >= 0) {
		g_free(m->values->pdata[i]);
		m->values->pdata[i] = g_strdup(value);
		return;
	}
	g_ptr_array_add(m->names, g_strdup(name));
	g_ptr_array_add(m->values, g_strdup(value));
}

void vg_msg_set_int(vg_msg_t *m, const char *name, int64_t value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)value);
	vg_msg_set(m, name, buf);
}

const char *vg_msg_get(const vg_msg_t *m, const char *name)
{
	int i = find_field(m, name);

	return i >= 0 ? g_ptr_array_index(m->values, (guint)i) : NULL;
}

int vg_msg_get_int(const vg_msg_t *m, const char *name, int64_t *out)
{
	const char *v = vg_msg_get(m, name);
	char *end;
	long long n;

	if (v == NULL)
		return VG_ENOENT;
	if (*v == '\0')
		return VG_EINVAL;
	n = strtoll(v, &end, 10);
	if (*end != '\0')
		return VG_EINVAL;
	*out = n;
	return 0;
}

bool vg_msg_field(const vg_msg_t *m, size_t i, const char **name, const char **value)
{
	if (i >= m->names->len)
		return false;
	*name = g_ptr_array_index(m->names, (guint)i);
	*value = g_ptr_array_index(m->values, (guint)i);
	return true;
}

vg_msg_t *vg_msg_copy_as(const vg_msg_t *src, const char *type, const char *drop_prefix)
{
	vg_msg_t *m = vg_msg_new(type);
	size_t plen = strlen(drop_prefix);
	const char *name, *value;
	xmlNode *body = vg_msg_xml(src);

	for (size_t i = 0; vg_msg_field(src, i, &name, &value); i++)
		if (strncmp(name, drop_prefix, plen) != 0 && strcmp(name, "t") != 0)
			vg_msg_set(m, name, value);
	if (body != NULL)
		vg_msg_set_xml(m, body);
	return m;
}

void vg_msg_set_xml(vg_msg_t *m, const xmlNode *body)
{
	drop_body(m);
	if (body == NULL)
		return;
	m->xml_text = vg_xml_dump(body, false);
	m->xml_len = strlen(m->xml_text);
}

void vg_msg_take_xml(vg_msg_t *m, xmlDoc *doc)
{
	drop_body(m);
	if (doc == NULL)
		return;
	m->xml_doc = doc;
	m->xml_text = vg_xml_dump(xmlDocGetRootElement(doc), false);
	m->xml_len = strlen(m->xml_text);
}

xmlNode *vg_msg_xml(const vg_msg_t *m)
{
	vg_msg_t *mm = (vg_msg_t *)m; /* the parse is a cache, not a change */

	if (m->xml_doc != NULL)
		return xmlDocGetRootElement(m->xml_doc);
	if (m->xml_text == NULL || m->xml_bad)
		return NULL;
	if (vg_xml_parse(m->xml_text, m->xml_len, "message body", NULL, &mm->xml_doc, NULL) != 0) {
		mm->xml_bad = true;
		return NULL;
	}
	return xmlDocGetRootElement(m->xml_doc);
}

static void put_u32(GByteArray *b, uint32_t v)
{
	uint8_t be[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	g_byte_array_append(b, be, 4);
}

int vg_msg_encode(const vg_msg_t *m, uint8_t **buf, size_t *len)
{
	GByteArray *b = g_byte_array_sized_new(64 + (guint)m->xml_len);

	g_byte_array_append(b, (const guint8 *)MSG_MAGIC, 4);
	put_u32(b, m->names->len);
	for (guint i = 0; i < m->names->len; i++) {
		const char *n = g_ptr_array_index(m->names, i);
		const char *v = g_ptr_array_index(m->values, i);

		put_u32(b, (uint32_t)strlen(n));
		g_byte_array_append(b, (const guint8 *)n, (guint)strlen(n));
		put_u32(b, (uint32_t)strlen(v));
		g_byte_array_append(b, (const guint8 *)v, (guint)strlen(v));
	}
	put_u32(b, (uint32_t)m->xml_len);
	if (m->xml_len > 0)
		g_byte_array_append(b, (const guint8 *)m->xml_text, (guint)m->xml_len);
	if (b->len > VG_MSG_MAX_SIZE) {
		g_byte_array_free(b, TRUE);
		return VG_ETOOBIG;
	}
	*len = b->len;
	*buf = g_byte_array_free(b, FALSE);
	return 0;
}

/* A cursor over untrusted bytes. */
struct reader {
	const uint8_t *p;
	size_t left;
};

static bool get_u32(struct reader *r, uint32_t *v)
{
	if (r->left < 4)
		return false;
	*v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) |
	     r->p[3];
	r->p += 4;
	r->left -= 4;
	return true;
}

/* A length-prefixed string without NUL bytes, as a new C string. */
static char *get_str(struct reader *r)
{
	uint32_t n;
	char *s;

	if (!get_u32(r, &n) || n > r->left || memchr(r->p, '\0', n) != NULL)
		return NULL;
	s = g_strndup((const char *)r->p, n);
	r->p += n;
	r->left -= n;
	return s;
}

int vg_msg_decode(const void *buf, size_t len, size_t limit, vg_msg_t **out, vg_error_t *err)
{
	struct reader r = {.p = buf, .left = len};
	uint32_t nfields, xml_len;
	vg_msg_t *m;

	*out = NULL;
	if (limit == 0)
		limit = VG_MSG_MAX_SIZE;
	if (len > limit)
		return vg_error_set(err, VG_ETOOBIG, "message of %zu bytes exceeds limit %zu", len,
		                    limit);
	if (len < 12 || memcmp(buf, MSG_MAGIC, 4) != 0)
		return vg_error_set(err, VG_EPARSE, "not a vigil message (bad magic or too short)");
	r.p += 4;
	r.left -= 4;
	if (!get_u32(&r, &nfields) || nfields > MSG_MAX_FIELDS || nfields > r.left / 8)
		return vg_error_set(err, VG_EPARSE, "message: implausible field count");
	m = vg_msg_new(NULL);
	for (uint32_t i = 0; i < nfields; i++) {
		char *name = get_str(&r);
		char *value = name ? get_str(&r) : NULL;

		if (name == NULL || value == NULL || *name == '\0' || find_field(m, name) >= 0) {
			g_free(name);
			g_free(value);
			vg_msg_free(m);
			return vg_error_set(err, VG_EPARSE, "message: field %u is malformed", i);
		}
		g_ptr_array_add(m->names, name);
		g_ptr_array_add(m->values, value);
	}
	if (!get_u32(&r, &xml_len) || xml_len != r.left) {
		vg_msg_free(m);
		return vg_error_set(err, VG_EPARSE, "message: body length does not match");
	}
	if (xml_len > 0) {
		m->xml_text = g_strndup((const char *)r.p, xml_len);
		m->xml_len = xml_len;
		if (strlen(m->xml_text) != xml_len) {
			vg_msg_free(m);
			return vg_error_set(err, VG_EPARSE, "message: body contains NUL bytes");
		}
	}
	*out = m;
	return 0;
}
