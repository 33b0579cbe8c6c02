/* check_frontmatter.c - the --- block: splitting, loading, the YAML 1.2
 * core schema, limits and positions. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "codes.h"
#include "doc.h"
#include "error.h"
#include "frontmatter.h"
#include "testutil.h"
#include "value.h"

static struct pm_arena arena;
static struct pm_source src;
static struct pm_frontmatter fm;
static struct pm_diags diags;
static struct pm_limits lim;

static void setup(void)
{
	pm_arena_init(&arena);
	pm_diags_init(&diags, &arena);
	struct pm_limits def = PM_LIMITS_DEFAULT;
	lim = def;
	memset(&fm, 0, sizeof(fm));
}

static void teardown(void)
{
	pm_arena_release(&arena);
}

/* Starts over inside one test. */
static void reset(void)
{
	teardown();
	setup();
}

/* Splits and loads len bytes; returns pm_frontmatter_load's result. */
static int load_n(const char *text, size_t len)
{
	ck_assert_int_eq(pm_source_from_memory(&src, &arena, "fm.md", text, len), 0);
	pm_frontmatter_split(&src, &fm);
	return pm_frontmatter_load(&fm, &src, &arena, &lim, &diags);
}

static int load(const char *text)
{
	return load_n(text, strlen(text));
}

/* Loads text that must load cleanly and returns the root mapping. */
static const struct pm_value *load_ok(const char *text)
{
	int rc = load(text);
	tu_assert_no_diags(&diags);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(fm.root);
	ck_assert_int_eq(fm.root->kind, PM_VAL_MAP);
	return fm.root;
}

/* Loads text that must fail with exactly one finding of code at line:col. */
static const struct pm_diag *load_fails(const char *text, const char *code,
					uint32_t line, uint32_t col)
{
	int rc = load(text);
	ck_assert_int_eq(rc, PM_ERR_INVALID);
	ck_assert_ptr_null(fm.root);
	ck_assert_uint_eq(diags.n, 1);
	const struct pm_diag *d = &diags.items[0];
	ck_assert_str_eq(d->code, code);
	ck_assert_int_eq(d->severity, PM_SEV_ERROR);
	ck_assert_str_eq(d->path, "fm.md");
	ck_assert_uint_eq(d->line, line);
	ck_assert_uint_eq(d->col, col);
	return d;
}

static const struct pm_value *field(const char *key)
{
	const struct pm_value *v = pm_value_get(fm.root, key);
	ck_assert_msg(v != NULL, "no field '%s'", key);
	return v;
}

static const struct pm_pair *pair(const char *key)
{
	const struct pm_pair *p = pm_value_pair(fm.root, key);
	ck_assert_msg(p != NULL, "no field '%s'", key);
	return p;
}

static void assert_pos(uint32_t line, uint32_t col, uint32_t want_line, uint32_t want_col)
{
	ck_assert_uint_eq(line, want_line);
	ck_assert_uint_eq(col, want_col);
}

/* ---- splitting ---------------------------------------------------------- */

START_TEST(split_offsets)
{
	const char *text = "---\na: 1\n---\nbody\n";
	ck_assert_int_eq(pm_source_from_memory(&src, &arena, "fm.md", text, strlen(text)), 0);
	pm_frontmatter_split(&src, &fm);
	ck_assert(fm.present);
	ck_assert(fm.closed);
	ck_assert_uint_eq(fm.open_line, 1);
	ck_assert_uint_eq(fm.close_line, 3);
	ck_assert_uint_eq(fm.yaml_start, 4);
	ck_assert_uint_eq(fm.yaml_end, 9);
	ck_assert_uint_eq(fm.body_start, 13);
	ck_assert_uint_eq(fm.body_line, 4);
	ck_assert_ptr_null(fm.root);
}
END_TEST

START_TEST(split_bom)
{
	const struct pm_value *root = load_ok("\xEF\xBB\xBF---\ntitle: x\n---\n# H\n");
	ck_assert_uint_eq(root->u.map.n, 1);
	const struct pm_pair *p = pair("title");
	assert_pos(p->line, p->col, 2, 1);
	ck_assert_uint_eq(fm.body_line, 4);
	ck_assert_uint_eq(fm.body_start, 3 + 4 + 9 + 4);
}
END_TEST

START_TEST(split_crlf_keeps_positions)
{
	load_ok("---\r\ntitle: x\r\ntags:\r\n  - a\r\n  - b\r\n---\r\n\r\n# H\r\n");
	const struct pm_pair *p = pair("title");
	assert_pos(p->line, p->col, 2, 1);
	assert_pos(p->value->line, p->value->col, 2, 8);
	ck_assert_str_eq(p->value->raw, "x");	/* no \r left in the value */
	const struct pm_value *tags = field("tags");
	ck_assert_uint_eq(tags->u.seq.n, 2);
	assert_pos(tags->u.seq.items[1]->line, tags->u.seq.items[1]->col, 5, 5);
	ck_assert_str_eq(tags->u.seq.items[1]->raw, "b");
	ck_assert_uint_eq(fm.close_line, 6);
	ck_assert_uint_eq(fm.body_line, 7);
}
END_TEST

START_TEST(split_empty_block)
{
	const struct pm_value *root = load_ok("---\n---\n");
	ck_assert_uint_eq(root->u.map.n, 0);
	ck_assert_uint_eq(fm.close_line, 2);
	ck_assert_uint_eq(fm.body_line, 3);
	ck_assert_uint_eq(diags.n, 0);
}
END_TEST

START_TEST(split_comment_only_block)
{
	const struct pm_value *root = load_ok("---\n# nothing yet\n\n---\n");
	ck_assert_uint_eq(root->u.map.n, 0);
	ck_assert_uint_eq(fm.close_line, 4);
}
END_TEST

START_TEST(split_dots_terminator)
{
	load_ok("---\ntitle: x\n...\n# Body\n");
	ck_assert_uint_eq(fm.close_line, 3);
	ck_assert_uint_eq(fm.body_line, 4);
	ck_assert_str_eq(field("title")->raw, "x");
}
END_TEST

START_TEST(split_fences_with_trailing_blanks)
{
	load_ok("---   \ntitle: x\n---\t \nrest\n");
	ck_assert(fm.closed);
	ck_assert_uint_eq(fm.close_line, 3);
	ck_assert_uint_eq(fm.body_line, 4);
	ck_assert_uint_eq(fm.body_start, 7 + 9 + 6);
}
END_TEST

/* First lines that do not open a block. */
static const char *const not_open[] = {
	"# Title\n---\na: 1\n---\n",
	" ---\na: 1\n---\n",
	"----\na: 1\n---\n",
	"--- a: 1\n---\n",
	"",
	"\n---\na: 1\n---\n",
};

START_TEST(split_absent)
{
	int rc = load(not_open[_i]);
	ck_assert_int_eq(rc, PM_ERR_INVALID);
	ck_assert(!fm.present);
	ck_assert(!fm.closed);
	ck_assert_uint_eq(fm.body_start, 0);
	ck_assert_uint_eq(fm.body_line, 1);
	ck_assert_uint_eq(diags.n, 0);	/* the document, not the loader, reports */
}
END_TEST

START_TEST(split_unclosed)
{
	int rc = load("---\ntitle: x\n-- -\n");
	ck_assert_int_eq(rc, PM_ERR_INVALID);
	ck_assert(fm.present);
	ck_assert(!fm.closed);
	ck_assert_ptr_null(fm.root);
}
END_TEST

START_TEST(doc_reports_no_frontmatter)
{
	struct pm_doc *doc = tu_parse("x.md", "# Title\n\ntext\n");
	ck_assert_uint_eq(doc->diags.n, 1);
	const struct pm_diag *d = tu_find_diag(&doc->diags, PM_C_NO_FRONTMATTER);
	ck_assert_ptr_nonnull(d);
	assert_pos(d->line, d->col, 1, 1);
	ck_assert_ptr_null(doc->fm.root);
	ck_assert(!doc->parsed);
	/* The body is still read. */
	ck_assert_uint_eq(doc->body.nsections, 1);
	pm_doc_free(doc);
}
END_TEST

START_TEST(doc_reports_unclosed)
{
	struct pm_doc *doc = tu_parse("x.md", "---\ntitle: x\n\n# Title\n");
	ck_assert_uint_eq(doc->diags.n, 1);
	const struct pm_diag *d = tu_find_diag(&doc->diags, PM_C_UNTERMINATED_FRONTMATTER);
	ck_assert_ptr_nonnull(d);
	assert_pos(d->line, d->col, 1, 1);
	ck_assert(!doc->parsed);
	ck_assert_uint_eq(doc->body.nsections, 0);
	pm_doc_free(doc);
}
END_TEST

/* ---- YAML 1.2 core schema ----------------------------------------------- */

struct scalar_case {
	const char *yaml;		/* the text after "v: " */
	enum pm_value_kind kind;
	enum pm_scalar_style style;
	int64_t i;			/* INT, and BOOL as 0/1 */
	double f;			/* FLOAT */
	const char *s;			/* STRING: the text */
};

#define STR(y, t) { y, PM_VAL_STRING, PM_STYLE_PLAIN, 0, 0, t }
#define QSTR(y, t) { y, PM_VAL_STRING, PM_STYLE_QUOTED, 0, 0, t }
#define INT(y, v) { y, PM_VAL_INT, PM_STYLE_PLAIN, v, 0, NULL }
#define FLT(y, v) { y, PM_VAL_FLOAT, PM_STYLE_PLAIN, 0, v, NULL }
#define BOOL(y, v) { y, PM_VAL_BOOL, PM_STYLE_PLAIN, v, 0, NULL }
#define NUL(y) { y, PM_VAL_NULL, PM_STYLE_PLAIN, 0, 0, NULL }

static const struct scalar_case scalar_cases[] = {
	/* YAML 1.1 booleans are plain strings in 1.2 */
	STR("no", "no"), STR("yes", "yes"), STR("on", "on"), STR("off", "off"),
	STR("y", "y"), STR("No", "No"),
	BOOL("true", 1), BOOL("True", 1), BOOL("TRUE", 1),
	BOOL("false", 0), BOOL("False", 0), BOOL("FALSE", 0),
	STR("tRUE", "tRUE"),
	NUL("~"), NUL("null"), NUL("Null"), NUL("NULL"), NUL(""),
	STR("nULL", "nULL"),
	INT("0x1f", 31), INT("0x1F", 31), INT("0o17", 15), INT("-12", -12), INT("+7", 7),
	INT("0", 0), INT("007", 7),
	INT("9223372036854775807", INT64_MAX),
	INT("-9223372036854775808", INT64_MIN),
	FLT("1.5", 1.5), FLT("1e3", 1000.0), FLT("-2.5e-1", -0.25), FLT(".5", 0.5),
	FLT("1.", 1.0), FLT("+1E+2", 100.0),
	FLT(".inf", INFINITY), FLT("-.Inf", -INFINITY), FLT("+.INF", INFINITY),
	/* out of the 64-bit range: a float, not a wrapped or clipped integer */
	FLT("9223372036854775808", 9223372036854775808.0),
	FLT("99999999999999999999", 1e20),
	FLT("-99999999999999999999", -1e20),
	FLT("0x1000000000000000000", 4722366482869645213696.0),
	FLT("0o7777777777777777777777", 73786976294838206463.0),
	STR("2025-01-10", "2025-01-10"), STR("14:32", "14:32"),
	STR("0x", "0x"), STR("0xg", "0xg"), STR("0o8", "0o8"), STR("0b101", "0b101"),
	STR("1e", "1e"), STR("1.2.3", "1.2.3"), STR("12abc", "12abc"), STR("+", "+"),
	STR(".", "."), STR("1_000", "1_000"), STR("inf", "inf"), STR("a@b", "a@b"),
	QSTR("\"123\"", "123"), QSTR("'true'", "true"), QSTR("\"\"", ""),
	QSTR("'~'", "~"), QSTR("'it''s'", "it's"), QSTR("\"a\\tb\"", "a\tb"),
	{ "!!str 12", PM_VAL_STRING, PM_STYLE_PLAIN, 0, 0, "12" },
	{ "!!str true", PM_VAL_STRING, PM_STYLE_PLAIN, 0, 0, "true" },
	{ "! 12", PM_VAL_STRING, PM_STYLE_PLAIN, 0, 0, "12" },
	{ "!!int 12", PM_VAL_INT, PM_STYLE_PLAIN, 12, 0, NULL },
	STR("plain text with spaces", "plain text with spaces"),
	STR("ADR-001", "ADR-001"),
};

START_TEST(core_schema)
{
	const struct scalar_case *c = &scalar_cases[_i];
	char text[256];
	snprintf(text, sizeof(text), "---\nv: %s\n---\n", c->yaml);
	load_ok(text);
	const struct pm_value *v = field("v");
	ck_assert_msg(v->kind == c->kind, "'%s' is a %s, expected a %s", c->yaml,
		      pm_value_kind_name(v->kind), pm_value_kind_name(c->kind));
	ck_assert_msg(v->style == c->style, "'%s': style %d, expected %d", c->yaml,
		      (int)v->style, (int)c->style);
	ck_assert_uint_eq(v->line, 2);
	/* An empty value stands right after its ':'. */
	ck_assert_uint_eq(v->col, *c->yaml ? 4 : 3);
	switch (c->kind) {
	case PM_VAL_INT:
		ck_assert_int_eq(v->u.i, c->i);
		break;
	case PM_VAL_BOOL:
		ck_assert_int_eq(v->u.b, c->i != 0);
		break;
	case PM_VAL_FLOAT:
		if (isinf(c->f))
			ck_assert_msg(isinf(v->u.f) && (v->u.f > 0) == (c->f > 0),
				      "'%s' gave %g", c->yaml, v->u.f);
		else
			ck_assert_msg(v->u.f == c->f, "'%s' gave %.17g, expected %.17g",
				      c->yaml, v->u.f, c->f);
		break;
	case PM_VAL_STRING:
		ck_assert_str_eq(v->raw, c->s);
		ck_assert_uint_eq(v->raw_len, strlen(c->s));
		break;
	default:
		break;
	}
	ck_assert(pm_value_is_scalar(v));
}
END_TEST

START_TEST(nan_is_a_float)
{
	load_ok("---\nv: .nan\nw: .NaN\n---\n");
	ck_assert_int_eq(field("v")->kind, PM_VAL_FLOAT);
	ck_assert(isnan(field("v")->u.f));
	ck_assert(isnan(field("w")->u.f));
}
END_TEST

START_TEST(nul_escape_keeps_length)
{
	load_ok("---\nv: \"a\\0b\"\n---\n");
	const struct pm_value *v = field("v");
	ck_assert_uint_eq(v->raw_len, 3);
	ck_assert_mem_eq(v->raw, "a\0b", 3);
}
END_TEST

/* ---- multi-line strings -------------------------------------------------- */

START_TEST(multiline_strings)
{
	load_ok("---\n"
		"lit: |\n"
		"  line one\n"
		"    indented\n"
		"  line three\n"
		"strip: |-\n"
		"  x\n"
		"  y\n"
		"fold: >\n"
		"  a\n"
		"  b\n"
		"\n"
		"  c\n"
		"dq: \"first\n"
		"  second\"\n"
		"sq: 'one\n"
		"\n"
		"  two'\n"
		"plain: word\n"
		"  continued\n"
		"---\n");
	const struct pm_value *v = field("lit");
	ck_assert_str_eq(v->raw, "line one\n  indented\nline three\n");
	ck_assert_int_eq(v->style, PM_STYLE_BLOCK);
	ck_assert_int_eq(v->kind, PM_VAL_STRING);
	ck_assert_uint_eq(v->line, 2);
	ck_assert_uint_eq(v->col, 6);
	v = field("strip");
	ck_assert_str_eq(v->raw, "x\ny");
	v = field("fold");
	ck_assert_str_eq(v->raw, "a b\nc\n");
	ck_assert_int_eq(v->style, PM_STYLE_BLOCK);
	ck_assert_uint_eq(v->line, 9);
	v = field("dq");
	ck_assert_str_eq(v->raw, "first second");
	ck_assert_int_eq(v->style, PM_STYLE_QUOTED);
	assert_pos(v->line, v->col, 14, 5);
	v = field("sq");
	ck_assert_str_eq(v->raw, "one\ntwo");
	v = field("plain");
	ck_assert_str_eq(v->raw, "word continued");
	ck_assert_int_eq(v->kind, PM_VAL_STRING);
	const struct pm_pair *p = pair("plain");
	assert_pos(p->line, p->col, 19, 1);
}
END_TEST

START_TEST(block_scalar_is_never_resolved)
{
	load_ok("---\nn: |\n  123\nb: >-\n  true\n---\n");
	ck_assert_int_eq(field("n")->kind, PM_VAL_STRING);
	ck_assert_str_eq(field("n")->raw, "123\n");
	ck_assert_int_eq(field("b")->kind, PM_VAL_STRING);
	ck_assert_str_eq(field("b")->raw, "true");
}
END_TEST

/* ---- positions ------------------------------------------------------------ */

START_TEST(positions_of_keys_and_values)
{
	load_ok("---\n"					/* 1 */
		"title: Hello\n"			/* 2 */
		"tags:\n"				/* 3 */
		"  - a\n"				/* 4 */
		"  - \"b\"\n"				/* 5 */
		"flow: [x, yy, z]\n"			/* 6 */
		"outer:\n"				/* 7 */
		"  inner: 1\n"				/* 8 */
		"  deep:\n"				/* 9 */
		"    k: v\n"				/* 10 */
		"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E: \xC3\xBC\n"	/* 11: 日本語: ü */
		"list:\n"				/* 12 */
		"- first\n"				/* 13: indentless */
		"- {a: 1, b: [2]}\n"			/* 14 */
		"---\n");
	ck_assert_uint_eq(fm.root->u.map.n, 6);
	assert_pos(fm.root->line, fm.root->col, 2, 1);

	const struct pm_pair *p = pair("title");
	assert_pos(p->line, p->col, 2, 1);
	assert_pos(p->value->line, p->value->col, 2, 8);

	p = pair("tags");
	assert_pos(p->line, p->col, 3, 1);
	const struct pm_value *tags = p->value;
	ck_assert_int_eq(tags->kind, PM_VAL_SEQ);
	assert_pos(tags->line, tags->col, 4, 3);
	ck_assert_uint_eq(tags->u.seq.n, 2);
	assert_pos(tags->u.seq.items[0]->line, tags->u.seq.items[0]->col, 4, 5);
	assert_pos(tags->u.seq.items[1]->line, tags->u.seq.items[1]->col, 5, 5);

	const struct pm_value *flow = field("flow");
	ck_assert_int_eq(flow->kind, PM_VAL_SEQ);
	assert_pos(flow->line, flow->col, 6, 7);
	ck_assert_uint_eq(flow->u.seq.n, 3);
	assert_pos(flow->u.seq.items[0]->line, flow->u.seq.items[0]->col, 6, 8);
	assert_pos(flow->u.seq.items[1]->line, flow->u.seq.items[1]->col, 6, 11);
	assert_pos(flow->u.seq.items[2]->line, flow->u.seq.items[2]->col, 6, 15);
	ck_assert_str_eq(flow->u.seq.items[1]->raw, "yy");

	const struct pm_value *outer = field("outer");
	ck_assert_int_eq(outer->kind, PM_VAL_MAP);
	assert_pos(outer->line, outer->col, 8, 3);
	const struct pm_pair *inner = pm_value_pair(outer, "inner");
	ck_assert_ptr_nonnull(inner);
	assert_pos(inner->line, inner->col, 8, 3);
	assert_pos(inner->value->line, inner->value->col, 8, 10);
	ck_assert_int_eq(inner->value->u.i, 1);
	const struct pm_pair *deep = pm_value_pair(outer, "deep");
	assert_pos(deep->line, deep->col, 9, 3);
	const struct pm_pair *k = pm_value_pair(deep->value, "k");
	ck_assert_ptr_nonnull(k);
	assert_pos(k->line, k->col, 10, 5);
	assert_pos(k->value->line, k->value->col, 10, 8);

	/* Columns count code points, not bytes. */
	p = pair("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
	assert_pos(p->line, p->col, 11, 1);
	assert_pos(p->value->line, p->value->col, 11, 6);

	const struct pm_value *list = field("list");
	ck_assert_int_eq(list->kind, PM_VAL_SEQ);
	assert_pos(list->line, list->col, 13, 1);
	ck_assert_uint_eq(list->u.seq.n, 2);
	assert_pos(list->u.seq.items[0]->line, list->u.seq.items[0]->col, 13, 3);
	const struct pm_value *m = list->u.seq.items[1];
	ck_assert_int_eq(m->kind, PM_VAL_MAP);
	assert_pos(m->line, m->col, 14, 3);
	const struct pm_pair *b = pm_value_pair(m, "b");
	assert_pos(b->line, b->col, 14, 10);
	assert_pos(b->value->line, b->value->col, 14, 13);
	assert_pos(b->value->u.seq.items[0]->line, b->value->u.seq.items[0]->col, 14, 14);
	ck_assert_int_eq(b->value->u.seq.items[0]->u.i, 2);
}
END_TEST

START_TEST(weights_count_nodes)
{
	load_ok("---\na: 1\nb: [1, 2, 3]\nc: {d: x}\n---\n");
	ck_assert_uint_eq(field("a")->weight, 1);
	ck_assert_uint_eq(field("b")->weight, 4);
	ck_assert_uint_eq(field("c")->weight, 2);
	ck_assert_uint_eq(fm.root->weight, 1 + 1 + 4 + 2);
}
END_TEST

/* ---- findings ------------------------------------------------------------ */

START_TEST(duplicate_key)
{
	const struct pm_diag *d = load_fails("---\ntitle: a\nstatus: x\ntitle: b\n---\n",
					     PM_C_DUPLICATE_KEY, 4, 1);
	ck_assert_str_eq(d->message, "duplicate key 'title' (lines 2 and 4)");
	ck_assert_ptr_nonnull(d->hint);
}
END_TEST

START_TEST(duplicate_key_nested)
{
	const struct pm_diag *d = load_fails("---\nouter:\n  k: 1\n\n  k: 2\nk: 3\n---\n",
					     PM_C_DUPLICATE_KEY, 5, 3);
	ck_assert_str_eq(d->message, "duplicate key 'k' (lines 3 and 5)");
}
END_TEST

/* Past 16 keys the check goes through a hash table: still exact, and a
 * key seen long before is still named with its line. */
START_TEST(duplicate_key_in_big_map)
{
	char text[2048] = "---\n";
	for (int i = 0; i < 40; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "key%d: %d\n", i, i);
	strcat(text, "key3: again\n---\n");
	const struct pm_diag *d = load_fails(text, PM_C_DUPLICATE_KEY, 42, 1);
	ck_assert_str_eq(d->message, "duplicate key 'key3' (lines 5 and 42)");
}
END_TEST

START_TEST(same_key_in_different_maps_is_fine)
{
	load_ok("---\na: {k: 1}\nb: {k: 2}\nk: 3\n---\n");
	ck_assert_int_eq(pm_value_get(field("b"), "k")->u.i, 2);
}
END_TEST

START_TEST(tab_indentation)
{
	const struct pm_diag *d = load_fails("---\na:\n\tb: 1\n---\n", PM_C_YAML_SYNTAX, 3, 1);
	ck_assert_ptr_nonnull(strstr(d->message, "invalid YAML: found character that "
				     "cannot start any token"));
}
END_TEST

START_TEST(syntax_error_position)
{
	const struct pm_diag *d = load_fails("---\ntitle: x\na: b: c\n---\n",
					     PM_C_YAML_SYNTAX, 3, 5);
	ck_assert_ptr_nonnull(strstr(d->message, "mapping values are not allowed"));
}
END_TEST

START_TEST(syntax_error_after_multibyte)
{
	/* 'é' is one column: the stray ':' of "b: c" sits at column 6 */
	load_fails("---\n\xC3\xA9\xC3\xA9: b: c\n---\n", PM_C_YAML_SYNTAX, 2, 6);
}
END_TEST

START_TEST(not_a_mapping)
{
	const struct pm_diag *d = load_fails("---\n- a\n- b\n---\n", PM_C_NOT_MAPPING, 2, 1);
	ck_assert_str_eq(d->message, "frontmatter is a sequence, not a mapping");
	reset();
	d = load_fails("---\njust text\n---\n", PM_C_NOT_MAPPING, 2, 1);
	ck_assert_str_eq(d->message, "frontmatter is a string, not a mapping");
	reset();
	d = load_fails("---\n42\n---\n", PM_C_NOT_MAPPING, 2, 1);
	ck_assert_str_eq(d->message, "frontmatter is a integer, not a mapping");
}
END_TEST

START_TEST(two_documents)
{
	const struct pm_diag *d = load_fails("---\na: 1\n--- b\n---\n", PM_C_YAML_UNSUPPORTED,
					     3, 1);
	ck_assert_str_eq(d->message, "frontmatter holds more than one YAML document");
}
END_TEST

START_TEST(complex_keys)
{
	load_fails("---\n? [a, b]\n: c\n---\n", PM_C_YAML_UNSUPPORTED, 2, 3);
	reset();
	load_fails("---\nok: 1\n{x: 1}: c\n---\n", PM_C_YAML_UNSUPPORTED, 3, 1);
}
END_TEST

/* ---- aliases ---------------------------------------------------------------- */

START_TEST(aliases_share_the_anchored_value)
{
	load_ok("---\n"
		"base: &b\n"
		"  x: 1\n"
		"copy: *b\n"
		"list: &l [1, 2]\n"
		"again: *l\n"
		"s: &s hello\n"
		"t: *s\n"
		"---\n");
	ck_assert_ptr_eq(field("copy"), field("base"));
	ck_assert_ptr_eq(field("again"), field("list"));
	ck_assert_ptr_eq(field("t"), field("s"));
	ck_assert_str_eq(field("t")->raw, "hello");
	ck_assert_int_eq(pm_value_get(field("copy"), "x")->u.i, 1);
	/* The pair keeps the alias's own key position. */
	const struct pm_pair *p = pair("copy");
	assert_pos(p->line, p->col, 4, 1);
	/* weight counts what an expansion would visit */
	ck_assert_uint_eq(fm.root->weight, 1 + 2 + 2 + 3 + 3 + 1 + 1);
}
END_TEST

START_TEST(alias_redefined_anchor)
{
	load_ok("---\na: &x one\nb: &x two\nc: *x\n---\n");
	ck_assert_str_eq(field("c")->raw, "two");
}
END_TEST

START_TEST(alias_inside_its_own_anchor)
{
	const struct pm_diag *d = load_fails("---\na: &x [*x]\n---\n",
					     PM_C_YAML_UNSUPPORTED, 2, 8);
	ck_assert_str_eq(d->message, "undefined alias '*x'");
	reset();
	load_fails("---\na: &m\n  self: *m\n---\n", PM_C_YAML_UNSUPPORTED, 3, 9);
}
END_TEST

START_TEST(alias_undefined)
{
	const struct pm_diag *d = load_fails("---\na: 1\nb: *nope\n---\n",
					     PM_C_YAML_UNSUPPORTED, 3, 4);
	ck_assert_str_eq(d->message, "undefined alias '*nope'");
}
END_TEST

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The billion laughs: 9 levels of 10 aliases each, 10^9 strings expanded. */
START_TEST(alias_bomb_fails_fast)
{
	char text[2048];
	size_t n = (size_t)snprintf(text, sizeof(text),
				    "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
				    "\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (char level = 'b'; level <= 'i'; level++) {
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%c: &%c [", level, level);
		for (int k = 0; k < 10; k++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "%s*%c",
					      k ? ", " : "", level - 1);
		n += (size_t)snprintf(text + n, sizeof(text) - n, "]\n");
	}
	n += (size_t)snprintf(text + n, sizeof(text) - n, "---\n");
	ck_assert_uint_lt(n, sizeof(text));
	double t0 = now();
	/* Level d is the first to pass 10000 nodes: 1 + 10 * 1111 at its 10th
	 * alias, which stands on line 5 at column 8 + 4 * 9. */
	const struct pm_diag *d = load_fails(text, PM_C_YAML_LIMIT, 5, 44);
	double took = now() - t0;
	ck_assert_str_eq(d->message, "frontmatter expands to more than 10000 nodes "
		       "(an alias counts every node it repeats)");
	ck_assert_msg(took < 0.5, "the alias bomb took %.3f s", took);
	ck_assert_msg(arena.total < (1u << 20), "the alias bomb used %zu bytes", arena.total);
}
END_TEST

START_TEST(alias_count_limit)
{
	char text[1024];
	size_t n = (size_t)snprintf(text, sizeof(text), "---\ns: &s x\nl: [");
	for (int k = 0; k < 65; k++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s*s", k ? "," : "");
	snprintf(text + n, sizeof(text) - n, "]\n---\n");
	/* The 65th alias: "l: [" then "*s," 3 columns each. */
	const struct pm_diag *d = load_fails(text, PM_C_YAML_LIMIT, 3, 5 + 3 * 64);
	ck_assert_str_eq(d->message, "frontmatter uses more than 64 aliases");
	/* 64 are fine. */
	reset();
	n = (size_t)snprintf(text, sizeof(text), "---\ns: &s x\nl: [");
	for (int k = 0; k < 64; k++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s*s", k ? "," : "");
	snprintf(text + n, sizeof(text) - n, "]\n---\n");
	load_ok(text);
	ck_assert_uint_eq(field("l")->u.seq.n, 64);
}
END_TEST

/* ---- limits ------------------------------------------------------------------- */

/* "k: " then `levels` nested flow sequences: the root mapping is one more
 * level. */
static char *nested(int levels)
{
	char *text = malloc((size_t)levels * 2 + 32);
	ck_assert_ptr_nonnull(text);
	size_t n = (size_t)sprintf(text, "---\nk: ");
	for (int i = 0; i < levels; i++)
		text[n++] = '[';
	for (int i = 0; i < levels; i++)
		text[n++] = ']';
	strcpy(text + n, "\n---\n");
	return text;
}

START_TEST(depth_limit)
{
	char *ok = nested(31);	/* 32 levels with the root */
	load_ok(ok);
	free(ok);
	reset();
	char *deep = nested(32);
	/* The 33rd level opens at the 32nd '[' (column 3 + 32). */
	const struct pm_diag *d = load_fails(deep, PM_C_YAML_LIMIT, 2, 35);
	ck_assert_str_eq(d->message, "frontmatter nests deeper than 32 levels");
	free(deep);
	reset();
	deep = nested(5000);	/* must neither crash nor recurse */
	load_fails(deep, PM_C_YAML_LIMIT, 2, 35);
	free(deep);
}
END_TEST

START_TEST(depth_limit_block)
{
	struct pm_buf_like { char s[4096]; size_t n; } b = { .n = 0 };
	b.n += (size_t)sprintf(b.s, "---\n");
	for (int i = 0; i < 33; i++)
		b.n += (size_t)sprintf(b.s + b.n, "%*sk%d:\n", 2 * i, "", i);
	b.n += (size_t)sprintf(b.s + b.n, "%*sleaf: 1\n---\n", 66, "");
	/* k0 opens the root's child (level 2) ... k31's value is level 33,
	 * which starts with key k32 on line 2 + 32, column 65. */
	load_fails(b.s, PM_C_YAML_LIMIT, 34, 65);
}
END_TEST

/* A frontmatter of exactly size bytes between the fences. */
static char *sized(size_t size)
{
	char *text = malloc(size + 16);
	ck_assert_ptr_nonnull(text);
	memcpy(text, "---\nk: ", 7);
	memset(text + 7, 'x', size - 4);
	strcpy(text + 7 + size - 4, "\n---\n");
	return text;
}

START_TEST(size_limit)
{
	char *text = sized(64 * 1024);
	load_ok(text);
	ck_assert_uint_eq(fm.yaml_end - fm.yaml_start, 64 * 1024);
	ck_assert_uint_eq(field("k")->raw_len, 64 * 1024 - 4);
	free(text);
	reset();
	text = sized(64 * 1024 + 1);
	const struct pm_diag *d = load_fails(text, PM_C_YAML_LIMIT, 1, 1);
	ck_assert_str_eq(d->message, "frontmatter is 65537 bytes, over the limit of 65536");
	free(text);
}
END_TEST

START_TEST(node_limit_custom)
{
	lim.max_yaml_nodes = 5;
	/* root + k + [1, 2, 3] is 1 + 4 = 5 nodes */
	load_ok("---\nk: [1, 2, 3]\n---\n");
	reset();
	lim.max_yaml_nodes = 5;
	/* The sequence itself holds 5 nodes; the root passes the limit when
	 * the sequence closes, at its ']'. */
	load_fails("---\nk: [1, 2, 3, 4]\n---\n", PM_C_YAML_LIMIT, 2, 15);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *frontmatter_suite(void);

Suite *frontmatter_suite(void)
{
	Suite *s = suite_create("frontmatter");
	TCase *tc = tcase_create("split");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, split_offsets);
	tcase_add_test(tc, split_bom);
	tcase_add_test(tc, split_crlf_keeps_positions);
	tcase_add_test(tc, split_empty_block);
	tcase_add_test(tc, split_comment_only_block);
	tcase_add_test(tc, split_dots_terminator);
	tcase_add_test(tc, split_fences_with_trailing_blanks);
	tcase_add_loop_test(tc, split_absent, 0, NCASES(not_open));
	tcase_add_test(tc, split_unclosed);
	tcase_add_test(tc, doc_reports_no_frontmatter);
	tcase_add_test(tc, doc_reports_unclosed);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, core_schema, 0, NCASES(scalar_cases));
	tcase_add_test(tc, nan_is_a_float);
	tcase_add_test(tc, nul_escape_keeps_length);
	tcase_add_test(tc, multiline_strings);
	tcase_add_test(tc, block_scalar_is_never_resolved);
	suite_add_tcase(s, tc);

	tc = tcase_create("positions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, positions_of_keys_and_values);
	tcase_add_test(tc, weights_count_nodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("findings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, duplicate_key);
	tcase_add_test(tc, duplicate_key_in_big_map);
	tcase_add_test(tc, duplicate_key_nested);
	tcase_add_test(tc, same_key_in_different_maps_is_fine);
	tcase_add_test(tc, tab_indentation);
	tcase_add_test(tc, syntax_error_position);
	tcase_add_test(tc, syntax_error_after_multibyte);
	tcase_add_test(tc, not_a_mapping);
	tcase_add_test(tc, two_documents);
	tcase_add_test(tc, complex_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("aliases");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, aliases_share_the_anchored_value);
	tcase_add_test(tc, alias_redefined_anchor);
	tcase_add_test(tc, alias_inside_its_own_anchor);
	tcase_add_test(tc, alias_undefined);
	tcase_add_test(tc, alias_bomb_fails_fast);
	tcase_add_test(tc, alias_count_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, depth_limit);
	tcase_add_test(tc, depth_limit_block);
	tcase_add_test(tc, size_limit);
	tcase_add_test(tc, node_limit_custom);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(frontmatter_suite());
}
