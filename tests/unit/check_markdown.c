/* check_markdown.c - the body: sections, tables and links with file
 * positions (lines of the file, columns in code points). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "codes.h"
#include "doc.h"
#include "markdown.h"
#include "testutil.h"

static struct pm_doc *doc;

static void setup(void)
{
	doc = NULL;
}

static void teardown(void)
{
	pm_doc_free(doc);
	doc = NULL;
}

/* Parses text with the default options; it must parse without findings. */
static const struct pm_body *body(const char *text)
{
	pm_doc_free(doc);
	doc = tu_parse("body.md", text);
	tu_assert_no_diags(&doc->diags);
	ck_assert(doc->parsed);
	return &doc->body;
}

static void assert_section(const struct pm_body *b, size_t i, const char *title,
			   const char *path, int level, int parent, uint32_t line,
			   uint32_t col, uint32_t end_line, size_t nblocks)
{
	ck_assert_uint_lt(i, b->nsections);
	const struct pm_section *s = &b->sections[i];
	ck_assert_str_eq(s->title, title);
	ck_assert_str_eq(s->path, path);
	ck_assert_int_eq(s->level, level);
	ck_assert_int_eq(s->parent, parent);
	ck_assert_uint_eq(s->line, line);
	ck_assert_uint_eq(s->col, col);
	ck_assert_uint_eq(s->end_line, end_line);
	ck_assert_uint_eq(s->nblocks, nblocks);
}

static void assert_cell(const struct pm_cell *c, const char *text, uint32_t line,
			uint32_t col)
{
	ck_assert_str_eq(c->text, text);
	ck_assert_uint_eq(c->line, line);
	ck_assert_uint_eq(c->col, col);
}

static void assert_link(const struct pm_body *b, size_t i, enum pm_link_kind kind,
			const char *target, const char *text, int section,
			uint32_t line, uint32_t col)
{
	ck_assert_uint_lt(i, b->nlinks);
	const struct pm_link *l = &b->links[i];
	ck_assert_str_eq(l->target, target);
	ck_assert_int_eq(l->kind, kind);
	ck_assert_str_eq(l->text, text);
	ck_assert_int_eq(l->section, section);
	ck_assert_uint_eq(l->line, line);
	ck_assert_uint_eq(l->col, col);
}

/* ---- sections ------------------------------------------------------------- */

static const char nested_doc[] =
	"---\n"			/* 1 */
	"id: T\n"		/* 2 */
	"---\n"			/* 3 */
	"\n"			/* 4 */
	"# A\n"			/* 5 */
	"\n"			/* 6 */
	"text a\n"		/* 7 */
	"\n"			/* 8 */
	"## B\n"		/* 9 */
	"\n"			/* 10 */
	"text b\n"		/* 11 */
	"\n"			/* 12 */
	"### C\n"		/* 13 */
	"\n"			/* 14 */
	"text c\n"		/* 15 */
	"\n"			/* 16 */
	"## D\n"		/* 17 */
	"\n"			/* 18 */
	"- list\n"		/* 19 */
	"- more\n"		/* 20 */
	"\n"			/* 21 */
	"\n"			/* 22 */
	"# E\n"			/* 23 */
	"one\n"			/* 24 */
	"\n"			/* 25 */
	"two\n"			/* 26 */
	"\n"			/* 27 */
	"    code\n"		/* 28 */
	"\n";			/* 29 */

START_TEST(sections_nested)
{
	const struct pm_body *b = body(nested_doc);
	ck_assert_uint_eq(b->nsections, 5);
	assert_section(b, 0, "A", "A", 1, -1, 5, 1, 20, 1);
	assert_section(b, 1, "B", "A > B", 2, 0, 9, 1, 15, 1);
	assert_section(b, 2, "C", "A > B > C", 3, 1, 13, 1, 15, 1);
	assert_section(b, 3, "D", "A > D", 2, 0, 17, 1, 20, 1);
	assert_section(b, 4, "E", "E", 1, -1, 23, 1, 28, 3);
}
END_TEST

START_TEST(sections_skipping_levels)
{
	const struct pm_body *b = body("---\n---\n# A\n### C\n## B\n#### D\n# E\n");
	ck_assert_uint_eq(b->nsections, 5);
	assert_section(b, 0, "A", "A", 1, -1, 3, 1, 6, 0);
	assert_section(b, 1, "C", "A > C", 3, 0, 4, 1, 4, 0);
	assert_section(b, 2, "B", "A > B", 2, 0, 5, 1, 6, 0);
	assert_section(b, 3, "D", "A > B > D", 4, 2, 6, 1, 6, 0);
	assert_section(b, 4, "E", "E", 1, -1, 7, 1, 7, 0);
}
END_TEST

START_TEST(sections_starting_below_top)
{
	const struct pm_body *b = body("---\n---\n## X\n# Y\n## Z\n###### Six\n");
	ck_assert_uint_eq(b->nsections, 4);
	assert_section(b, 0, "X", "X", 2, -1, 3, 1, 3, 0);
	assert_section(b, 1, "Y", "Y", 1, -1, 4, 1, 6, 0);
	assert_section(b, 2, "Z", "Y > Z", 2, 1, 5, 1, 6, 0);
	assert_section(b, 3, "Six", "Y > Z > Six", 6, 2, 6, 1, 6, 0);
}
END_TEST

START_TEST(sections_setext)
{
	const struct pm_body *b = body("---\n---\n"
				       "Title\n"	/* 3 */
				       "=====\n"	/* 4 */
				       "\n"
				       "text\n"		/* 6 */
				       "\n"
				       "Sub Part\n"	/* 8 */
				       "--------\n"	/* 9 */
				       "body\n"		/* 10 */
				       "more body\n");	/* 11 */
	ck_assert_uint_eq(b->nsections, 2);
	assert_section(b, 0, "Title", "Title", 1, -1, 3, 1, 11, 1);
	assert_section(b, 1, "Sub Part", "Title > Sub Part", 2, 0, 8, 1, 11, 1);
}
END_TEST

struct heading_case {
	const char *md;
	const char *title;
	uint32_t col;
};

static const struct heading_case heading_cases[] = {
	{ "# Plain", "Plain", 1 },
	{ "# A *b* `c` **d**", "A b c d", 1 },
	{ "# Link [to *it*](x.md) ~~gone~~", "Link to it gone", 1 },
	{ "# Html <span>kept</span> text", "Html kept text", 1 },
	{ "# Closed ##", "Closed", 1 },
	{ "#   Spaced   ", "Spaced", 1 },
	{ "  ## Indented", "Indented", 3 },
	{ "# Esc \\*not emph\\* &amp; more", "Esc *not emph* & more", 1 },
	{ "# \xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9", 1 },
	{ "Two\nlines\n===", "Two lines", 1 },
};

START_TEST(heading_plain_text)
{
	char text[256];
	snprintf(text, sizeof(text), "---\n---\n%s\n", heading_cases[_i].md);
	const struct pm_body *b = body(text);
	ck_assert_uint_eq(b->nsections, 1);
	ck_assert_str_eq(b->sections[0].title, heading_cases[_i].title);
	ck_assert_uint_eq(b->sections[0].line, 3);
	ck_assert_uint_eq(b->sections[0].col, heading_cases[_i].col);
}
END_TEST

START_TEST(headings_in_containers_are_not_sections)
{
	const struct pm_body *b = body("---\n---\n> # Quoted\n\n- # Listed\n\n```\n# code\n```\n"
				       "<div>\n# html\n</div>\n\n# Real\n");
	ck_assert_uint_eq(b->nsections, 1);
	assert_section(b, 0, "Real", "Real", 1, -1, 14, 1, 14, 0);
}
END_TEST

START_TEST(section_end_skips_trailing_blanks)
{
	const struct pm_body *b = body("---\n---\n# A\n\n- x\n- y\n\n\n\n# B\n\n> quote\n>\n\n  \n");
	assert_section(b, 0, "A", "A", 1, -1, 3, 1, 6, 1);
	assert_section(b, 1, "B", "B", 1, -1, 10, 1, 13, 1);
}
END_TEST

START_TEST(section_without_final_newline)
{
	const struct pm_body *b = body("---\n---\n# A\ntext");
	assert_section(b, 0, "A", "A", 1, -1, 3, 1, 4, 1);
}
END_TEST

START_TEST(body_lines_are_file_lines)
{
	/* BOM, CRLF and a longer frontmatter move nothing but the offset. */
	const struct pm_body *b = body("\xEF\xBB\xBF---\r\na: 1\r\nb: 2\r\n...\r\n\r\n"
				       "## Here\r\n\r\ntext\r\n");
	assert_section(b, 0, "Here", "Here", 2, -1, 6, 1, 8, 1);
	pm_doc_free(doc);
	/* No frontmatter: the body starts after the BOM on line 1. */
	doc = tu_parse("x.md", "\xEF\xBB\xBF# Top ADR-001\n");
	ck_assert_uint_eq(doc->body.nsections, 1);
	ck_assert_uint_eq(doc->body.sections[0].line, 1);
	ck_assert_uint_eq(doc->body.sections[0].col, 1);
	assert_link(&doc->body, 0, PM_LINK_ID, "ADR-001", "ADR-001", 0, 1, 7);
}
END_TEST

START_TEST(find_section)
{
	const struct pm_body *b = body(nested_doc);
	ck_assert_int_eq(pm_body_find_section(b, "A", 0), 0);
	ck_assert_int_eq(pm_body_find_section(b, "c", 0), 2);
	ck_assert_int_eq(pm_body_find_section(b, "a > b > c", 0), 2);
	ck_assert_int_eq(pm_body_find_section(b, "A > D", 0), 3);
	ck_assert_int_eq(pm_body_find_section(b, "A > C", 0), -1);
	ck_assert_int_eq(pm_body_find_section(b, "B > C", 0), -1);
	ck_assert_int_eq(pm_body_find_section(b, "Nope", 0), -1);
	ck_assert_int_eq(pm_body_find_section(b, "A", 1), -1);
	ck_assert_int_eq(pm_body_find_section(b, "e", 4), 4);
	ck_assert_int_eq(pm_body_find_section(b, "e", 5), -1);
	ck_assert_int_eq(pm_body_find_section(b, "e", 99), -1);
}
END_TEST

START_TEST(find_section_repeated_titles)
{
	const struct pm_body *b = body("---\n---\n# One\n## Notes\n# Two\n## notes\n");
	ck_assert_int_eq(pm_body_find_section(b, "notes", 0), 1);
	ck_assert_int_eq(pm_body_find_section(b, "notes", 2), 3);
	ck_assert_int_eq(pm_body_find_section(b, "two > NOTES", 0), 3);
}
END_TEST

/* ---- tables --------------------------------------------------------------- */

START_TEST(table_with_outer_pipes)
{
	const struct pm_body *b = body("---\n---\n"
				       "# T\n"				/* 3 */
				       "\n"
				       "| Time | Event  | Actor |\n"	/* 5 */
				       "|------|:------:|------:|\n"	/* 6 */
				       "| 14:32 | **Alerts** fire | `bot` |\n"	/* 7 */
				       "|15:10|  x  |\n"			/* 8 */
				       "\n"
				       "after\n");
	ck_assert_uint_eq(b->ntables, 1);
	const struct pm_table *t = &b->tables[0];
	ck_assert_int_eq(t->section, 0);
	ck_assert_uint_eq(t->line, 5);
	ck_assert_uint_eq(t->end_line, 8);
	ck_assert_uint_eq(t->ncols, 3);
	assert_cell(&t->header[0], "Time", 5, 3);
	assert_cell(&t->header[1], "Event", 5, 10);
	assert_cell(&t->header[2], "Actor", 5, 19);
	ck_assert_uint_eq(t->nrows, 2);
	ck_assert_uint_eq(t->rows[0].line, 7);
	assert_cell(&t->rows[0].cells[0], "14:32", 7, 3);
	assert_cell(&t->rows[0].cells[1], "Alerts fire", 7, 11);
	assert_cell(&t->rows[0].cells[2], "bot", 7, 29);
	ck_assert_uint_eq(t->rows[1].line, 8);
	assert_cell(&t->rows[1].cells[0], "15:10", 8, 2);
	assert_cell(&t->rows[1].cells[1], "x", 8, 10);
	/* a missing cell is "" on its row's line */
	ck_assert_str_eq(t->rows[1].cells[2].text, "");
	ck_assert_uint_eq(t->rows[1].cells[2].line, 8);
	ck_assert_uint_eq(b->sections[0].nblocks, 2);
}
END_TEST

START_TEST(table_without_outer_pipes)
{
	const struct pm_body *b = body("---\n---\n"
				       "a \\| b | \xC3\xA9 | c\n"		/* 3 */
				       "--|--|--\n"			/* 4 */
				       "x \\| y | \xC3\xA9" "2 | z\n"	/* 5 */
				       "short\n"				/* 6 */
				       "| 1 | 2 | 3 | 4 | 5 |\n");	/* 7 */
	ck_assert_uint_eq(b->ntables, 1);
	const struct pm_table *t = &b->tables[0];
	ck_assert_int_eq(t->section, -1);
	ck_assert_uint_eq(t->line, 3);
	ck_assert_uint_eq(t->end_line, 7);
	ck_assert_uint_eq(t->ncols, 3);
	/* escaped pipes are text; columns count code points */
	assert_cell(&t->header[0], "a | b", 3, 1);
	assert_cell(&t->header[1], "\xC3\xA9", 3, 10);
	assert_cell(&t->header[2], "c", 3, 14);
	ck_assert_uint_eq(t->nrows, 3);
	assert_cell(&t->rows[0].cells[0], "x | y", 5, 1);
	assert_cell(&t->rows[0].cells[1], "\xC3\xA9" "2", 5, 10);
	assert_cell(&t->rows[0].cells[2], "z", 5, 15);
	/* a short row is padded with empty cells */
	ck_assert_uint_eq(t->rows[1].line, 6);
	assert_cell(&t->rows[1].cells[0], "short", 6, 1);
	ck_assert_str_eq(t->rows[1].cells[1].text, "");
	ck_assert_str_eq(t->rows[1].cells[2].text, "");
	/* extra cells are dropped */
	ck_assert_uint_eq(t->rows[2].line, 7);
	assert_cell(&t->rows[2].cells[0], "1", 7, 3);
	assert_cell(&t->rows[2].cells[1], "2", 7, 7);
	assert_cell(&t->rows[2].cells[2], "3", 7, 11);
}
END_TEST

START_TEST(tables_attach_to_sections)
{
	const struct pm_body *b = body("---\n---\n"
				       "| p | q |\n|---|---|\n| 0 | 0 |\n"	/* 3-5 */
				       "\n# One\n\n"				/* 7 */
				       "| a |\n|---|\n| 1 |\n"			/* 9-11 */
				       "\n## Two\n\n"				/* 13 */
				       "| b |\n|---|\n"				/* 15-16 */
				       "\n# Three\n\ntext\n\n"			/* 18 */
				       "| c | d |\n|---|---|\n| 3 | 4 |\n| 5 | 6 |\n"); /* 22-25 */
	ck_assert_uint_eq(b->ntables, 4);
	ck_assert_int_eq(b->tables[0].section, -1);
	ck_assert_uint_eq(b->tables[0].line, 3);
	ck_assert_int_eq(b->tables[1].section, 0);
	ck_assert_uint_eq(b->tables[1].line, 9);
	ck_assert_int_eq(b->tables[2].section, 1);
	ck_assert_uint_eq(b->tables[2].line, 15);
	ck_assert_uint_eq(b->tables[2].nrows, 0);	/* header only */
	ck_assert_str_eq(b->tables[2].header[0].text, "b");
	ck_assert_int_eq(b->tables[3].section, 2);
	ck_assert_uint_eq(b->tables[3].line, 22);
	ck_assert_uint_eq(b->tables[3].end_line, 25);
	ck_assert_uint_eq(b->tables[3].nrows, 2);
	ck_assert_uint_eq(b->tables[3].rows[1].line, 25);
	assert_cell(&b->tables[3].rows[1].cells[1], "6", 25, 7);
	ck_assert_uint_eq(b->sections[2].end_line, 25);
}
END_TEST

START_TEST(table_in_list_item)
{
	const struct pm_body *b = body("---\n---\n# S\n\n- item\n\n  | a | b |\n  |---|---|\n"
				       "  | 1 | 2 |\n");
	ck_assert_uint_eq(b->ntables, 1);
	ck_assert_int_eq(b->tables[0].section, 0);
	ck_assert_uint_eq(b->tables[0].line, 7);
	assert_cell(&b->tables[0].rows[0].cells[1], "2", 9, 9);
}
END_TEST

START_TEST(pipes_in_code_are_not_tables)
{
	const struct pm_body *b = body("---\n---\n```\n| a | b |\n|---|---|\n```\n\n    | c |\n"
				       "    |---|\n");
	ck_assert_uint_eq(b->ntables, 0);
}
END_TEST

/* ---- links ---------------------------------------------------------------- */

START_TEST(document_links)
{
	const struct pm_body *b = body("---\n---\n"
				       "# Links\n"					/* 3 */
				       "See [x](./adr-001.md) and [y](adr-001.md#frag).\n"	/* 4 */
				       "Also [up](../other/ADR-002.MD), [q](n.md?raw=1),\n"	/* 5 */
				       "  [web](https://e.com/x.md), [m](mailto:a@b.md),\n"	/* 6 */
				       "[anchor](#links), [mdx](notes.mdx), [*em* text](a.md).\n");	/* 7 */
	ck_assert_uint_eq(b->nlinks, 9);
	assert_link(b, 0, PM_LINK_DOC, "./adr-001.md", "x", 0, 4, 5);
	assert_link(b, 1, PM_LINK_DOC, "adr-001.md#frag", "y", 0, 4, 27);
	assert_link(b, 2, PM_LINK_DOC, "../other/ADR-002.MD", "up", 0, 5, 6);
	assert_link(b, 3, PM_LINK_DOC, "n.md?raw=1", "q", 0, 5, 33);
	assert_link(b, 4, PM_LINK_URL, "https://e.com/x.md", "web", 0, 6, 3);
	assert_link(b, 5, PM_LINK_URL, "mailto:a@b.md", "m", 0, 6, 30);
	assert_link(b, 6, PM_LINK_URL, "#links", "anchor", 0, 7, 1);
	assert_link(b, 7, PM_LINK_URL, "notes.mdx", "mdx", 0, 7, 19);
	assert_link(b, 8, PM_LINK_DOC, "a.md", "em text", 0, 7, 37);
}
END_TEST

START_TEST(links_in_containers)
{
	const struct pm_body *b = body("---\n---\n"
				       "> quote [q](b.md)\n"		/* 3 */
				       "> and [r](c.md)\n"		/* 4 */
				       "\n"
				       "- item one\n"			/* 6 */
				       "  and [x](./a.md) here\n"	/* 7 */
				       "1. \xC3\xA9 [z](z.md)\n"		/* 8 */
				       "\n"
				       "| col |\n|---|\n| [t](t.md) |\n");	/* 10-12 */
	ck_assert_uint_eq(b->nlinks, 5);
	assert_link(b, 0, PM_LINK_DOC, "b.md", "q", -1, 3, 9);
	assert_link(b, 1, PM_LINK_DOC, "c.md", "r", -1, 4, 7);
	assert_link(b, 2, PM_LINK_DOC, "./a.md", "x", -1, 7, 7);
	assert_link(b, 3, PM_LINK_DOC, "z.md", "z", -1, 8, 6);
	assert_link(b, 4, PM_LINK_DOC, "t.md", "t", -1, 12, 3);
}
END_TEST

START_TEST(autolinks_have_positions)
{
	const struct pm_body *b = body("---\n---\n"
				       "# Web\n"						/* 3 */
				       "- x https://q.com/a y https://q.com/a\n"		/* 4 */
				       "  z www.q.com foo@bar.com <https://angle.example>\n"	/* 5 */
				       "\n"
				       "\xC3\xA9\xC3\xA9 https://u.example/p?x=1\n");		/* 7 */
	ck_assert_uint_eq(b->nlinks, 6);
	assert_link(b, 0, PM_LINK_URL, "https://q.com/a", "https://q.com/a", 0, 4, 5);
	/* the same URL twice: the second gets its own column */
	assert_link(b, 1, PM_LINK_URL, "https://q.com/a", "https://q.com/a", 0, 4, 23);
	assert_link(b, 2, PM_LINK_URL, "http://www.q.com", "www.q.com", 0, 5, 5);
	assert_link(b, 3, PM_LINK_URL, "mailto:foo@bar.com", "foo@bar.com", 0, 5, 15);
	assert_link(b, 4, PM_LINK_URL, "https://angle.example", "https://angle.example", 0,
		    5, 27);
	assert_link(b, 5, PM_LINK_URL, "https://u.example/p?x=1", "https://u.example/p?x=1",
		    0, 7, 4);
}
END_TEST

START_TEST(positions_on_continuation_lines)
{
	/* cmark-gfm places inlines on a paragraph's later lines as if they were
	 * indented like its first: over-indented, lazy and quoted lines. */
	const struct pm_body *b = body("---\n---\n"
				       "Para start\n"				/* 3 */
				       "   indented [a](a.md) ADR-001\n"		/* 4 */
				       "\n"
				       "- item\n"				/* 6 */
				       "lazy [b](b.md) ADR-002\n"		/* 7 */
				       "\n"
				       "> q\n"					/* 9 */
				       ">    deep [c](c.md) https://c.example\n");	/* 10 */
	ck_assert_uint_eq(b->nlinks, 6);
	assert_link(b, 0, PM_LINK_DOC, "a.md", "a", -1, 4, 13);
	assert_link(b, 1, PM_LINK_ID, "ADR-001", "ADR-001", -1, 4, 23);
	assert_link(b, 2, PM_LINK_DOC, "b.md", "b", -1, 7, 6);
	assert_link(b, 3, PM_LINK_ID, "ADR-002", "ADR-002", -1, 7, 16);
	assert_link(b, 4, PM_LINK_DOC, "c.md", "c", -1, 10, 11);
	assert_link(b, 5, PM_LINK_URL, "https://c.example", "https://c.example", -1, 10, 21);
}
END_TEST

struct id_case {
	const char *text;
	const char *id;		/* NULL: no ID found */
	uint32_t col;
};

static const struct id_case id_cases[] = {
	{ "ADR-001", "ADR-001", 1 },
	{ "see ADR-001 here", "ADR-001", 5 },
	{ "(ADR-001).", "ADR-001", 2 },
	{ "INC-7, and more", "INC-7", 1 },
	{ "x GOV-123456", "GOV-123456", 3 },
	{ "\xC3\xA9\xE6\x97\xA5 OPP-002", "OPP-002", 4 },
	{ "**ADR-004**", "ADR-004", 3 },
	{ "a\\*b ADR-005", "ADR-005", 6 },
	{ "&amp; &copy; ADR-006", "ADR-006", 14 },
	{ "XADR-001", NULL, 0 },
	{ "ADR-001x", NULL, 0 },
	{ "ADR-001-draft", NULL, 0 },
	{ "_ADR-001", NULL, 0 },
	{ "ADR_001", NULL, 0 },
	{ "ADR-", NULL, 0 },
	{ "ADR-x1", NULL, 0 },
	{ "adr-001", NULL, 0 },
	{ "RFC-001", NULL, 0 },
	{ "`ADR-001`", NULL, 0 },
	{ "<span title=\"ADR-001\">x</span>", NULL, 0 },
	{ "x9ADR-001", NULL, 0 },
};

START_TEST(bare_ids)
{
	const struct id_case *c = &id_cases[_i];
	char text[256];
	snprintf(text, sizeof(text), "---\n---\n# H\n\n%s\n", c->text);
	const struct pm_body *b = body(text);
	if (!c->id) {
		ck_assert_msg(b->nlinks == 0, "'%s' gave a link to '%s'", c->text,
			      b->nlinks ? b->links[0].target : "");
		return;
	}
	ck_assert_uint_eq(b->nlinks, 1);
	assert_link(b, 0, PM_LINK_ID, c->id, c->id, 0, 5, c->col);
}
END_TEST

START_TEST(ids_in_many_places)
{
	const struct pm_body *b = body("---\n---\n"
				       "Before ADR-001 any heading.\n"		/* 3 */
				       "\n"
				       "## About ADR-002\n"			/* 5 */
				       "\n"
				       "```\n"					/* 7 */
				       "ADR-003 in a fence\n"
				       "```\n"
				       "\n"
				       "    ADR-004 indented code\n"		/* 11 */
				       "\n"
				       "> quoted INC-001\n"			/* 13 */
				       "\n"
				       "| id |\n|---|\n| GOV-001 |\n"		/* 15-17 */
				       "\n"
				       "first line\n"				/* 19 */
				       "  OPP-001 ADR-002 ADR-002\n"		/* 20 */
				       "[ADR-009](./adr-009.md) https://x.example/ADR-010\n"); /* 21 */
	ck_assert_uint_eq(b->nlinks, 9);
	assert_link(b, 0, PM_LINK_ID, "ADR-001", "ADR-001", -1, 3, 8);
	assert_link(b, 1, PM_LINK_ID, "ADR-002", "ADR-002", 0, 5, 10);
	assert_link(b, 2, PM_LINK_ID, "INC-001", "INC-001", 0, 13, 10);
	assert_link(b, 3, PM_LINK_ID, "GOV-001", "GOV-001", 0, 17, 3);
	assert_link(b, 4, PM_LINK_ID, "OPP-001", "OPP-001", 0, 20, 3);
	assert_link(b, 5, PM_LINK_ID, "ADR-002", "ADR-002", 0, 20, 11);
	assert_link(b, 6, PM_LINK_ID, "ADR-002", "ADR-002", 0, 20, 19);
	/* a link's own text is not a bare ID; neither is a URL */
	assert_link(b, 7, PM_LINK_DOC, "./adr-009.md", "ADR-009", 0, 21, 1);
	assert_link(b, 8, PM_LINK_URL, "https://x.example/ADR-010",
		    "https://x.example/ADR-010", 0, 21, 25);
}
END_TEST

START_TEST(id_prefixes_come_from_options)
{
	static const char *const mine[] = { "RFC", "ADR" };
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	opts.markdown.id_prefixes = mine;
	opts.markdown.nprefixes = 2;
	const char *text = "---\n---\nRFC-12 and INC-001 and ADR-3\n";
	doc = tu_parse_opts("o.md", text, strlen(text), &opts);
	ck_assert_uint_eq(doc->body.nlinks, 2);
	assert_link(&doc->body, 0, PM_LINK_ID, "RFC-12", "RFC-12", -1, 3, 1);
	assert_link(&doc->body, 1, PM_LINK_ID, "ADR-3", "ADR-3", -1, 3, 24);
	pm_doc_free(doc);
	opts.markdown.nprefixes = 0;
	doc = tu_parse_opts("o.md", text, strlen(text), &opts);
	ck_assert_uint_eq(doc->body.nlinks, 0);
}
END_TEST

/* ---- limits ---------------------------------------------------------------- */

static struct pm_parse_opts limited(size_t cols, size_t rows, size_t sections)
{
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	opts.limits.max_table_columns = cols;
	opts.limits.max_table_rows = rows;
	opts.limits.max_sections = sections;
	return opts;
}

START_TEST(limit_table_columns)
{
	struct pm_parse_opts opts = limited(2, 100, 100);
	const char *text = "---\n---\n# S\n\n| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n\n"
			   "| d |\n|---|\n";
	doc = tu_parse_opts("l.md", text, strlen(text), &opts);
	ck_assert_uint_eq(doc->diags.n, 1);
	const struct pm_diag *d = &doc->diags.items[0];
	ck_assert_str_eq(d->code, PM_C_BODY_LIMIT);
	ck_assert_uint_eq(d->line, 5);
	ck_assert_uint_eq(d->col, 1);
	ck_assert_str_eq(d->message, "table columns over the limit of 2; the rest is ignored");
	ck_assert_uint_eq(doc->body.ntables, 0);
	ck_assert_uint_eq(doc->body.nsections, 1);
}
END_TEST

START_TEST(limit_table_rows)
{
	struct pm_parse_opts opts = limited(10, 2, 100);
	const char *text = "---\n---\n| a |\n|---|\n| 1 |\n| 2 |\n| 3 |\n| 4 |\n";
	doc = tu_parse_opts("l.md", text, strlen(text), &opts);
	ck_assert_uint_eq(doc->diags.n, 1);
	const struct pm_diag *d = &doc->diags.items[0];
	ck_assert_str_eq(d->code, PM_C_BODY_LIMIT);
	ck_assert_uint_eq(d->line, 7);
	ck_assert_str_eq(d->message, "table rows over the limit of 2; the rest is ignored");
	ck_assert_uint_eq(doc->body.ntables, 1);
	ck_assert_uint_eq(doc->body.tables[0].nrows, 2);
	ck_assert_str_eq(doc->body.tables[0].rows[1].cells[0].text, "2");
	/* exactly at the limit: no finding */
	pm_doc_free(doc);
	text = "---\n---\n| a |\n|---|\n| 1 |\n| 2 |\n";
	doc = tu_parse_opts("l.md", text, strlen(text), &opts);
	tu_assert_no_diags(&doc->diags);
	ck_assert_uint_eq(doc->body.tables[0].nrows, 2);
}
END_TEST

START_TEST(limit_sections)
{
	struct pm_parse_opts opts = limited(10, 10, 2);
	const char *text = "---\n---\n# A\n## B\ntext\n# C\n# D\n";
	doc = tu_parse_opts("l.md", text, strlen(text), &opts);
	ck_assert_uint_eq(doc->diags.n, 1);	/* reported once */
	const struct pm_diag *d = &doc->diags.items[0];
	ck_assert_str_eq(d->code, PM_C_BODY_LIMIT);
	ck_assert_uint_eq(d->line, 6);
	ck_assert_str_eq(d->message, "headings over the limit of 2; the rest is ignored");
	ck_assert_uint_eq(doc->body.nsections, 2);
	ck_assert_str_eq(doc->body.sections[1].path, "A > B");
}
END_TEST

START_TEST(many_sections_within_default_limit)
{
	size_t n = 1500;
	char *text = malloc(n * 16 + 16);
	ck_assert_ptr_nonnull(text);
	size_t len = (size_t)sprintf(text, "---\n---\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "## S%zu\n", i);
	doc = tu_parse("many.md", text);
	free(text);
	tu_assert_no_diags(&doc->diags);
	ck_assert_uint_eq(doc->body.nsections, n);
	ck_assert_str_eq(doc->body.sections[n - 1].title, "S1499");
	ck_assert_uint_eq(doc->body.sections[n - 1].line, 2 + n);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *markdown_suite(void);

Suite *markdown_suite(void)
{
	Suite *s = suite_create("markdown");
	TCase *tc = tcase_create("sections");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sections_nested);
	tcase_add_test(tc, sections_skipping_levels);
	tcase_add_test(tc, sections_starting_below_top);
	tcase_add_test(tc, sections_setext);
	tcase_add_loop_test(tc, heading_plain_text, 0, NCASES(heading_cases));
	tcase_add_test(tc, headings_in_containers_are_not_sections);
	tcase_add_test(tc, section_end_skips_trailing_blanks);
	tcase_add_test(tc, section_without_final_newline);
	tcase_add_test(tc, body_lines_are_file_lines);
	tcase_add_test(tc, find_section);
	tcase_add_test(tc, find_section_repeated_titles);
	suite_add_tcase(s, tc);

	tc = tcase_create("tables");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, table_with_outer_pipes);
	tcase_add_test(tc, table_without_outer_pipes);
	tcase_add_test(tc, tables_attach_to_sections);
	tcase_add_test(tc, table_in_list_item);
	tcase_add_test(tc, pipes_in_code_are_not_tables);
	suite_add_tcase(s, tc);

	tc = tcase_create("links");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, document_links);
	tcase_add_test(tc, links_in_containers);
	tcase_add_test(tc, autolinks_have_positions);
	tcase_add_test(tc, positions_on_continuation_lines);
	tcase_add_loop_test(tc, bare_ids, 0, NCASES(id_cases));
	tcase_add_test(tc, ids_in_many_places);
	tcase_add_test(tc, id_prefixes_come_from_options);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, limit_table_columns);
	tcase_add_test(tc, limit_table_rows);
	tcase_add_test(tc, limit_sections);
	tcase_add_test(tc, many_sections_within_default_limit);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(markdown_suite());
}
