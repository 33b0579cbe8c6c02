/* check_config.c - .pmtool.yaml: the walk up, paths resolved from the
 * file's folder, disable and severity applied by pm_config_filter, the
 * limits, and the PM002 findings for a malformed file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "codes.h"
#include "config.h"
#include "error.h"
#include "testutil.h"

static char *tmpdir;
static int saved_cwd = -1;
static struct pm_arena arena;
static struct pm_diags diags;
static struct pm_config *cfg;
static struct pm_error err;

static void setup(void)
{
	tmpdir = tu_make_temp_dir();
	saved_cwd = open(".", O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(saved_cwd, 0);
	pm_arena_init(&arena);
	pm_diags_init(&diags, &arena);
	cfg = NULL;
	memset(&err, 0, sizeof(err));
}

static void teardown(void)
{
	pm_config_free(cfg);
	cfg = NULL;
	pm_arena_release(&arena);
	if (saved_cwd >= 0) {
		ck_assert_int_eq(fchdir(saved_cwd), 0);
		close(saved_cwd);
		saved_cwd = -1;
	}
	tu_remove_tree(tmpdir);
	free(tmpdir);
}

/* Creates tmpdir/rel (and its parents); returns the malloc'd path. */
static char *make_dirs(const char *rel)
{
	char *path = tu_path(tmpdir, rel);
	for (char *p = path + strlen(tmpdir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	ck_assert_int_eq(mkdir(path, 0700), 0);
	return path;
}

/* Writes text to tmpdir/rel. */
static void write_at(const char *rel, const char *text)
{
	char *path = tu_path(tmpdir, rel);
	tu_write_file(path, text);
	free(path);
}

/* Writes text as tmpdir/.pmtool.yaml and loads it; returns the result. */
static int load_text(const char *text)
{
	write_at(PM_CONFIG_NAME, text);
	char *path = tu_path(tmpdir, PM_CONFIG_NAME);
	int rc = pm_config_load(&cfg, path, &diags, &err);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(cfg->path, path);
	free(path);
	return rc;
}

/* Loads text that must fail with one PM002 finding at line:col whose
 * message contains what. */
static const struct pm_diag *load_fails(const char *text, uint32_t line, uint32_t col,
					const char *what)
{
	ck_assert_int_eq(load_text(text), PM_ERR_INVALID);
	ck_assert_msg(diags.n == 1, "expected one finding, got %zu (first: %s)", diags.n,
		      diags.n ? diags.items[0].message : "");
	const struct pm_diag *d = &diags.items[0];
	ck_assert_str_eq(d->code, PM_C_CONFIG);
	ck_assert_int_eq(d->severity, PM_SEV_ERROR);
	ck_assert_str_eq(d->path, cfg->path);
	ck_assert_uint_eq(d->line, line);
	ck_assert_uint_eq(d->col, col);
	ck_assert_msg(strstr(d->message, what), "message '%s' lacks '%s'", d->message, what);
	return d;
}

static void assert_default_limits(const struct pm_limits *l)
{
	struct pm_limits def = PM_LIMITS_DEFAULT;
	ck_assert_uint_eq(l->max_file_size, def.max_file_size);
	ck_assert_uint_eq(l->max_frontmatter, def.max_frontmatter);
	ck_assert_uint_eq(l->max_yaml_depth, def.max_yaml_depth);
	ck_assert_uint_eq(l->max_yaml_aliases, def.max_yaml_aliases);
	ck_assert_uint_eq(l->max_yaml_nodes, def.max_yaml_nodes);
	ck_assert_uint_eq(l->max_table_columns, def.max_table_columns);
	ck_assert_uint_eq(l->max_table_rows, def.max_table_rows);
	ck_assert_uint_eq(l->max_sections, def.max_sections);
}

/* ---- finding the file ---- */

START_TEST(find_walks_up_and_resolves_from_config_folder)
{
	write_at(PM_CONFIG_NAME, "docs_root: docs\nschema: ./schema\nusers: people/users.yaml\n");
	char *deep = make_dirs("a/b/c");
	ck_assert_int_eq(pm_config_find(&cfg, deep, &diags, &err), 0);
	tu_assert_no_diags(&diags);
	char *want = tu_path(tmpdir, PM_CONFIG_NAME);
	ck_assert_str_eq(cfg->path, want);
	ck_assert_str_eq(cfg->base, tmpdir);
	free(want);
	want = tu_path(tmpdir, "docs");
	ck_assert_str_eq(cfg->docs_root, want);
	free(want);
	want = tu_path(tmpdir, "./schema");
	ck_assert_str_eq(cfg->schema_dir, want);
	free(want);
	want = tu_path(tmpdir, "people/users.yaml");
	ck_assert_str_eq(cfg->users_file, want);
	free(want);
	free(deep);
}
END_TEST

START_TEST(find_takes_the_nearest)
{
	write_at(PM_CONFIG_NAME, "docs_root: outer\n");
	char *a = make_dirs("a");
	write_at("a/" PM_CONFIG_NAME, "docs_root: inner\n");
	char *ab = make_dirs("a/b");
	ck_assert_int_eq(pm_config_find(&cfg, ab, &diags, &err), 0);
	ck_assert_str_eq(cfg->base, a);
	char *want = tu_path(a, "inner");
	ck_assert_str_eq(cfg->docs_root, want);
	free(want);
	/* The start folder itself counts. */
	pm_config_free(cfg);
	ck_assert_int_eq(pm_config_find(&cfg, a, &diags, &err), 0);
	ck_assert_str_eq(cfg->base, a);
	free(a);
	free(ab);
}
END_TEST

START_TEST(find_from_relative_subfolder_keeps_paths_relative)
{
	write_at(PM_CONFIG_NAME, "docs_root: docs\nusers: /etc/pm/users.yaml\n");
	char *sub = make_dirs("x/y");
	ck_assert_int_eq(chdir(sub), 0);
	ck_assert_int_eq(pm_config_find(&cfg, ".", &diags, &err), 0);
	ck_assert_str_eq(cfg->path, "../../" PM_CONFIG_NAME);
	ck_assert_str_eq(cfg->base, "../..");
	ck_assert_str_eq(cfg->docs_root, "../../docs");
	ck_assert_str_eq(cfg->users_file, "/etc/pm/users.yaml");	/* absolute: as written */
	/* The resolved folder is the real one, seen from the subfolder. */
	struct stat a, b;
	char *docs = tu_path(tmpdir, "docs");
	ck_assert_int_eq(mkdir(docs, 0700), 0);
	ck_assert_int_eq(stat(docs, &a), 0);
	ck_assert_int_eq(stat(cfg->docs_root, &b), 0);
	ck_assert(a.st_ino == b.st_ino && a.st_dev == b.st_dev);
	free(docs);
	free(sub);
}
END_TEST

START_TEST(find_in_current_folder)
{
	write_at(PM_CONFIG_NAME, "docs_root: docs\n");
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(pm_config_find(&cfg, NULL, &diags, &err), 0);
	ck_assert_str_eq(cfg->path, PM_CONFIG_NAME);
	ck_assert_str_eq(cfg->base, ".");
	ck_assert_str_eq(cfg->docs_root, "docs");
	/* "sub/.." is tidied away before the walk. */
	char *sub = make_dirs("sub");
	pm_config_free(cfg);
	ck_assert_int_eq(pm_config_find(&cfg, "sub/../sub/", &diags, &err), 0);
	ck_assert_str_eq(cfg->path, PM_CONFIG_NAME);
	free(sub);
}
END_TEST

START_TEST(find_nothing_gives_defaults)
{
	/* Nothing in tmpdir; a stray config above it (in /tmp or /) would be
	 * found legitimately, so only check that none came from below. */
	char *deep = make_dirs("p/q");
	ck_assert_int_eq(pm_config_find(&cfg, deep, &diags, &err), 0);
	ck_assert_ptr_nonnull(cfg);
	tu_assert_no_diags(&diags);
	if (cfg->path) {
		ck_assert_msg(strncmp(cfg->path, tmpdir, strlen(tmpdir)) != 0,
			      "found %s inside an empty tree", cfg->path);
	} else {
		ck_assert_ptr_null(cfg->base);
		ck_assert_ptr_null(cfg->docs_root);
		ck_assert_uint_eq(cfg->ndisabled, 0);
		assert_default_limits(&cfg->limits);
	}
	free(deep);
}
END_TEST

START_TEST(find_from_a_file_or_missing_folder_fails)
{
	write_at("f.md", "x");
	char *f = tu_path(tmpdir, "f.md");
	ck_assert_int_eq(pm_config_find(&cfg, f, &diags, &err), PM_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a folder"));
	pm_config_free(cfg);
	char *missing = tu_path(tmpdir, "nope");
	ck_assert_int_eq(pm_config_find(&cfg, missing, &diags, &err), PM_ERR_IO);
	ck_assert_ptr_nonnull(strstr(err.msg, "nope"));
	free(f);
	free(missing);
}
END_TEST

START_TEST(load_missing_file_is_io_error)
{
	char *path = tu_path(tmpdir, "absent.yaml");
	ck_assert_int_eq(pm_config_load(&cfg, path, &diags, &err), PM_ERR_IO);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_ptr_nonnull(strstr(err.msg, "absent.yaml"));
	ck_assert_uint_eq(diags.n, 0);
	free(path);
}
END_TEST

/* ---- contents ---- */

START_TEST(empty_file_gives_defaults)
{
	ck_assert_int_eq(load_text("# nothing yet\n"), 0);
	tu_assert_no_diags(&diags);
	ck_assert_ptr_null(cfg->docs_root);
	ck_assert_ptr_null(cfg->schema_dir);
	ck_assert_ptr_null(cfg->users_file);
	ck_assert_uint_eq(cfg->ndisabled, 0);
	ck_assert_uint_eq(cfg->noverrides, 0);
	assert_default_limits(&cfg->limits);
}
END_TEST

START_TEST(limits_are_parsed)
{
	ck_assert_int_eq(load_text("limits:\n  max_file_size: 1000\n  max_sections: 7\n"
				   "  max_yaml_depth: 3\n"), 0);
	tu_assert_no_diags(&diags);
	struct pm_limits def = PM_LIMITS_DEFAULT;
	ck_assert_uint_eq(cfg->limits.max_file_size, 1000);
	ck_assert_uint_eq(cfg->limits.max_sections, 7);
	ck_assert_uint_eq(cfg->limits.max_yaml_depth, 3);
	ck_assert_uint_eq(cfg->limits.max_frontmatter, def.max_frontmatter);
	ck_assert_uint_eq(cfg->limits.max_table_rows, def.max_table_rows);
}
END_TEST

static const char *const bad_limits[] = {
	"limits:\n  max_file_size: 0\n",
	"limits:\n  max_file_size: -5\n",
	"limits:\n  max_file_size: 1.5\n",
	"limits:\n  max_file_size: lots\n",
	"limits:\n  max_file_size: '100'\n",
	"limits:\n  max_file_size: [1]\n",
};

START_TEST(limits_must_be_positive_integers)
{
	const struct pm_diag *d = load_fails(bad_limits[_i], 2, 18, "positive integer");
	ck_assert_ptr_nonnull(strstr(d->message, "max_file_size"));
}
END_TEST

START_TEST(unknown_key_suggests)
{
	const struct pm_diag *d = load_fails("docs_root: docs\n\nschmea: s\n", 3, 1,
					     "unknown key 'schmea'");
	ck_assert_str_eq(d->hint, "did you mean 'schema'?");
	pm_config_free(cfg);
	cfg = NULL;
	diags.n = 0;
	d = load_fails("limits:\n  max_file_size: 9\n  max_yaml_dept: 3\n", 3, 3,
		       "unknown limit 'max_yaml_dept'");
	ck_assert_str_eq(d->hint, "did you mean 'max_yaml_depth'?");
}
END_TEST

START_TEST(unknown_key_without_close_match_has_no_hint)
{
	const struct pm_diag *d = load_fails("colour: always\n", 1, 1, "unknown key 'colour'");
	ck_assert_ptr_null(d->hint);
}
END_TEST

START_TEST(unknown_code_in_disable)
{
	const struct pm_diag *d = load_fails("disable:\n  - PM307\n  - PM9999\n", 3, 5,
					     "unknown code 'PM9999'");
	ck_assert_ptr_nonnull(strstr(d->message, "'disable'"));
	pm_config_free(cfg);
	cfg = NULL;
	diags.n = 0;
	d = load_fails("disable: unknwn-field\n", 1, 10, "unknown code 'unknwn-field'");
	ck_assert_str_eq(d->hint, "did you mean 'unknown-field'?");
}
END_TEST

START_TEST(unknown_code_in_severity)
{
	const struct pm_diag *d = load_fails("severity:\n  PM502: error\n  emptysection: off\n",
					     3, 3, "unknown code 'emptysection'");
	ck_assert_str_eq(d->hint, "did you mean 'empty-section'?");
}
END_TEST

START_TEST(bad_severity_word)
{
	const struct pm_diag *d = load_fails("severity: {PM502: warn}\n", 1, 19,
					     "must be error, warning, note or off");
	ck_assert_str_eq(d->hint, "did you mean 'warning'?");
	pm_config_free(cfg);
	cfg = NULL;
	diags.n = 0;
	d = load_fails("severity: {PM502: eror}\n", 1, 19, "'PM502'");
	ck_assert_str_eq(d->hint, "did you mean 'error'?");
	pm_config_free(cfg);
	cfg = NULL;
	diags.n = 0;
	d = load_fails("severity: {PM502: fatal}\n", 1, 19, "'PM502'");
	ck_assert_str_eq(d->hint, "use error, warning, note or off");
}
END_TEST

START_TEST(severity_set_twice)
{
	load_fails("severity:\n  PM502: error\n  empty-section: off\n", 3, 3, "set twice");
}
END_TEST

START_TEST(paths_must_be_text)
{
	load_fails("docs_root: [a, b]\n", 1, 12, "must be a path");
	pm_config_free(cfg);
	cfg = NULL;
	diags.n = 0;
	load_fails("schema: ''\n", 1, 9, "is empty");
}
END_TEST

START_TEST(yaml_problems_are_config_errors)
{
	ck_assert_int_eq(load_text("docs_root: [unclosed\n"), PM_ERR_INVALID);
	ck_assert_uint_ge(diags.n, 1);
	for (size_t i = 0; i < diags.n; i++) {
		ck_assert_str_eq(diags.items[i].code, PM_C_CONFIG);
		ck_assert_uint_ge(diags.items[i].line, 1);
	}
	pm_config_free(cfg);
	cfg = NULL;
	diags.n = 0;
	load_fails("- a\n- b\n", 1, 1, "not a mapping");
}
END_TEST

START_TEST(config_code_is_in_the_table)
{
	const struct pm_code_info *ci = pm_code_lookup("config-error");
	ck_assert_ptr_nonnull(ci);
	ck_assert_str_eq(ci->code, "PM002");
	ck_assert_int_eq(ci->severity, PM_SEV_ERROR);
	ck_assert_ptr_eq(pm_code_lookup(PM_C_CONFIG), ci);
}
END_TEST

/* ---- filtering ---- */

static void add(const char *code, enum pm_severity sev)
{
	ck_assert_ptr_nonnull(pm_diags_add(&diags, "d.md", 1, 1, sev, code, "finding %s",
					   code));
}

static const struct pm_diag *get(const char *code)
{
	return tu_find_diag(&diags, code);
}

START_TEST(filter_applies_disable_and_severity)
{
	ck_assert_int_eq(load_text("disable: [PM307, overdue-action-item]\n"
				   "severity:\n"
				   "  PM502: error\n"
				   "  PM101: warning\n"
				   "  missing-field: note\n"
				   "  duplicate-key: off\n"), 0);
	tu_assert_no_diags(&diags);
	ck_assert_uint_eq(cfg->ndisabled, 3);
	ck_assert_str_eq(cfg->disabled[0], "PM307");
	ck_assert_str_eq(cfg->disabled[1], "overdue-action-item");
	ck_assert_str_eq(cfg->disabled[2], "duplicate-key");
	ck_assert_uint_eq(cfg->noverrides, 3);
	ck_assert_str_eq(cfg->overrides[2].code, "PM301");	/* canonical */
	ck_assert_int_eq(cfg->overrides[2].severity, PM_SEV_NOTE);

	add("PM307", PM_SEV_WARNING);
	add("PM502", PM_SEV_WARNING);
	add("PM607", PM_SEV_WARNING);
	add("PM101", PM_SEV_ERROR);
	add("PM105", PM_SEV_ERROR);
	add("PM301", PM_SEV_ERROR);
	add("PM203", PM_SEV_ERROR);
	add("XX999", PM_SEV_WARNING);	/* not in the table: passed through */
	ck_assert_int_eq(pm_config_filter(cfg, NULL, &diags, &err), 0);
	ck_assert_uint_eq(diags.n, 5);
	ck_assert_ptr_null(get("PM307"));
	ck_assert_ptr_null(get("PM607"));
	ck_assert_ptr_null(get("PM105"));
	ck_assert_int_eq(get("PM502")->severity, PM_SEV_ERROR);
	ck_assert_int_eq(get("PM101")->severity, PM_SEV_WARNING);
	ck_assert_int_eq(get("PM301")->severity, PM_SEV_NOTE);
	ck_assert_int_eq(get("PM203")->severity, PM_SEV_ERROR);
	ck_assert_int_eq(get("XX999")->severity, PM_SEV_WARNING);
	/* The order of what is kept does not change. */
	ck_assert_str_eq(diags.items[0].code, "PM502");
	ck_assert_str_eq(diags.items[4].code, "XX999");
}
END_TEST

START_TEST(filter_disable_beats_severity)
{
	ck_assert_int_eq(load_text("disable: [PM502]\nseverity: {empty-section: error}\n"), 0);
	add("PM502", PM_SEV_WARNING);
	ck_assert_int_eq(pm_config_filter(cfg, NULL, &diags, &err), 0);
	ck_assert_uint_eq(diags.n, 0);
}
END_TEST

START_TEST(filter_extra_codes_from_command_line)
{
	add("PM203", PM_SEV_ERROR);
	add("PM105", PM_SEV_ERROR);
	add("PM301", PM_SEV_ERROR);
	ck_assert_int_eq(pm_config_filter(NULL, " PM203 ,duplicate-key,,", &diags, &err), 0);
	ck_assert_uint_eq(diags.n, 1);
	ck_assert_str_eq(diags.items[0].code, "PM301");
}
END_TEST

START_TEST(filter_unknown_extra_code_fails_untouched)
{
	add("PM203", PM_SEV_ERROR);
	add("PM301", PM_SEV_ERROR);
	ck_assert_int_eq(pm_config_filter(NULL, "PM203,PM9999", &diags, &err), PM_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "'PM9999'"));
	ck_assert_uint_eq(diags.n, 2);
	ck_assert_int_eq(pm_config_filter(NULL, "missing-feild", &diags, &err),
			 PM_ERR_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "did you mean 'missing-field'?"));
	ck_assert_uint_eq(diags.n, 2);
}
END_TEST

START_TEST(filter_without_config_changes_nothing)
{
	add("PM203", PM_SEV_ERROR);
	add("PM307", PM_SEV_WARNING);
	ck_assert_int_eq(pm_config_filter(NULL, NULL, &diags, &err), 0);
	ck_assert_uint_eq(diags.n, 2);
	ck_assert_int_eq(diags.items[1].severity, PM_SEV_WARNING);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *config_suite(void);

Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("find");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, find_walks_up_and_resolves_from_config_folder);
	tcase_add_test(tc, find_takes_the_nearest);
	tcase_add_test(tc, find_from_relative_subfolder_keeps_paths_relative);
	tcase_add_test(tc, find_in_current_folder);
	tcase_add_test(tc, find_nothing_gives_defaults);
	tcase_add_test(tc, find_from_a_file_or_missing_folder_fails);
	tcase_add_test(tc, load_missing_file_is_io_error);
	suite_add_tcase(s, tc);

	tc = tcase_create("contents");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, empty_file_gives_defaults);
	tcase_add_test(tc, limits_are_parsed);
	tcase_add_loop_test(tc, limits_must_be_positive_integers, 0, NCASES(bad_limits));
	tcase_add_test(tc, unknown_key_suggests);
	tcase_add_test(tc, unknown_key_without_close_match_has_no_hint);
	tcase_add_test(tc, unknown_code_in_disable);
	tcase_add_test(tc, unknown_code_in_severity);
	tcase_add_test(tc, bad_severity_word);
	tcase_add_test(tc, severity_set_twice);
	tcase_add_test(tc, paths_must_be_text);
	tcase_add_test(tc, yaml_problems_are_config_errors);
	tcase_add_test(tc, config_code_is_in_the_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("filter");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, filter_applies_disable_and_severity);
	tcase_add_test(tc, filter_disable_beats_severity);
	tcase_add_test(tc, filter_extra_codes_from_command_line);
	tcase_add_test(tc, filter_unknown_extra_code_fails_untouched);
	tcase_add_test(tc, filter_without_config_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(config_suite());
}
