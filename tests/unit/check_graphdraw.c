/* check_graphdraw.c - drawing the relation graph: the DOT and Mermaid
 * escapers on hostile titles (and the whole outputs around them, JSON
 * parsed back), trees through loops and at depth limits, neighbourhoods
 * (pm_gview_reach) by depth, direction and filter, loops found once
 * (pm_gview_cycles, pm_find_cycles), and a 100,000-node chain walked in a
 * thread with a small stack.
 *
 * The views are built by hand, as pm_gview_load() would fill them from the
 * index: nodes and edges in the arena, then pm_gview_adjacency().
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <jansson.h>

#include "codes.h"
#include "cycles.h"
#include "diag.h"
#include "graphdraw.h"
#include "graphview.h"
#include "testutil.h"

#define NCASES(a) (sizeof(a) / sizeof((a)[0]))
#define ARROW " \xE2\x86\x92 "			/* " → " */
#define TEE "\xE2\x94\x9C\xE2\x94\x80"		/* ├─ */
#define ELBOW "\xE2\x94\x94\xE2\x94\x80"	/* └─ */
#define BAR "\xE2\x94\x82"			/* │ */

/* The built-in relations that matter here, in schema order (the order of a
 * node's children in a tree). */
static struct pm_relation relations[] = {
	{ .name = "supersedes", .inverse = "superseded_by", .acyclic = true },
	{ .name = "enables", .inverse = "enabled_by", .many = true },
	{ .name = "triggers", .inverse = "caused_by", .many = true, .acyclic = true },
	{ .name = "related", .symmetric = true, .many = true },
};
enum { SUPERSEDES, ENABLES, TRIGGERS, RELATED };
static struct pm_schema schema = { .relations = relations, .nrelations = NCASES(relations) };

static struct pm_gview g;

static void setup(void)
{
	memset(&g, 0, sizeof(g));
	pm_arena_init(&g.arena);
	pm_strmap_init(&g.ids);
	g.schema = &schema;
}

static void teardown(void)
{
	pm_gview_release(&g);
}

static size_t add_node(const char *id, const char *type, const char *title, const char *status)
{
	ck_assert(PM_ARENA_PUSH(&g.arena, g.nodes, g.nnodes, g.nodes_cap));
	const char *own = pm_arena_strdup(&g.arena, id);
	ck_assert_ptr_nonnull(own);
	g.nodes[g.nnodes] = (struct pm_gnode){ .id = own, .type = type, .title = title,
					       .status = status, .path = "x.md" };
	ck_assert_int_eq(pm_strmap_put(&g.ids, own, g.nnodes, NULL), 1);
	return g.nnodes++;
}

/* An inc titled after its ID's number, e.g. INC-2 "two". */
static size_t inc(const char *id, const char *title)
{
	return add_node(id, "inc", title, NULL);
}

static void add_edge(size_t source, size_t target, int rel, bool declared, uint32_t line)
{
	ck_assert(PM_ARENA_PUSH(&g.arena, g.edges, g.nedges, g.edges_cap));
	g.edges[g.nedges++] = (struct pm_gedge){ source, target, &relations[rel], declared,
						 g.nodes[source].path, line, 5 };
}

static void adjacency(void)
{
	ck_assert_int_eq(pm_gview_adjacency(&g), 0);
}

/* The tree under roots (all of them when nroots is 0) as a malloc'd
 * string. */
static char *tree(const size_t *roots, size_t nroots, enum pm_gdir dir, int depth)
{
	struct pm_gdraw_opts o = { .dir = dir, .depth = depth };
	struct pm_buf b = PM_BUF_INIT;
	pm_gdraw_tree(&b, &g, roots, nroots, &o);
	ck_assert(!b.failed);
	char *s = strdup(pm_buf_cstr(&b));
	pm_buf_release(&b);
	ck_assert_ptr_nonnull(s);
	return s;
}

static void assert_tree(const size_t *roots, size_t nroots, enum pm_gdir dir, int depth,
			const char *want)
{
	char *got = tree(roots, nroots, dir, depth);
	ck_assert_msg(!strcmp(got, want), "tree:\n%s\nexpected:\n%s", got, want);
	free(got);
}

/* ---- escapers ---------------------------------------------------------------- */

/* Titles written to break out of a quoted label or to smuggle in syntax. */
static const char *const hostile[] = {
	"Say \"hello\"",
	"a\\\"b",				/* a backslash, then a quote */
	"ends with a backslash \\",
	"%%{init: {\"theme\":\"dark\"}}%%",
	"Two\nlines",
	"crlf\r\nand a\ttab and a bell\a",
	"x\"]\nclick n0 call alert()",
	"<script>alert(1)</script>",
	"\"] --> n9[\"pwned",
	"#35; is an entity; #quot; too",
	"`markdown` & <b>html</b>",
	"\\n is not a line break, \\N is not the node name",
	"Hyv\xC3\xA4\xC3\xA4 p\xC3\xA4iv\xC3\xA4\xC3\xA4 \xE2\x86\x92 \xE6\xBC\xA2\xE5\xAD\x97",
	"",
};

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* True when shown is in, except that each control character of in (other
 * than a line end when keep_newline: DOT has an escape for it) was dropped
 * or became one space.  Nothing else may be lost or added. */
static bool same_text(const char *shown, const char *in, bool keep_newline)
{
	for (;; shown++, in++) {
		unsigned char c = (unsigned char)*in;
		if (c && is_control(c) && !(keep_newline && c == '\n'))
			return same_text(shown, in + 1, keep_newline) ||
			       (*shown == ' ' && same_text(shown + 1, in + 1, keep_newline));
		if (*shown != *in)
			return false;
		if (!*in)
			return true;
	}
}

static bool has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (is_control(*p))
			return true;
	return false;
}

/* Undoes Mermaid's #NNN; entities; fails on a '#' that starts none. */
static char *mermaid_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	ck_assert_ptr_nonnull(out);
	while (*s) {
		if (*s != '#') {
			*o++ = *s++;
			continue;
		}
		char *end;
		long c = strtol(s + 1, &end, 10);
		ck_assert_msg(end > s + 1 && *end == ';' && c > 0 && c < 128,
			      "a bare '#' in Mermaid output: %s", s);
		*o++ = (char)c;
		s = end + 1;
	}
	*o = '\0';
	return out;
}

/* Reads the body of a DOT "..." string: a quote must be escaped, a
 * backslash escapes what follows (\n a line break), and no raw line end may
 * appear.  Returns the text DOT shows, malloc'd. */
static char *dot_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	ck_assert_ptr_nonnull(out);
	for (const char *p = s; *p; p++) {
		ck_assert_msg(*p != '"', "an unescaped quote in DOT string body: %s", s);
		ck_assert_msg(*p != '\n' && *p != '\r', "a raw line end in DOT string body: %s", s);
		if (*p == '\\') {
			p++;
			ck_assert_msg(*p, "a DOT string body ending in a lone backslash: %s", s);
			*o++ = *p == 'n' ? '\n' : *p;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

START_TEST(mermaid_escape_keeps_text_inside_quotes)
{
	const char *in = hostile[_i];
	struct pm_buf b = PM_BUF_INIT;
	pm_mermaid_escape(&b, in);
	ck_assert(!b.failed);
	const char *out = pm_buf_cstr(&b);
	ck_assert_msg(!strchr(out, '"'), "a quote: %s", out);
	ck_assert_msg(!has_control(out), "a control character (line end?): %s", out);
	ck_assert_msg(!strstr(out, "%%"), "a %%%% directive: %s", out);
	for (const char *p = out; *p; p++)
		ck_assert_msg(!strchr("<>`\\&%", *p), "'%c' left raw: %s", *p, out);
	/* Nothing but the control characters is lost. */
	char *back = mermaid_decode(out);
	ck_assert_msg(same_text(back, in, false), "shown as '%s'", back);
	free(back);
	pm_buf_release(&b);
}
END_TEST

START_TEST(dot_escape_cannot_end_the_string)
{
	const char *in = hostile[_i];
	struct pm_buf b = PM_BUF_INIT;
	pm_dot_escape(&b, in);
	ck_assert(!b.failed);
	const char *out = pm_buf_cstr(&b);
	/* Every quote has its backslash: no quote at the start, and each one
	 * after an odd run of backslashes (dot_decode checks the same while
	 * reading). */
	for (const char *p = out; *p; p++) {
		if (*p != '"')
			continue;
		size_t run = 0;
		while (p - run > out && p[-(long)run - 1] == '\\')
			run++;
		ck_assert_msg(run % 2 == 1, "an unescaped quote at %ld: %s", (long)(p - out), out);
	}
	ck_assert_msg(!has_control(out), "a control character (raw line end?): %s", out);
	char *back = dot_decode(out);
	ck_assert_msg(same_text(back, in, true), "shown as '%s'", back);
	free(back);
	pm_buf_release(&b);
}
END_TEST

START_TEST(escapers_take_null_as_empty)
{
	struct pm_buf b = PM_BUF_INIT;
	pm_dot_escape(&b, NULL);
	pm_mermaid_escape(&b, NULL);
	ck_assert_str_eq(pm_buf_cstr(&b), "");
	pm_buf_release(&b);
}
END_TEST

/* ---- whole outputs with hostile labels ------------------------------------------ */

/* One node per hostile title, a chain of edges through them, one derived
 * edge, and a missing node whose ID is a hostile ref as written. */
static void hostile_graph(void)
{
	for (size_t i = 0; i < NCASES(hostile); i++) {
		char id[32];
		snprintf(id, sizeof(id), "ADR-%zu", i + 1);
		add_node(id, i % 2 ? "inc" : "adr", hostile[i], i % 3 ? "open" : NULL);
		if (i)
			add_edge(i - 1, i, i % 2 ? TRIGGERS : RELATED, i != 3, 1);
	}
	size_t m = add_node("X\"] --> n0\n%%{init}%%", NULL, NULL, NULL);
	g.nodes[m].missing = true;
	g.nodes[m].path = NULL;
	add_edge(0, m, SUPERSEDES, true, 2);
	adjacency();
}

/* The line-by-line shape of a Mermaid drawing: node statements whose label
 * holds no quote, edges between node names, class definitions. */
START_TEST(mermaid_output_keeps_every_label_in_its_node)
{
	hostile_graph();
	struct pm_gdraw_opts o = { .dir = PM_GDIR_DOWN, .depth = -1 };
	struct pm_buf b = PM_BUF_INIT;
	pm_gdraw_mermaid(&b, &g, &o);
	ck_assert(!b.failed);
	char *text = strdup(pm_buf_cstr(&b)), *save = NULL;
	size_t nodes = 0, edges = 0, classes = 0, lines = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (lines++ == 0) {
			ck_assert_str_eq(line, "graph LR");
			continue;
		}
		ck_assert_msg(!strstr(line, "%%"), "a directive: %s", line);
		char rest[64], *end;
		size_t at = strtoul(line + 3, &end, 10);
		if (!strncmp(line, "  n", 3) && end > line + 3 && !strncmp(end, "[\"", 2)) {
			char *open = end + 2, *close = strchr(open, '"');
			ck_assert_msg(close && !strncmp(close, "\"]:::", 5), "label not closed: %s", line);
			ck_assert_msg(strspn(close + 5, "abcdefghijklmnopqrstuvwxyz") == strlen(close + 5),
				      "junk after the class: %s", line);
			ck_assert_uint_eq(at, nodes);
			/* The label, decoded, is the node's label but for its
			 * control characters. */
			*close = '\0';
			char *back = mermaid_decode(open);
			struct pm_buf lb = PM_BUF_INIT;
			pm_gdraw_label(&lb, &g.nodes[at]);
			ck_assert_msg(same_text(back, pm_buf_cstr(&lb), false), "label '%s' for '%s'",
				      back, pm_buf_cstr(&lb));
			free(back);
			pm_buf_release(&lb);
			nodes++;
		} else if (!strncmp(line, "  classDef ", 11)) {
			classes++;
		} else {
			size_t from, to;
			ck_assert_msg(sscanf(line, "  n%zu %63s n%zu", &from, rest, &to) == 3 &&
				      (!strncmp(rest, "-->|", 4) || !strncmp(rest, "-.->|", 5) ||
				       !strncmp(rest, "---|", 4) || !strncmp(rest, "-.-|", 4)),
				      "not an edge: %s", line);
			ck_assert_uint_lt(from, g.nnodes);
			ck_assert_uint_lt(to, g.nnodes);
			edges++;
		}
	}
	ck_assert_uint_eq(nodes, g.nnodes);
	ck_assert_uint_eq(edges, g.nedges);
	ck_assert_uint_eq(classes, 6);
	free(text);
	pm_buf_release(&b);
}
END_TEST

/* Splits one DOT line into its "..." strings (decoded), failing when a
 * string does not end on its line; *after is what follows the first. */
static size_t dot_strings(const char *line, char **out, size_t cap, const char **after)
{
	size_t n = 0;
	*after = "";
	for (const char *p = line; *p; p++) {
		if (*p != '"')
			continue;
		const char *start = ++p;
		while (*p && *p != '"')
			p += *p == '\\' && p[1] ? 2 : 1;
		ck_assert_msg(*p == '"', "a string runs past the end of its line: %s", line);
		ck_assert_uint_lt(n, cap);
		char *raw = strndup(start, (size_t)(p - start));
		out[n++] = dot_decode(raw);
		free(raw);
		if (n == 1)
			*after = p + 1;
	}
	return n;
}

START_TEST(dot_output_strings_end_on_their_line)
{
	hostile_graph();
	for (int cluster = 0; cluster < 2; cluster++) {
		struct pm_gdraw_opts o = { .dir = PM_GDIR_DOWN, .depth = -1,
					   .cluster_by_type = cluster };
		struct pm_buf b = PM_BUF_INIT;
		pm_gdraw_dot(&b, &g, &o);
		ck_assert(!b.failed);
		char *text = strdup(pm_buf_cstr(&b)), *save = NULL;
		size_t nodes = 0, edges = 0;
		int braces = 0;
		for (char *line = strtok_r(text, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *s[8];
			const char *after;
			size_t n = dot_strings(line, s, 8, &after);
			/* Braces outside strings balance: no label closed the
			 * graph. */
			bool in = false;
			for (const char *p = line; *p; p++) {
				if (*p == '\\' && in && p[1])
					p++;
				else if (*p == '"')
					in = !in;
				else if (!in)
					braces += (*p == '{') - (*p == '}');
			}
			long at = n ? pm_gview_find(&g, s[0]) : -1;
			if (at >= 0 && !strncmp(after, " -> ", 4)) {
				ck_assert_uint_eq(n, 3);
				ck_assert_int_ge(pm_gview_find(&g, s[1]), 0);
				edges++;
			} else if (at >= 0) {
				/* "ID" [label="ID\ntitle\n[status]"...] */
				const struct pm_gnode *nd = &g.nodes[at];
				ck_assert_uint_ge(n, 2);
				ck_assert_msg(!strncmp(s[1], nd->id, strlen(nd->id)), "%s", line);
				if (nd->title) {
					/* ID, line break, the title, then the state. */
					const char *t = s[1] + strlen(nd->id);
					ck_assert_msg(*t == '\n', "%s", line);
					char *title = strdup(t + 1), *cut = strstr(title, "\n[");
					if (cut && nd->status)
						*cut = '\0';
					ck_assert_msg(same_text(title, nd->title, true),
						      "label '%s' for title '%s'", s[1], nd->title);
					free(title);
				}
				nodes++;
			}
			for (size_t i = 0; i < n; i++)
				free(s[i]);
		}
		ck_assert_int_eq(braces, 0);
		ck_assert_uint_eq(nodes, g.nnodes);
		ck_assert_uint_eq(edges, g.nedges);
		free(text);
		pm_buf_release(&b);
	}
}
END_TEST

START_TEST(json_output_parses_back_to_the_titles)
{
	hostile_graph();
	struct pm_gdraw_opts o = { .dir = PM_GDIR_DOWN, .depth = -1 };
	struct pm_buf b = PM_BUF_INIT;
	ck_assert_int_eq(pm_gdraw_json(&b, &g, &o), 0);
	json_error_t jerr;
	json_t *root = json_loads(pm_buf_cstr(&b), 0, &jerr);
	ck_assert_msg(root, "not JSON: %s", jerr.text);
	json_t *nodes = json_object_get(root, "nodes"), *edges = json_object_get(root, "edges");
	ck_assert_uint_eq(json_array_size(nodes), g.nnodes);
	ck_assert_uint_eq(json_array_size(edges), g.nedges);
	for (size_t i = 0; i < g.nnodes; i++) {
		json_t *n = json_array_get(nodes, i);
		ck_assert_str_eq(json_string_value(json_object_get(n, "id")), g.nodes[i].id);
		if (g.nodes[i].title)
			ck_assert_str_eq(json_string_value(json_object_get(n, "title")),
					 g.nodes[i].title);
		ck_assert(json_is_boolean(json_object_get(n, "missing")));
	}
	/* The one edge drawn as derived (i == 3 above) says so. */
	size_t derived = 0;
	for (size_t k = 0; k < g.nedges; k++)
		derived += json_is_false(json_object_get(json_array_get(edges, k), "declared"));
	ck_assert_uint_eq(derived, 1);
	json_decref(root);
	pm_buf_release(&b);
}
END_TEST

/* A line end in a title must not break a tree (or a terminal) apart: every
 * line is a root's label or starts with the tree's own drawing. */
START_TEST(tree_labels_stay_on_one_line)
{
	hostile_graph();
	for (size_t i = 0; i < g.nnodes; i++) {
		struct pm_buf lb = PM_BUF_INIT;
		pm_gdraw_label(&lb, &g.nodes[i]);
		ck_assert_msg(!has_control(pm_buf_cstr(&lb)), "label of %zu: %s", i,
			      pm_buf_cstr(&lb));
		pm_buf_release(&lb);
	}
	char *text = tree(NULL, 0, PM_GDIR_DOWN, -1), *save = NULL;
	size_t lines = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		ck_assert_msg(!strncmp(line, "ADR-", 4) || !strncmp(line, "\xE2\x94", 2) ||
			      line[0] == ' ', "a line that is not the tree's: %s", line);
		ck_assert_msg(!has_control(line), "a control character: %s", line);
		lines++;
	}
	ck_assert_uint_ge(lines, g.nnodes);
	free(text);
}
END_TEST

/* ---- trees ---------------------------------------------------------------------- */

/* INC-1 triggers INC-2 triggers INC-3 triggers INC-1. */
static void three_loop(void)
{
	inc("INC-1", "one");
	inc("INC-2", "two");
	inc("INC-3", "three");
	add_edge(0, 1, TRIGGERS, true, 11);
	add_edge(1, 2, TRIGGERS, true, 12);
	add_edge(2, 0, TRIGGERS, true, 13);
	adjacency();
}

START_TEST(tree_stops_at_a_loop)
{
	three_loop();
	/* The whole graph: nothing is without a parent, so the first node
	 * the loop left out becomes the root. */
	assert_tree(NULL, 0, PM_GDIR_DOWN, -1,
		    "INC-1 one\n"
		    ELBOW " triggers" ARROW "INC-2 two\n"
		    "   " ELBOW " triggers" ARROW "INC-3 three\n"
		    "      " ELBOW " triggers" ARROW "INC-1 (cycle)\n");
	size_t root = 1;
	assert_tree(&root, 1, PM_GDIR_UP, -1,
		    "INC-2 two\n"
		    ELBOW " caused_by" ARROW "INC-1 one\n"
		    "   " ELBOW " caused_by" ARROW "INC-3 three\n"
		    "      " ELBOW " caused_by" ARROW "INC-2 (cycle)\n");
}
END_TEST

START_TEST(tree_both_ways_around_a_loop)
{
	three_loop();
	size_t root = 0;
	assert_tree(&root, 1, PM_GDIR_BOTH, -1,
		    "INC-1 one\n"
		    TEE " triggers" ARROW "INC-2 two\n"
		    BAR "  " ELBOW " triggers" ARROW "INC-3 three\n"
		    BAR "     " ELBOW " triggers" ARROW "INC-1 (cycle)\n"
		    ELBOW " caused_by" ARROW "INC-3 (see above)\n");
}
END_TEST

START_TEST(tree_loop_of_two_relations_is_no_cycle)
{
	/* ADR-1 supersedes ADR-2, which triggers ADR-1: a loop, but no single
	 * relation goes round it, so it is only "seen above". */
	add_node("ADR-1", "adr", "new", "accepted");
	add_node("ADR-2", "adr", "old", "superseded");
	add_edge(0, 1, SUPERSEDES, true, 1);
	add_edge(1, 0, TRIGGERS, true, 1);
	adjacency();
	size_t root = 0;
	assert_tree(&root, 1, PM_GDIR_DOWN, -1,
		    "ADR-1 new [accepted]\n"
		    ELBOW " supersedes" ARROW "ADR-2 old [superseded]\n"
		    "   " ELBOW " triggers" ARROW "ADR-1 (see above)\n");
}
END_TEST

START_TEST(tree_shows_related_without_following_it)
{
	inc("INC-1", "one");
	inc("INC-2", "two");
	inc("INC-3", "three");
	add_edge(0, 1, RELATED, true, 1);
	add_edge(1, 2, TRIGGERS, true, 1);
	adjacency();
	size_t root = 0;
	assert_tree(&root, 1, PM_GDIR_DOWN, -1,
		    "INC-1 one\n"
		    ELBOW " related" ARROW "INC-2 two\n");
}
END_TEST

/* INC-1 triggers INC-2 triggers INC-3 triggers INC-4; the tree from INC-2
 * both ways at each depth. */
static const char *const depth_trees[] = {
	"INC-2 two\n",
	"INC-2 two\n"
	TEE " triggers" ARROW "INC-3 three\n"
	ELBOW " caused_by" ARROW "INC-1 one\n",
	"INC-2 two\n"
	TEE " triggers" ARROW "INC-3 three\n"
	BAR "  " ELBOW " triggers" ARROW "INC-4 four\n"
	ELBOW " caused_by" ARROW "INC-1 one\n",
};

START_TEST(tree_depth_limits)
{
	inc("INC-1", "one");
	inc("INC-2", "two");
	inc("INC-3", "three");
	inc("INC-4", "four");
	add_edge(0, 1, TRIGGERS, true, 1);
	add_edge(1, 2, TRIGGERS, true, 1);
	add_edge(2, 3, TRIGGERS, true, 1);
	adjacency();
	size_t root = 1;
	assert_tree(&root, 1, PM_GDIR_BOTH, _i, depth_trees[_i]);
	/* No limit is the deepest tree. */
	if (_i == 2)
		assert_tree(&root, 1, PM_GDIR_BOTH, -1, depth_trees[_i]);
}
END_TEST

/* ---- neighbourhoods --------------------------------------------------------------- */

/* ADR-1 -> INC-2 -> INC-3 -> INC-4 and ADR-5 -> INC-2, all triggers; the
 * neighbourhood of INC-2 as one '0'/'1' per node. */
struct reach_case {
	int depth;
	enum pm_gdir dir;
	const char *want;
};

static const struct reach_case reach_cases[] = {
	{ 0, PM_GDIR_DOWN, "01000" },
	{ 0, PM_GDIR_UP, "01000" },
	{ 0, PM_GDIR_BOTH, "01000" },
	{ 1, PM_GDIR_DOWN, "01100" },
	{ 1, PM_GDIR_UP, "11001" },
	{ 1, PM_GDIR_BOTH, "11101" },
	{ 2, PM_GDIR_DOWN, "01110" },
	{ 2, PM_GDIR_UP, "11001" },
	{ 2, PM_GDIR_BOTH, "11111" },
	{ -1, PM_GDIR_DOWN, "01110" },
	{ -1, PM_GDIR_UP, "11001" },
	{ -1, PM_GDIR_BOTH, "11111" },
};

static void star(void)
{
	add_node("ADR-1", "adr", "a", NULL);
	inc("INC-2", "b");
	inc("INC-3", "c");
	inc("INC-4", "d");
	add_node("ADR-5", "adr", "e", NULL);
	add_edge(0, 1, TRIGGERS, true, 1);
	add_edge(1, 2, TRIGGERS, true, 1);
	add_edge(2, 3, TRIGGERS, true, 1);
	add_edge(4, 1, TRIGGERS, false, 1);
	adjacency();
}

static void assert_reach(const size_t *seeds, size_t nseeds, int depth, enum pm_gdir dir,
			 const struct pm_gfilter *f, const char *want)
{
	unsigned char *mark = pm_gview_reach(&g, seeds, nseeds, depth, dir, f);
	ck_assert_ptr_nonnull(mark);
	char got[16];
	ck_assert_uint_lt(g.nnodes, sizeof(got));
	for (size_t i = 0; i < g.nnodes; i++)
		got[i] = mark[i] ? '1' : '0';
	got[g.nnodes] = '\0';
	ck_assert_msg(!strcmp(got, want), "depth %d dir %d: %s, expected %s", depth, (int)dir,
		      got, want);
	free(mark);
}

START_TEST(reach_by_depth_and_direction)
{
	star();
	const struct reach_case *c = &reach_cases[_i];
	size_t seed = 1;
	assert_reach(&seed, 1, c->depth, c->dir, NULL, c->want);
	/* The same seed twice changes nothing. */
	size_t twice[] = { 1, 1 };
	assert_reach(twice, 2, c->depth, c->dir, NULL, c->want);
}
END_TEST

START_TEST(reach_through_filters)
{
	star();
	size_t seed = 1;
	/* A relation by either direction's name. */
	const char *by_inverse[] = { "caused_by" }, *other[] = { "supersedes" };
	struct pm_gfilter f = { .relations = by_inverse, .nrelations = 1 };
	assert_reach(&seed, 1, -1, PM_GDIR_BOTH, &f, "11111");
	f = (struct pm_gfilter){ .relations = other, .nrelations = 1 };
	assert_reach(&seed, 1, -1, PM_GDIR_BOTH, &f, "01000");
	/* Types: the seed passes whatever its type. */
	const char *adr[] = { "adr" }, *inc_only[] = { "inc" };
	f = (struct pm_gfilter){ .types = adr, .ntypes = 1 };
	assert_reach(&seed, 1, -1, PM_GDIR_BOTH, &f, "11001");
	f = (struct pm_gfilter){ .types = inc_only, .ntypes = 1 };
	assert_reach(&seed, 1, -1, PM_GDIR_BOTH, &f, "01110");
}
END_TEST

/* ---- loops ------------------------------------------------------------------------ */

static struct pm_arena diag_arena;
static struct pm_diags diags;

static void diags_setup(void)
{
	setup();
	pm_arena_init(&diag_arena);
	pm_diags_init(&diags, &diag_arena);
}

static void diags_teardown(void)
{
	pm_arena_release(&diag_arena);
	teardown();
}

START_TEST(cycles_report_a_loop_once)
{
	three_loop();
	ck_assert_int_eq(pm_gview_cycles(&g, "docs/", &diags), 0);
	ck_assert_uint_eq(diags.n, 1);
	const struct pm_diag *d = &diags.items[0];
	ck_assert_str_eq(d->code, PM_C_CYCLE);
	ck_assert_int_eq(d->severity, PM_SEV_ERROR);
	ck_assert_str_eq(d->message, "'triggers' loops: INC-1 -> INC-2 -> INC-3 -> INC-1");
	/* At the declaration of the edge that closed it. */
	ck_assert_str_eq(d->path, "docs/x.md");
	ck_assert_uint_eq(d->line, 13);
	ck_assert_uint_eq(d->col, 5);
	ck_assert_ptr_nonnull(d->hint);
}
END_TEST

START_TEST(cycles_name_the_loop_from_its_first_node)
{
	/* The search enters the loop INC-2 -> INC-3 -> INC-4 at INC-3 (from
	 * INC-1); the loop is still named from INC-2. */
	inc("INC-1", "a");
	inc("INC-2", "b");
	inc("INC-3", "c");
	inc("INC-4", "d");
	add_edge(0, 2, TRIGGERS, true, 1);
	add_edge(2, 3, TRIGGERS, true, 2);
	add_edge(3, 1, TRIGGERS, true, 3);
	add_edge(1, 2, TRIGGERS, true, 4);
	adjacency();
	ck_assert_int_eq(pm_gview_cycles(&g, "", &diags), 0);
	ck_assert_uint_eq(diags.n, 1);
	ck_assert_str_eq(diags.items[0].message, "'triggers' loops: INC-2 -> INC-3 -> INC-4 -> INC-2");
}
END_TEST

START_TEST(cycles_per_acyclic_relation_only)
{
	/* The same two nodes loop over supersedes, over triggers and over
	 * enables (which may loop), and a node supersedes itself. */
	add_node("ADR-1", "adr", "a", NULL);
	add_node("ADR-2", "adr", "b", NULL);
	add_node("ADR-3", "adr", "c", NULL);
	for (int rel = SUPERSEDES; rel <= TRIGGERS; rel++) {
		add_edge(0, 1, rel, true, 1);
		add_edge(1, 0, rel, true, 2);
	}
	add_edge(2, 2, SUPERSEDES, true, 3);
	add_edge(0, 2, RELATED, true, 4);
	add_edge(2, 0, RELATED, true, 5);
	adjacency();
	ck_assert_int_eq(pm_gview_cycles(&g, "", &diags), 0);
	ck_assert_uint_eq(diags.n, 3);
	ck_assert_str_eq(diags.items[0].message, "'supersedes' loops: ADR-1 -> ADR-2 -> ADR-1");
	ck_assert_str_eq(diags.items[1].message, "'supersedes' loops: ADR-3 -> ADR-3");
	ck_assert_str_eq(diags.items[2].message, "'triggers' loops: ADR-1 -> ADR-2 -> ADR-1");
}
END_TEST

START_TEST(cycles_none_in_a_tree)
{
	star();
	ck_assert_int_eq(pm_gview_cycles(&g, "", &diags), 0);
	ck_assert_uint_eq(diags.n, 0);
}
END_TEST

struct seen {
	size_t calls, len, first, closing;
	int stop_with;
};

static int on_loop(void *ctx, const size_t *nodes, size_t len, size_t closing)
{
	struct seen *s = ctx;
	s->calls++;
	s->len = len;
	s->first = nodes[0];
	s->closing = closing;
	return s->stop_with;
}

START_TEST(find_cycles_once_despite_parallel_edges)
{
	/* 0 -> 1 twice and 1 -> 0 twice: one loop. */
	const size_t src[] = { 0, 0, 1, 1 }, dst[] = { 1, 1, 0, 0 };
	struct seen s = { 0 };
	ck_assert_int_eq(pm_find_cycles(2, 4, src, dst, on_loop, &s), 0);
	ck_assert_uint_eq(s.calls, 1);
	ck_assert_uint_eq(s.len, 2);
	ck_assert_uint_eq(s.first, 0);
}
END_TEST

START_TEST(find_cycles_stops_on_the_callbacks_word)
{
	/* Two separate loops; the callback's value ends the search at the
	 * first. */
	const size_t src[] = { 0, 1, 2, 3 }, dst[] = { 1, 0, 3, 2 };
	struct seen s = { .stop_with = 42 };
	ck_assert_int_eq(pm_find_cycles(4, 4, src, dst, on_loop, &s), 42);
	ck_assert_uint_eq(s.calls, 1);
	s = (struct seen){ 0 };
	ck_assert_int_eq(pm_find_cycles(4, 4, src, dst, on_loop, &s), 0);
	ck_assert_uint_eq(s.calls, 2);
	/* Nothing at all. */
	ck_assert_int_eq(pm_find_cycles(0, 0, NULL, NULL, on_loop, &s), 0);
}
END_TEST

/* ---- a long chain ------------------------------------------------------------------- */

enum { CHAIN = 100000, TREE_NODES = 4000 };

/* INC-0 triggers INC-1 ... INC-99999, and INC-99999 back to INC-99998: the
 * one loop sits at the far end of the depth-first search. */
static void long_chain(void)
{
	g.nodes = pm_arena_array(&g.arena, CHAIN, sizeof(*g.nodes));
	g.edges = pm_arena_array(&g.arena, CHAIN, sizeof(*g.edges));
	ck_assert(g.nodes && g.edges);
	g.nodes_cap = g.edges_cap = CHAIN;
	for (size_t i = 0; i < CHAIN; i++) {
		char id[32];
		snprintf(id, sizeof(id), "INC-%zu", i);
		add_node(id, "inc", NULL, NULL);
	}
	for (size_t i = 0; i + 1 < CHAIN; i++)
		add_edge(i, i + 1, TRIGGERS, true, (uint32_t)i + 1);
	add_edge(CHAIN - 1, CHAIN - 2, TRIGGERS, true, CHAIN);
	adjacency();
}

struct walk {
	const char *failure;	/* set by the thread instead of a ck_assert */
	size_t reach_down, reach_up, loops, tree_lines;
	char loop[64], last_line[64];
};

/* The first TREE_NODES nodes' tree: its line count and the last label. */
static const char *draw_chain(struct walk *w)
{
	/* The tree's indentation grows with depth, so its text is quadratic
	 * in a chain's length: draw the first TREE_NODES nodes (about 24 MB)
	 * rather than all 100,000 (some 15 GB). */
	unsigned char *keep = calloc(CHAIN, 1);
	if (!keep)
		return "out of memory";
	memset(keep, 1, TREE_NODES);
	struct pm_gdraw_opts o = { .keep = keep, .dir = PM_GDIR_DOWN, .depth = -1 };
	struct pm_buf b = PM_BUF_INIT;
	size_t first = 0;
	pm_gdraw_tree(&b, &g, &first, 1, &o);
	free(keep);
	if (b.failed) {
		pm_buf_release(&b);
		return "pm_gdraw_tree: out of memory";
	}
	const char *s = pm_buf_cstr(&b), *last = s;
	for (const char *p = s; *p; p++) {
		if (*p != '\n')
			continue;
		w->tree_lines++;
		if (p[1])
			last = p + 1;
	}
	const char *tail = strrchr(last, ' ');
	snprintf(w->last_line, sizeof(w->last_line), "%s", tail ? tail + 1 : last);
	pm_buf_release(&b);
	return NULL;
}

/* Runs on a 256 KiB stack: anything that recursed once per node of a
 * 100,000-node chain (or of a 4,000-deep tree) would not fit. */
static void *walk_chain(void *arg)
{
	struct walk *w = arg;
	size_t first = 0, last = CHAIN - 1;
	unsigned char *down = pm_gview_reach(&g, &first, 1, -1, PM_GDIR_DOWN, NULL);
	unsigned char *up = pm_gview_reach(&g, &last, 1, -1, PM_GDIR_UP, NULL);
	if (!down || !up)
		w->failure = "pm_gview_reach: out of memory";
	for (size_t i = 0; !w->failure && i < CHAIN; i++) {
		w->reach_down += down[i];
		w->reach_up += up[i];
	}
	free(down);
	free(up);
	if (!w->failure && pm_gview_cycles(&g, "", &diags))
		w->failure = "pm_gview_cycles failed";
	w->loops = diags.n;
	if (diags.n)
		snprintf(w->loop, sizeof(w->loop), "%s", diags.items[0].message);
	if (!w->failure)
		w->failure = draw_chain(w);
	return NULL;
}

START_TEST(long_chain_on_a_small_stack)
{
	long_chain();
	pthread_attr_t attr;
	pthread_t t;
	struct walk w = { 0 };
	ck_assert_int_eq(pthread_attr_init(&attr), 0);
	ck_assert_int_eq(pthread_attr_setstacksize(&attr, 256 * 1024), 0);
	ck_assert_int_eq(pthread_create(&t, &attr, walk_chain, &w), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	pthread_attr_destroy(&attr);
	ck_assert_msg(!w.failure, "%s", w.failure ? w.failure : "");
	ck_assert_uint_eq(w.reach_down, CHAIN);
	ck_assert_uint_eq(w.reach_up, CHAIN);
	ck_assert_uint_eq(w.loops, 1);
	ck_assert_str_eq(w.loop, "'triggers' loops: INC-99998 -> INC-99999 -> INC-99998");
	ck_assert_uint_eq(w.tree_lines, TREE_NODES);
	ck_assert_str_eq(w.last_line, "INC-3999\n");
}
END_TEST

/* ---- the suite ---------------------------------------------------------------------- */

Suite *graphdraw_suite(void);

Suite *graphdraw_suite(void)
{
	Suite *s = suite_create("graphdraw");
	TCase *tc = tcase_create("escape");
	tcase_add_loop_test(tc, mermaid_escape_keeps_text_inside_quotes, 0, NCASES(hostile));
	tcase_add_loop_test(tc, dot_escape_cannot_end_the_string, 0, NCASES(hostile));
	tcase_add_test(tc, escapers_take_null_as_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("outputs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mermaid_output_keeps_every_label_in_its_node);
	tcase_add_test(tc, dot_output_strings_end_on_their_line);
	tcase_add_test(tc, json_output_parses_back_to_the_titles);
	tcase_add_test(tc, tree_labels_stay_on_one_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("tree");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tree_stops_at_a_loop);
	tcase_add_test(tc, tree_both_ways_around_a_loop);
	tcase_add_test(tc, tree_loop_of_two_relations_is_no_cycle);
	tcase_add_test(tc, tree_shows_related_without_following_it);
	tcase_add_loop_test(tc, tree_depth_limits, 0, NCASES(depth_trees));
	suite_add_tcase(s, tc);

	tc = tcase_create("reach");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, reach_by_depth_and_direction, 0, NCASES(reach_cases));
	tcase_add_test(tc, reach_through_filters);
	suite_add_tcase(s, tc);

	tc = tcase_create("cycles");
	tcase_add_checked_fixture(tc, diags_setup, diags_teardown);
	tcase_add_test(tc, cycles_report_a_loop_once);
	tcase_add_test(tc, cycles_name_the_loop_from_its_first_node);
	tcase_add_test(tc, cycles_per_acyclic_relation_only);
	tcase_add_test(tc, cycles_none_in_a_tree);
	tcase_add_test(tc, find_cycles_once_despite_parallel_edges);
	tcase_add_test(tc, find_cycles_stops_on_the_callbacks_word);
	suite_add_tcase(s, tc);

	tc = tcase_create("long chain");
	tcase_add_checked_fixture(tc, diags_setup, diags_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, long_chain_on_a_small_stack);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(graphdraw_suite());
}
