/* fuzz_mustache.c - the template engine: compile, then render.
 *
 * The input is a template, optionally followed by partials and data: a
 * line "@@@NAME" starts the partial NAME, and "@@@data" starts YAML that
 * replaces the fixed data tree (so the input is also the data).  The
 * partial "self" is the main template itself.  Every template is compiled
 * and rendered against a fixed tree of hostile strings, numbers, lists and
 * maps, as report pages are.
 *
 * Properties checked: compile and render return one of their documented
 * codes, with a message when they fail; a failed render leaves the output
 * exactly as it found it; the output stays under the size limit; a second
 * render gives the same bytes (nothing leaks between renders); and every
 * {{x}} of a hostile string is HTML-escaped.
 */
#include <string.h>

#include "buf.h"
#include "frontmatter.h"
#include "mustache.h"
#include "source.h"
#include "value.h"

#include "fuzz.h"

#define MAX_PARTS 16

static struct pm_arena data_arena;
static struct pm_value *fixed;

static void release(void)
{
	pm_arena_release(&data_arena);
}

static struct pm_value *str(const char *s)
{
	return pm_value_str(&data_arena, s);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct pm_arena *a = &data_arena;
	pm_arena_init(a);
	struct pm_value *m = pm_value_new(a, PM_VAL_MAP);
	pm_value_set(a, m, "title", str("<script>alert(\"x\")</script> & 'q'"));
	pm_value_set(a, m, "empty", str(""));
	pm_value_set(a, m, "nul", pm_value_str(a, NULL));
	pm_value_set(a, m, "yes", pm_value_bool(a, true));
	pm_value_set(a, m, "no", pm_value_bool(a, false));
	pm_value_set(a, m, "n", pm_value_int(a, -9223372036854775807LL - 1));
	pm_value_set(a, m, "f", pm_value_num(a, 1e308));
	pm_value_set(a, m, "tiny", pm_value_num(a, -5e-324));
	struct pm_value *raw = pm_value_new(a, PM_VAL_INT);
	raw->u.i = 42;	/* a number with no source text */
	pm_value_set(a, m, "bare", raw);
	struct pm_value *list = pm_value_new(a, PM_VAL_SEQ);
	for (int i = 0; i < 4; i++) {
		struct pm_value *item = pm_value_new(a, PM_VAL_MAP);
		pm_value_set(a, item, "name", str(i % 2 ? "a\"b" : "<i>"));
		pm_value_set(a, item, "i", pm_value_int(a, i));
		pm_value_set(a, item, "on", pm_value_bool(a, i % 2));
		pm_value_push(a, list, item);
	}
	pm_value_set(a, m, "list", list);
	struct pm_value *strs = pm_value_new(a, PM_VAL_SEQ);
	pm_value_push(a, strs, str("x"));
	pm_value_push(a, strs, str("&amp;"));
	pm_value_push(a, strs, str("{{title}}"));
	pm_value_set(a, m, "strs", strs);
	pm_value_set(a, m, "none", pm_value_new(a, PM_VAL_SEQ));
	struct pm_value *nested = pm_value_new(a, PM_VAL_MAP);
	struct pm_value *inner = pm_value_new(a, PM_VAL_MAP);
	pm_value_set(a, inner, "c", str("deep"));
	pm_value_set(a, inner, "title", str("inner ' title"));
	pm_value_set(a, nested, "b", inner);
	pm_value_set(a, m, "a", nested);
	/* The map again under its own key: self-reference through data. */
	pm_value_set(a, m, "again", m);
	fixed = m;
	atexit(release);
	return 0;
}

struct part {
	const char *name;
	size_t name_len;
	const char *s;
	size_t len;
};

struct parts {
	const char *main;
	size_t main_len;
	struct part p[MAX_PARTS];
	size_t n;
	unsigned loads;
};

static const char *load(void *ctx, const char *name, size_t *len)
{
	struct parts *ps = ctx;
	ps->loads++;
	if (!strcmp(name, "self")) {
		*len = ps->main_len;
		return ps->main;
	}
	for (size_t i = 0; i < ps->n; i++)
		if (strlen(name) == ps->p[i].name_len && !memcmp(name, ps->p[i].name, ps->p[i].name_len)) {
			*len = ps->p[i].len;
			return ps->p[i].s;
		}
	return NULL;
}

/* The fixed title reaches the output raw only through {{{title}}} or
 * {{&title}} (or text that spells it out); {{title}} writes it escaped. */
static bool has_unescaped(const char *s, size_t len)
{
	return memmem(s, len, "<script>alert(\"x\")", 19) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parts ps = { .main = (const char *)data, .main_len = size };
	const char *yaml = NULL;
	size_t yaml_len = 0;
	/* Cut at "@@@NAME" lines. */
	const char *end = (const char *)data + size;
	struct part *cur = NULL;
	for (const char *q = (const char *)data; q + 3 <= end;) {
		const char *nl = memchr(q, '\n', (size_t)(end - q));
		const char *eol = nl ? nl : end;
		if (!memcmp(q, "@@@", 3)) {
			const char *body = nl ? nl + 1 : end;
			if (cur)
				cur->len = (size_t)(q - cur->s);
			else if (yaml)
				yaml_len = (size_t)(q - yaml);
			else
				ps.main_len = (size_t)(q - ps.main);
			cur = NULL;
			if (eol - (q + 3) == 4 && !memcmp(q + 3, "data", 4)) {
				if (!yaml)
					yaml = body;
			} else if (ps.n < MAX_PARTS) {
				cur = &ps.p[ps.n++];
				cur->name = q + 3;
				cur->name_len = (size_t)(eol - (q + 3));
				cur->s = body;
			}
			if (yaml && !yaml_len && cur)
				yaml_len = (size_t)(q - yaml);
		}
		if (!nl)
			break;
		q = nl + 1;
	}
	if (cur)
		cur->len = (size_t)(end - cur->s);
	else if (yaml && !yaml_len)
		yaml_len = (size_t)(end - yaml);

	struct pm_arena a;
	pm_arena_init(&a);
	const struct pm_value *root = fixed;
	if (yaml) {
		struct pm_diags diags;
		pm_diags_init(&diags, &a);
		struct pm_source src;
		struct pm_limits lim = PM_LIMITS_DEFAULT;
		struct pm_value *v = NULL;
		FUZZ_CHECK(pm_source_from_memory(&src, &a, "data.yaml", yaml, yaml_len) == 0);
		if (pm_yaml_load(&v, &src, &a, &lim, &diags) == 0)
			root = v;
	}

	struct pm_mustache *t = NULL;
	struct pm_error err = { 0 };
	int rc = pm_mustache_compile(&t, "fuzz", ps.main, ps.main_len, &err);
	FUZZ_CHECK(rc == 0 || rc == PM_ERR_INVALID || rc == PM_ERR_LIMIT);
	if (rc) {
		FUZZ_CHECK(!t && err.msg[0]);
		pm_arena_release(&a);
		return 0;
	}
	FUZZ_CHECK(t && !strcmp(pm_mustache_name(t), "fuzz"));
	struct pm_mustache_partials pp = { load, &ps };
	struct pm_buf out = PM_BUF_INIT;
	pm_buf_adds(&out, "prefix");
	rc = pm_mustache_render(t, root, &pp, &out, &err);
	FUZZ_CHECK(rc == 0 || rc == PM_ERR_INVALID || rc == PM_ERR_LIMIT);
	FUZZ_CHECK(!out.failed);
	FUZZ_CHECK(out.len >= 6 && !memcmp(out.data, "prefix", 6));
	if (rc) {
		FUZZ_CHECK(out.len == 6 && out.data[6] == '\0');
		FUZZ_CHECK(err.msg[0]);
	} else {
		FUZZ_CHECK(out.len - 6 <= PM_MUSTACHE_MAX_OUTPUT);
		/* No triple mustache, no & tag, no set delimiters, no data of
		 * our own: then the hostile title cannot appear raw. */
		if (!yaml && !memmem(data, size, "{{{", 3) && !memmem(data, size, "{{&", 3) &&
		    !memchr(data, '=', size) && !memmem(data, size, "<script>", 8))
			FUZZ_CHECK(!has_unescaped(out.data, out.len));
		/* A second render of the same compiled template, from a fresh
		 * start, writes the same bytes. */
		struct pm_buf again = PM_BUF_INIT;
		pm_buf_adds(&again, "prefix");
		ps.loads = 0;
		FUZZ_CHECK(pm_mustache_render(t, root, &pp, &again, &err) == 0);
		FUZZ_CHECK(again.len == out.len && !memcmp(again.data, out.data, out.len));
		pm_buf_release(&again);
	}
	pm_buf_release(&out);
	pm_mustache_free(t);
	pm_arena_release(&a);
	return 0;
}
