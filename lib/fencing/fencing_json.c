/*
 * fencing_json.c: just enough JSON (RFC 8259) for the Redfish plugin: a
 * validating recursive-descent scanner that finds the string value at a
 * path of object keys, or lists the values of one key across an array of
 * objects.  Depth and size are bounded; any malformed input is "not found".
 * It never builds a tree and never allocates except for the answer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define VG_LOG_SUBSYS "fencing"
#include <string.h>

#include "fencing_json.h"

#define JSON_MAX_DEPTH 32

typedef struct scan {
	const char *p, *end;
	int depth;
} scan_t;

static void ws(scan_t *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Parse a string; when out is non-NULL, store its decoded value (\u escapes
 * outside ASCII become '?', which is enough for keys and enum values). */
static bool string(scan_t *s, GString *out)
{
	if (s->p >= s->end || *s->p != '"')
		return false;
	s->p++;
	while (s->p < s->end && *s->p != '"') {
		unsigned char c = (unsigned char)*s->p++;
		if (c < 0x20)
			return false;
		if (c != '\\') {
			if (out)
				g_string_append_c(out, (char)c);
			continue;
		}
		if (s->p >= s->end)
			return false;
		c = (unsigned char)*s->p++;
		const char *esc = strchr("\"\\/bfnrt", c);
		if (c != 0 && esc != NULL) {
			static const char map[] = "\"\\/\b\f\n\r\t";
			if (out)
				g_string_append_c(out, map[esc - "\"\\/bfnrt"]);
		} else if (c == 'u') {
			unsigned v = 0;
			for (int i = 0; i < 4; i++) {
				if (s->p >= s->end || !g_ascii_isxdigit(*s->p))
					return false;
				v = v * 16 + (unsigned)g_ascii_xdigit_value(*s->p++);
			}
			if (out)
				g_string_append_c(out, v < 0x80 && v >= 0x20 ? (char)v : '?');
		} else {
			return false;
		}
	}
	if (s->p >= s->end)
		return false;
	s->p++;
	return true;
}

static bool value(scan_t *s, const char *const *path, GString *found, bool *hit);

static bool literal(scan_t *s, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return false;
	s->p += n;
	return true;
}

static bool number(scan_t *s)
{
	const char *start = s->p;
	if (s->p < s->end && *s->p == '-')
		s->p++;
	while (s->p < s->end && (g_ascii_isdigit(*s->p) || strchr(".eE+-", *s->p) != NULL))
		s->p++;
	return s->p > start && g_ascii_isdigit(s->p[-1]);
}

static bool object(scan_t *s, const char *const *path, GString *found, bool *hit)
{
	GString *key = g_string_new(NULL);
	bool ok = false;
	s->p++; /* '{' */
	ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		g_string_free(key, TRUE);
		return true;
	}
	for (;;) {
		g_string_truncate(key, 0);
		ws(s);
		if (!string(s, key))
			break;
		ws(s);
		if (s->p >= s->end || *s->p != ':')
			break;
		s->p++;
		ws(s);
		bool match = path != NULL && *path != NULL && strcmp(key->str, *path) == 0;
		if (!value(s, match ? path + 1 : NULL, found, hit))
			break;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			ok = true;
		}
		break;
	}
	g_string_free(key, TRUE);
	return ok;
}

static bool array(scan_t *s, const char *const *path, GString *found, bool *hit)
{
	s->p++; /* '[' */
	ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return true;
	}
	for (;;) {
		ws(s);
		/* "[]" in a path means: descend into every element. */
		bool each = path != NULL && *path != NULL && strcmp(*path, "[]") == 0;
		if (!value(s, each ? path + 1 : NULL, found, hit))
			return false;
		ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return true;
		}
		return false;
	}
}

/* path: remaining keys to follow (NULL = not on the path).  At the end of
 * the path a string value is appended to found (newline-separated). */
static bool value(scan_t *s, const char *const *path, GString *found, bool *hit)
{
	bool ok;
	ws(s);
	if (s->p >= s->end || ++s->depth > JSON_MAX_DEPTH)
		return false;
	switch (*s->p) {
	case '{':
		ok = object(s, path && *path ? path : NULL, found, hit);
		break;
	case '[':
		ok = array(s, path && *path ? path : NULL, found, hit);
		break;
	case '"':
		if (path != NULL && *path == NULL) {
			if (*hit)
				g_string_append_c(found, '\n');
			ok = string(s, found);
			*hit = true;
		} else {
			ok = string(s, NULL);
		}
		break;
	case 't':
		ok = literal(s, "true");
		break;
	case 'f':
		ok = literal(s, "false");
		break;
	case 'n':
		ok = literal(s, "null");
		break;
	default:
		ok = number(s);
		break;
	}
	s->depth--;
	return ok;
}

char *fence_json_get(const char *json, size_t len, const char *const *path)
{
	scan_t s = {.p = json, .end = json + len};
	GString *found = g_string_new(NULL);
	bool hit = false;
	if (json == NULL || len > JSON_MAX_SIZE || !value(&s, path, found, &hit)) {
		g_string_free(found, TRUE);
		return NULL;
	}
	ws(&s);
	if (s.p != s.end || !hit) {
		g_string_free(found, TRUE);
		return NULL;
	}
	return g_string_free(found, FALSE);
}
