/* check_mustache_spec.c - the official Mustache specification, from
 * ../shared/mustache-spec: every case of the core modules and of template
 * inheritance must render exactly as expected.  Exits 77 (a skip for meson)
 * with a message when the folder is absent.
 *
 * The spec's data is JSON's (the spec ships every file as JSON too), so a
 * number means its value, not its spelling: the loader's raw text is
 * dropped from numbers and 1.210 renders as 1.21, where template data that
 * comes from YAML frontmatter keeps its spelling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <check.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "mustache.h"
#include "source.h"
#include "testutil.h"
#include "value.h"

static char *spec_dir;		/* .../mustache-spec */

static const char *const spec_files[] = {
	"comments.yml",
	"delimiters.yml",
	"interpolation.yml",
	"inverted.yml",
	"partials.yml",
	"sections.yml",
	"~inheritance.yml",
};

#define NFILES (sizeof(spec_files) / sizeof(spec_files[0]))

/* Numbers as JSON has them: their value, not the text YAML wrote. */
static void drop_number_text(struct pm_value *v, size_t depth)
{
	ck_assert_uint_lt(depth, 100);
	switch (v->kind) {
	case PM_VAL_INT:
	case PM_VAL_FLOAT:
		v->raw = NULL;
		v->raw_len = 0;
		break;
	case PM_VAL_SEQ:
		for (size_t i = 0; i < v->u.seq.n; i++)
			drop_number_text(v->u.seq.items[i], depth + 1);
		break;
	case PM_VAL_MAP:
		for (size_t i = 0; i < v->u.map.n; i++)
			drop_number_text(v->u.map.pairs[i].value, depth + 1);
		break;
	default:
		break;
	}
}

/* Partials come from the case's `partials` mapping. */
static const char *load_partial(void *ctx, const char *name, size_t *len)
{
	const struct pm_value *v = pm_value_get(ctx, name);
	if (!v || v->kind != PM_VAL_STRING)
		return NULL;
	*len = v->raw_len;
	return v->raw;
}

/* Appends s to b with line ends and tabs made visible. */
static void show(struct pm_buf *b, const char *s, size_t len)
{
	pm_buf_addc(b, '"');
	for (size_t i = 0; i < len; i++) {
		switch (s[i]) {
		case '\n': pm_buf_adds(b, "\\n"); break;
		case '\r': pm_buf_adds(b, "\\r"); break;
		case '\t': pm_buf_adds(b, "\\t"); break;
		case '"': pm_buf_adds(b, "\\\""); break;
		default: pm_buf_addc(b, s[i]); break;
		}
	}
	pm_buf_addc(b, '"');
}

static const char *str_of(const struct pm_value *tc, const char *key, size_t *len)
{
	const struct pm_value *v = pm_value_get(tc, key);
	if (!v || v->kind != PM_VAL_STRING || !v->raw) {
		*len = 0;
		return NULL;
	}
	*len = v->raw_len;
	return v->raw;
}

/* Runs one case; true when it passes, else a line goes to fails. */
static bool run_case(const char *file, const struct pm_value *tc, struct pm_buf *fails)
{
	size_t tlen, elen;
	const char *tmpl = str_of(tc, "template", &tlen);
	const char *expected = str_of(tc, "expected", &elen);
	const struct pm_value *name = pm_value_get(tc, "name");
	const char *cname = name && name->raw ? name->raw : "?";
	if (!tmpl || !expected) {
		pm_buf_printf(fails, "%s: '%s': no template or expected text\n", file, cname);
		return false;
	}
	struct pm_mustache *t = NULL;
	struct pm_error err = { 0 };
	struct pm_buf out = PM_BUF_INIT;
	struct pm_mustache_partials partials = { load_partial, NULL };
	partials.ctx = (void *)pm_value_get(tc, "partials");
	bool ok = false;
	int rc = pm_mustache_compile(&t, cname, tmpl, tlen, &err);
	if (rc == 0)
		rc = pm_mustache_render(t, pm_value_get(tc, "data"), &partials, &out, &err);
	if (rc != 0) {
		pm_buf_printf(fails, "%s: '%s': error %d: %s\n", file, cname, rc, err.msg);
	} else if (out.len != elen || memcmp(out.data ? out.data : "", expected, elen)) {
		pm_buf_printf(fails, "%s: '%s': expected ", file, cname);
		show(fails, expected, elen);
		pm_buf_adds(fails, ", got ");
		show(fails, pm_buf_cstr(&out), out.len);
		pm_buf_addc(fails, '\n');
	} else {
		ok = true;
	}
	pm_buf_release(&out);
	pm_mustache_free(t);
	return ok;
}

START_TEST(spec_file)
{
	const char *file = spec_files[_i];
	char *path = tu_path(spec_dir, file);
	struct pm_arena arena;
	pm_arena_init(&arena);
	struct pm_diags diags;
	pm_diags_init(&diags, &arena);
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	lim.max_file_size = 16u << 20;
	lim.max_frontmatter = 16u << 20;
	lim.max_yaml_depth = 64;
	lim.max_yaml_aliases = 10000;
	lim.max_yaml_nodes = 1000000;
	struct pm_source src;
	struct pm_error err = { 0 };
	ck_assert_msg(pm_source_read(&src, &arena, path, lim.max_file_size, &err) == 0,
		      "%s: %s", path, err.msg);
	struct pm_value *root = NULL;
	int rc = pm_yaml_load(&root, &src, &arena, &lim, &diags);
	ck_assert_msg(rc == 0 && root, "%s: cannot load: %s", path,
		      diags.n ? diags.items[0].message : "empty");

	const struct pm_value *tests = pm_value_get(root, "tests");
	ck_assert_msg(tests && tests->kind == PM_VAL_SEQ && tests->u.seq.n > 0,
		      "%s: no tests", path);
	struct pm_buf fails = PM_BUF_INIT;
	size_t passed = 0, n = tests->u.seq.n;
	for (size_t i = 0; i < n; i++) {
		struct pm_value *tc = tests->u.seq.items[i];
		struct pm_value *data = (struct pm_value *)pm_value_get(tc, "data");
		if (data)
			drop_number_text(data, 0);
		passed += run_case(file, tc, &fails);
	}
	printf("mustache spec %-18s %zu/%zu cases pass\n", file, passed, n);
	fflush(stdout);
	ck_assert_msg(passed == n, "%s: %zu of %zu cases fail:\n%s", file, n - passed, n,
		      pm_buf_cstr(&fails));
	pm_buf_release(&fails);
	pm_arena_release(&arena);
	free(path);
}
END_TEST

static Suite *mustache_spec_suite(void)
{
	Suite *s = suite_create("mustache_spec");
	TCase *tc = tcase_create("spec");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, spec_file, 0, (int)NFILES);
	suite_add_tcase(s, tc);
	return s;
}

/* dir/rel in a malloc'd string (tu_path asserts, which only a test may). */
static char *join_path(const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

int main(void)
{
	const char *shared = getenv("PM_SHARED_DIR");
	char *fallback = NULL;
	if (!shared || !*shared) {
		const char *root = getenv("PM_SOURCE_ROOT");
		fallback = join_path(root && *root ? root : ".", "../shared");
		shared = fallback;
	}
	spec_dir = shared ? join_path(shared, "mustache-spec") : NULL;
	free(fallback);
	if (!spec_dir)
		return 1;
	struct stat st;
	for (size_t i = 0; i < NFILES; i++) {
		char *path = join_path(spec_dir, spec_files[i]);
		int missing = !path || stat(path, &st) < 0;
		if (missing)
			fprintf(stderr, "check_mustache_spec: %s/%s is absent; skipping the "
				"Mustache specification tests\n", spec_dir, spec_files[i]);
		free(path);
		if (missing) {
			free(spec_dir);
			return 77;
		}
	}
	int rc = tu_run_suite(mustache_spec_suite());
	free(spec_dir);
	return rc;
}
