/* check_mustache.c - the Mustache engine on its own: rendering, syntax
 * errors with positions, the limits, escaping, numbers as YAML wrote them,
 * partials compiled once per render, renders on several threads.  The
 * official specification runs in check_mustache_spec.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "frontmatter.h"
#include "mustache.h"
#include "source.h"
#include "testutil.h"
#include "value.h"

static struct pm_arena arena;

static void setup(void)
{
	pm_arena_init(&arena);
}

static void teardown(void)
{
	pm_arena_release(&arena);
}

/* Loads YAML text into a value tree in the fixture's arena. */
static struct pm_value *yaml(const char *text)
{
	struct pm_source src;
	struct pm_diags diags;
	pm_diags_init(&diags, &arena);
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	ck_assert_int_eq(pm_source_from_memory(&src, &arena, "data.yaml", text, strlen(text)), 0);
	struct pm_value *v = NULL;
	int rc = pm_yaml_load(&v, &src, &arena, &lim, &diags);
	ck_assert_msg(rc == 0, "data.yaml: %s", diags.n ? diags.items[0].message : "?");
	return v;
}

/* Partials from a NULL-terminated list of name, text pairs; counts loads. */
struct named {
	const char *const *pairs;
	int loads;
};

static const char *load_named(void *ctx, const char *name, size_t *len)
{
	struct named *nm = ctx;
	nm->loads++;
	for (const char *const *p = nm->pairs; p && p[0]; p += 2) {
		if (!strcmp(p[0], name)) {
			*len = strlen(p[1]);
			return p[1];
		}
	}
	return NULL;
}

/* Compiles and renders; returns the result code, the output in *out (a
 * malloc'd string the caller frees) and the message in err. */
static int render_full(const char *tmpl, const struct pm_value *data,
		       const char *const *partials, char **out, struct pm_error *err)
{
	struct pm_mustache *t = NULL;
	int rc = pm_mustache_compile(&t, "t", tmpl, strlen(tmpl), err);
	*out = NULL;
	if (rc < 0)
		return rc;
	struct named nm = { partials, 0 };
	struct pm_mustache_partials p = { load_named, &nm };
	struct pm_buf b = PM_BUF_INIT;
	rc = pm_mustache_render(t, data, &p, &b, err);
	*out = strdup(pm_buf_cstr(&b));
	pm_buf_release(&b);
	pm_mustache_free(t);
	return rc;
}

/* Renders text that must render; checks the output. */
static void check_render(const char *tmpl, const struct pm_value *data,
			 const char *const *partials, const char *expected)
{
	char *out;
	struct pm_error err = { 0 };
	int rc = render_full(tmpl, data, partials, &out, &err);
	ck_assert_msg(rc == 0, "'%s': %s", tmpl, err.msg);
	ck_assert_msg(!strcmp(out, expected), "'%s' rendered '%s', not '%s'", tmpl, out,
		      expected);
	free(out);
}

/* ---- rendering ---------------------------------------------------------- */

START_TEST(renders_variables_and_sections)
{
	struct pm_value *d = yaml("title: Pool exhaustion\n"
				  "owner: {name: onni, team: {name: db}}\n"
				  "tags: [db, pool]\n"
				  "empty: []\n"
				  "blank: ''\n"
				  "zero: 0\n"
				  "off: false\n"
				  "nothing: null\n");
	check_render("# {{title}}", d, NULL, "# Pool exhaustion");
	check_render("{{owner.name}}/{{owner.team.name}}/{{owner.nope.name}}", d, NULL,
		     "onni/db/");
	check_render("{{#tags}}[{{.}}]{{/tags}}", d, NULL, "[db][pool]");
	check_render("{{#owner}}{{name}} in {{title}}{{/owner}}", d, NULL,
		     "onni in Pool exhaustion");
	check_render("{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", d, NULL, "none");
	check_render("{{#blank}}x{{/blank}}{{^blank}}blank{{/blank}}", d, NULL, "blank");
	check_render("{{#zero}}zero is {{.}}{{/zero}}", d, NULL, "zero is 0");
	check_render("{{#off}}x{{/off}}{{#nothing}}y{{/nothing}}{{nothing}}.", d, NULL, ".");
	check_render("{{#owner.team}}{{name}}{{/owner.team}}", d, NULL, "db");
	/* A dotted name's first part resolves up the stack, the rest down only. */
	check_render("{{#owner}}{{#team}}{{title}} {{owner.name}} {{team.nope}}|{{/team}}{{/owner}}",
		     d, NULL, "Pool exhaustion onni |");
	check_render("{{! a comment }}a{{=<% %>=}}<%title%>|<%={{ }}=%>{{owner.name}}", d, NULL,
		     "aPool exhaustion|onni");
}
END_TEST

START_TEST(renders_without_data_or_partials)
{
	struct pm_mustache *t;
	struct pm_error err = { 0 };
	const char *src = "a{{x}}{{#x}}y{{/x}}{{^x}}n{{/x}}{{>missing}}{{<missing}}{{/missing}}b";
	ck_assert_int_eq(pm_mustache_compile(&t, "t.mustache", src, strlen(src), &err), 0);
	ck_assert_str_eq(pm_mustache_name(t), "t.mustache");
	struct pm_buf b = PM_BUF_INIT;
	pm_buf_adds(&b, "kept:");
	ck_assert_int_eq(pm_mustache_render(t, NULL, NULL, &b, &err), 0);
	ck_assert_str_eq(pm_buf_cstr(&b), "kept:anb");
	/* A template renders any number of times. */
	ck_assert_int_eq(pm_mustache_render(t, NULL, NULL, &b, &err), 0);
	ck_assert_str_eq(pm_buf_cstr(&b), "kept:anbanb");
	pm_buf_release(&b);
	pm_mustache_free(t);
	pm_mustache_free(NULL);
}
END_TEST

START_TEST(escapes_html)
{
	struct pm_value *d = yaml("x: \"<script>alert('hi') && \\\"bye\\\"</script>\"\n");
	const char *escaped = "&lt;script&gt;alert(&#39;hi&#39;) &amp;&amp; "
			      "&quot;bye&quot;&lt;/script&gt;";
	check_render("{{x}}", d, NULL, escaped);
	check_render("{{{x}}}|{{&x}}", d, NULL,
		     "<script>alert('hi') && \"bye\"</script>|<script>alert('hi') && \"bye\"</script>");
	/* Template text itself is never escaped. */
	check_render("<b a=\"'\">&</b>", d, NULL, "<b a=\"'\">&</b>");

	struct pm_buf b = PM_BUF_INIT;
	pm_html_escape(&b, "a<b>&\"'c", 9);
	ck_assert_str_eq(pm_buf_cstr(&b), "a&lt;b&gt;&amp;&quot;&#39;c");
	pm_buf_reset(&b);
	pm_html_escape(&b, "plain", 5);
	pm_html_escape(&b, "", 0);
	ck_assert_str_eq(pm_buf_cstr(&b), "plain");
	pm_buf_release(&b);
}
END_TEST

START_TEST(numbers_print_as_yaml_wrote_them)
{
	struct pm_value *d = yaml("version: 1.10\n"
				  "padded: 007\n"
				  "sci: 1e3\n"
				  "hex: 0x1F\n"
				  "neg: -0.0\n"
				  "yes: True\n"
				  "big: 12345678901234567890\n");
	check_render("{{version}} {{padded}} {{sci}} {{hex}} {{neg}} {{yes}} {{big}}", d, NULL,
		     "1.10 007 1e3 0x1F -0.0 True 12345678901234567890");

	/* Values without source text: integers in decimal, floats with %.15g. */
	struct pm_value *m = pm_value_new(&arena, PM_VAL_MAP);
	struct pm_value *i = pm_value_new(&arena, PM_VAL_INT);
	i->u.i = -42;
	struct pm_value *f = pm_value_new(&arena, PM_VAL_FLOAT);
	f->u.f = 0.1 + 0.2;
	struct pm_value *g = pm_value_new(&arena, PM_VAL_FLOAT);
	g->u.f = 1.210;
	struct pm_value *t = pm_value_new(&arena, PM_VAL_BOOL);
	t->u.b = true;
	pm_value_set(&arena, m, "i", i);
	pm_value_set(&arena, m, "f", f);
	pm_value_set(&arena, m, "g", g);
	pm_value_set(&arena, m, "t", t);
	pm_value_set(&arena, m, "built", pm_value_num(&arena, 2.5));
	check_render("{{i}} {{f}} {{g}} {{t}} {{built}}", m, NULL, "-42 0.3 1.21 true 2.5");
}
END_TEST

START_TEST(partials_indent_and_inherit)
{
	struct pm_value *d = yaml("items: [a, b]\nname: x\n");
	static const char *const partials[] = {
		"list", "<ul>\n{{#items}}\n  {{>item}}\n{{/items}}\n</ul>\n",
		"item", "<li>{{.}}</li>\n",
		"layout", "<main>\n  {{$body}}\n  default\n  {{/body}}\n</main>\n",
		NULL,
	};
	check_render("<div>\n  {{>list}}\n</div>\n", d, partials,
		     "<div>\n  <ul>\n    <li>a</li>\n    <li>b</li>\n  </ul>\n</div>\n");
	check_render("{{<layout}}{{/layout}}", d, partials, "<main>\n  default\n</main>\n");
	check_render("{{<layout}}\n{{$body}}\n<p>{{name}}</p>\n{{#items}}\n<i>{{.}}</i>\n{{/items}}\n"
		     "{{/body}}\n{{/layout}}\n", d, partials,
		     "<main>\n  <p>x</p>\n  <i>a</i>\n  <i>b</i>\n</main>\n");
}
END_TEST

/* ---- syntax errors ------------------------------------------------------ */

struct syntax_case {
	const char *src;
	int code;
	const char *msg;
};

static const struct syntax_case syntax_cases[] = {
	{ "a\n  {{#x}}b", PM_ERR_INVALID, "t:2:3: unclosed section 'x'" },
	{ "{{#a}}{{^b}}{{/b}}", PM_ERR_INVALID, "t:1:1: unclosed section 'a'" },
	{ "{{#a}}\n{{/b}}", PM_ERR_INVALID,
	  "t:2:1: closing tag 'b' does not match section 'a' opened at 1:1" },
	{ "x {{/a}}", PM_ERR_INVALID, "t:1:3: unexpected closing tag 'a'" },
	{ "ab\ncd {{name", PM_ERR_INVALID, "t:2:4: unclosed tag (no '}}' after '{{')" },
	{ "{{{name}}", PM_ERR_INVALID, "t:1:1: unclosed tag (no '}}}' after '{{')" },
	{ "\xc3\xa9t\xc3\xa9 {{#x}}", PM_ERR_INVALID, "t:1:5: unclosed section 'x'" },
	{ "{{=<% %>=}}\n<%#a%>{{/a}}", PM_ERR_INVALID, "t:2:1: unclosed section 'a'" },
	{ "{{=<%%>=}}", PM_ERR_INVALID, "t:1:1: invalid delimiters '<%%>'" },
	{ "{{= <% = %> =}}", PM_ERR_INVALID, "t:1:1: invalid delimiters '<% = %>'" },
	{ "a {{}}", PM_ERR_INVALID, "t:1:3: empty tag" },
	{ "{{# }}{{/}}", PM_ERR_INVALID, "t:1:1: empty tag" },
	{ "{{a b}}", PM_ERR_INVALID, "t:1:1: invalid tag name 'a b'" },
	{ "{{<p}}{{$b}}x{{/b}}", PM_ERR_INVALID, "t:1:1: unclosed parent 'p'" },
	{ "{{$b}}x{{/c}}", PM_ERR_INVALID,
	  "t:1:8: closing tag 'c' does not match block 'b' opened at 1:1" },
	{ "{{! unclosed comment", PM_ERR_INVALID, "t:1:1: unclosed tag" },
};

START_TEST(syntax_errors)
{
	const struct syntax_case *sc = &syntax_cases[_i];
	struct pm_mustache *t = (struct pm_mustache *)1;
	struct pm_error err = { 0 };
	int rc = pm_mustache_compile(&t, "t", sc->src, strlen(sc->src), &err);
	ck_assert_msg(rc == sc->code, "'%s': got %d (%s)", sc->src, rc, err.msg);
	ck_assert_ptr_null(t);
	ck_assert_int_eq(err.code, sc->code);
	ck_assert_msg(!strncmp(err.msg, sc->msg, strlen(sc->msg)),
		      "'%s': message '%s', wanted '%s...'", sc->src, err.msg, sc->msg);
}
END_TEST

START_TEST(partial_syntax_error_names_the_partial)
{
	static const char *const partials[] = { "bad", "line one\n{{#open}}", NULL };
	char *out;
	struct pm_error err = { 0 };
	ck_assert_int_eq(render_full("before {{>bad}}", NULL, partials, &out, &err),
			 PM_ERR_INVALID);
	ck_assert_str_eq(err.msg, "bad:2:1: unclosed section 'open'");
	ck_assert_str_eq(out, "");	/* cut back */
	free(out);
}
END_TEST

/* ---- limits ------------------------------------------------------------- */

START_TEST(section_nesting_limit)
{
	struct pm_buf src = PM_BUF_INIT;
	for (int i = 0; i < PM_MUSTACHE_MAX_SECTION_DEPTH; i++)
		pm_buf_adds(&src, "{{#a}}");
	for (int i = 0; i < PM_MUSTACHE_MAX_SECTION_DEPTH; i++)
		pm_buf_adds(&src, "{{/a}}");
	struct pm_mustache *t = NULL;
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_mustache_compile(&t, "t", src.data, src.len, &err), 0);
	pm_mustache_free(t);

	pm_buf_reset(&src);
	for (int i = 0; i <= PM_MUSTACHE_MAX_SECTION_DEPTH; i++)
		pm_buf_adds(&src, "{{^a}}");
	ck_assert_int_eq(pm_mustache_compile(&t, "t", src.data, src.len, &err), PM_ERR_LIMIT);
	ck_assert_str_eq(err.msg, "t:1:1537: sections nested deeper than 256");
	pm_buf_release(&src);

	/* Over a whole render, through partials. */
	static const char *const partials[] = {
		"p", "{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{>q}}"
		     "{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}",
		"q", "{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{#t}}{{>p}}"
		     "{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}{{/t}}",
		NULL,
	};
	char *out;
	ck_assert_int_eq(render_full("{{>p}}", yaml("t: true\n"), partials, &out, &err),
			 PM_ERR_LIMIT);
	ck_assert_msg(strstr(err.msg, "sections nested deeper than 256"), "%s", err.msg);
	free(out);
}
END_TEST

START_TEST(self_including_partial_stops)
{
	static const char *const partials[] = {
		"self", "x{{>self}}",
		"ping", "{{<pong}}{{/pong}}",
		"pong", "{{$b}}{{<ping}}{{/ping}}{{/b}}",
		NULL,
	};
	char *out;
	int rc;
	struct pm_error err = { 0 };
	ck_assert_int_eq(render_full("{{>self}}", NULL, partials, &out, &err), PM_ERR_LIMIT);
	ck_assert_str_eq(err.msg,
			 "partial 'self' nested deeper than 64 levels (does it include itself?)");
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_int_eq(render_full("a\n  {{>ping}}\n", NULL, partials, &out, &err),
			 PM_ERR_LIMIT);
	ck_assert_msg(strstr(err.msg, "nested deeper than 64 levels"), "%s", err.msg);
	free(out);

	/* 64 levels are fine, 65 are not. */
	static const char *const chain[] = { "p", "{{#n}}{{x}}{{>p}}{{/n}}", NULL };
	for (int levels = 64; levels <= 65; levels++) {
		/* levels - 1 mappings nested under n; the innermost n is false. */
		struct pm_buf data = PM_BUF_INIT;
		for (int i = 0; i < levels - 1; i++)
			pm_buf_printf(&data, "n: { x: %d, ", i % 10);
		pm_buf_adds(&data, "n: false");
		for (int i = 0; i < levels - 1; i++)
			pm_buf_adds(&data, " }");
		pm_buf_addc(&data, '\n');
		struct pm_limits lim = PM_LIMITS_DEFAULT;
		lim.max_yaml_depth = 100;
		struct pm_source src;
		struct pm_diags diags;
		pm_diags_init(&diags, &arena);
		ck_assert_int_eq(pm_source_from_memory(&src, &arena, "d", data.data, data.len), 0);
		struct pm_value *d = NULL;
		ck_assert_int_eq(pm_yaml_load(&d, &src, &arena, &lim, &diags), 0);
		rc = render_full("{{>p}}", d, chain, &out, &err);
		if (levels == 64) {
			ck_assert_msg(rc == 0, "%s", err.msg);
			ck_assert_uint_eq(strlen(out), 63);
		} else {
			ck_assert_int_eq(rc, PM_ERR_LIMIT);
		}
		free(out);
		pm_buf_release(&data);
	}
}
END_TEST

/* A list of n integers, built in the fixture's arena. */
static struct pm_value *int_list(size_t n)
{
	struct pm_value *l = pm_value_new(&arena, PM_VAL_SEQ);
	for (size_t i = 0; i < n; i++)
		ck_assert_ptr_nonnull(pm_value_push(&arena, l, pm_value_int(&arena, (int64_t)i)));
	return l;
}

START_TEST(huge_output_stops)
{
	struct pm_value *m = pm_value_new(&arena, PM_VAL_MAP);
	pm_value_set(&arena, m, "l", int_list(1000));
	const char *src = "{{#l}}{{#l}}{{#l}}<p>{{.}}</p>{{/l}}{{/l}}{{/l}}";
	struct pm_mustache *t;
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_mustache_compile(&t, "t", src, strlen(src), &err), 0);
	struct pm_buf b = PM_BUF_INIT;
	pm_buf_adds(&b, "keep");
	ck_assert_int_eq(pm_mustache_render(t, m, NULL, &b, &err), PM_ERR_LIMIT);
	ck_assert_str_eq(err.msg, "template output is larger than 64 MiB");
	ck_assert_str_eq(pm_buf_cstr(&b), "keep");
	ck_assert(!b.failed);
	pm_buf_release(&b);
	pm_mustache_free(t);
}
END_TEST

/* ---- partials are compiled once per render ------------------------------ */

START_TEST(partial_in_a_long_loop)
{
	enum { N = 10000 };
	struct pm_value *m = pm_value_new(&arena, PM_VAL_MAP);
	struct pm_value *items = pm_value_new(&arena, PM_VAL_SEQ);
	for (int i = 0; i < N; i++) {
		struct pm_value *it = pm_value_new(&arena, PM_VAL_MAP);
		pm_value_set(&arena, it, "n", pm_value_int(&arena, i));
		pm_value_set(&arena, it, "title", pm_value_str(&arena, i % 2 ? "a<b" : "c"));
		ck_assert_ptr_nonnull(pm_value_push(&arena, items, it));
	}
	pm_value_set(&arena, m, "items", items);
	static const char *const partials[] = {
		"item", "<li id=\"{{n}}\">{{title}}</li>\n",
		NULL,
	};
	const char *src = "<ul>\n{{#items}}\n  {{>item}}\n{{/items}}\n</ul>\n";
	struct pm_mustache *t;
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_mustache_compile(&t, "t", src, strlen(src), &err), 0);
	struct named nm = { partials, 0 };
	struct pm_mustache_partials p = { load_named, &nm };
	struct pm_buf b = PM_BUF_INIT;
	ck_assert_int_eq(pm_mustache_render(t, m, &p, &b, &err), 0);
	ck_assert_int_eq(nm.loads, 1);

	struct pm_buf want = PM_BUF_INIT;
	pm_buf_adds(&want, "<ul>\n");
	for (int i = 0; i < N; i++)
		pm_buf_printf(&want, "  <li id=\"%d\">%s</li>\n", i, i % 2 ? "a&lt;b" : "c");
	pm_buf_adds(&want, "</ul>\n");
	ck_assert_uint_eq(b.len, want.len);
	ck_assert(!memcmp(b.data, want.data, want.len));

	/* A second render loads it again: the cache lives for one render. */
	ck_assert_int_eq(pm_mustache_render(t, m, &p, &b, &err), 0);
	ck_assert_int_eq(nm.loads, 2);
	pm_buf_release(&want);
	pm_buf_release(&b);
	pm_mustache_free(t);
}
END_TEST

/* ---- threads ------------------------------------------------------------ */

struct job {
	const struct pm_mustache *t;
	const struct pm_value *data;
	char *out;
	int rc;
};

static const char *const thread_partials[] = {
	"row", "{{#.}}[{{.}}]{{/.}}{{<frame}}{{$x}}!{{/x}}{{/frame}}\n",
	"frame", "<{{$x}}?{{/x}}>",
	NULL,
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	struct named nm = { thread_partials, 0 };
	struct pm_mustache_partials p = { load_named, &nm };
	struct pm_error err = { 0 };
	struct pm_buf b = PM_BUF_INIT;
	for (int k = 0; k < 20 && j->rc == 0; k++) {
		pm_buf_reset(&b);
		j->rc = pm_mustache_render(j->t, j->data, &p, &b, &err);
	}
	j->out = strdup(pm_buf_cstr(&b));
	pm_buf_release(&b);
	return NULL;
}

START_TEST(renders_on_several_threads)
{
	struct pm_value *m = pm_value_new(&arena, PM_VAL_MAP);
	struct pm_value *rows = pm_value_new(&arena, PM_VAL_SEQ);
	for (int i = 0; i < 200; i++)
		pm_value_push(&arena, rows, int_list((size_t)(i % 7)));
	pm_value_set(&arena, m, "rows", rows);
	const char *src = "{{#rows}}{{>row}}{{/rows}}";
	struct pm_mustache *t;
	struct pm_error err = { 0 };
	ck_assert_int_eq(pm_mustache_compile(&t, "t", src, strlen(src), &err), 0);

	enum { NT = 4 };
	struct job jobs[NT];
	pthread_t th[NT];
	for (int i = 0; i < NT; i++) {
		jobs[i] = (struct job){ t, m, NULL, 0 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, run_job, &jobs[i]), 0);
	}
	for (int i = 0; i < NT; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	const char *head = "<!>\n[0]<!>\n[0][1]<!>\n";
	ck_assert(!strncmp(jobs[0].out, head, strlen(head)));
	for (int i = 0; i < NT; i++) {
		ck_assert_int_eq(jobs[i].rc, 0);
		ck_assert_str_eq(jobs[i].out, jobs[0].out);
	}
	for (int i = 0; i < NT; i++)
		free(jobs[i].out);
	pm_mustache_free(t);
}
END_TEST

static Suite *mustache_suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("render");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, renders_variables_and_sections);
	tcase_add_test(tc, renders_without_data_or_partials);
	tcase_add_test(tc, escapes_html);
	tcase_add_test(tc, numbers_print_as_yaml_wrote_them);
	tcase_add_test(tc, partials_indent_and_inherit);
	suite_add_tcase(s, tc);

	tc = tcase_create("syntax");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, syntax_errors, 0,
			    (int)(sizeof(syntax_cases) / sizeof(syntax_cases[0])));
	tcase_add_test(tc, partial_syntax_error_names_the_partial);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, section_nesting_limit);
	tcase_add_test(tc, self_including_partial_stops);
	tcase_add_test(tc, huge_output_stops);
	suite_add_tcase(s, tc);

	tc = tcase_create("partials");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, partial_in_a_long_loop);
	tcase_add_test(tc, renders_on_several_threads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(mustache_suite());
}
