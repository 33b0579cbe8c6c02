/* markdown.c - cmark-gfm tree -> sections, tables and links with file
 * positions. */
#include "markdown.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "buf.h"
#include "cmarkmem.h"
#include "codes.h"

/* The table extension exports its node types but no header declares them. */
extern cmark_node_type CMARK_NODE_TABLE;
extern cmark_node_type CMARK_NODE_TABLE_ROW;
extern cmark_node_type CMARK_NODE_TABLE_CELL;
/* Exported by libcmark-gfm (registry.c) but missing from its headers. */
extern void cmark_release_plugins(void);

/* Only what extraction reads: tables, autolinks for bare URLs, and
 * strikethrough so a heading's plain text drops its ~~ as GitHub shows it.
 * Every extension costs parse time on every document; tasklist added a
 * seventh of lint's instructions and nothing pmtool reads. */
static const char *const extension_names[] = {
	"table", "autolink", "strikethrough",
};

void pm_markdown_global_init(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

void pm_markdown_global_release(void)
{
	cmark_release_plugins();
}

struct walker {
	const struct pm_source *src;
	struct pm_arena *a;
	const struct pm_limits *lim;
	const struct pm_markdown_opts *opts;
	struct pm_diags *diags;
	uint32_t line0;		/* file line of the body's first line, minus 1 */
	struct pm_body *out;
	size_t cap_sections, cap_tables, cap_links;
	int current;		/* section the walk is in */
	uint32_t block_line, block_end;	/* the block whose inlines are walked */
	int block_col;		/* cmark's column of that block, 0 for table rows */
	uint32_t cur_line;	/* where locate() searches from: the start of */
	size_t cur_byte;	/* the last inline cmark placed, or past the last found */
	struct pm_buf text;	/* scratch for plain text */
	bool sections_full, tables_full;
	size_t search_budget;	/* bytes locate() may still scan in this block */
	uint32_t col_line, col_cp;	/* the last column worked out: its line, */
	size_t col_byte;		/* its byte offset and code points before it */
	unsigned char id_start[256];	/* 1 for the first letter of an ID prefix */
};

static int skip_blanks(const struct walker *w, uint32_t line, int byte_col);
static bool locate(struct walker *w, const char *needle, uint32_t *line, uint32_t *col);

static uint32_t file_line(const struct walker *w, int cmark_line)
{
	return cmark_line > 0 ? w->line0 + (uint32_t)cmark_line : w->line0 + 1;
}

/* pm_source_char_col() counts from the start of the line; a long line with
 * many links or IDs would cost its length for each.  The columns a walk asks
 * for mostly move forward along a line, so the count goes on from the last
 * one asked for. */
static uint32_t char_col(struct walker *w, uint32_t line, uint32_t byte_col)
{
	size_t len;
	const char *p = pm_source_line(w->src, line, &len);
	if (!p || byte_col == 0)
		return byte_col;
	size_t want = byte_col - 1, stop = want < len ? want : len, i = 0;
	uint32_t cp = 0;
	if (w->col_line == line && w->col_byte <= stop) {
		i = w->col_byte;
		cp = w->col_cp;
	}
	for (; i < stop; i++)
		cp += ((unsigned char)p[i] & 0xC0) != 0x80;
	w->col_line = line;
	w->col_byte = stop;
	w->col_cp = cp;
	return cp + (uint32_t)(want - stop) + 1;
}

static uint32_t file_col(struct walker *w, uint32_t line, int cmark_col)
{
	return char_col(w, line, cmark_col > 0 ? (uint32_t)cmark_col : 1);
}

/* Appends the plain text of an inline subtree: text and code verbatim,
 * breaks as one space, raw HTML dropped.  An iterator, not recursion:
 * emphasis can nest as deep as the file is long ("*a **a " x 65000). */
static void plain_text(struct pm_buf *b, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			pm_buf_adds(b, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			pm_buf_addc(b, ' ');
			break;
		default:
			break;	/* raw HTML is dropped; containers are entered */
		}
	}
	cmark_iter_free(it);
}

/* Plain text of node, trimmed, copied into the arena. */
static const char *node_text(struct walker *w, cmark_node *node)
{
	pm_buf_reset(&w->text);
	plain_text(&w->text, node);
	const char *s = pm_buf_cstr(&w->text);
	size_t n = w->text.len;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	while (n && isspace((unsigned char)*s))
		s++, n--;
	return pm_arena_strndup(w->a, s, n);
}

static int note_limit(struct walker *w, uint32_t line, const char *what, size_t limit)
{
	struct pm_diag *dg = pm_diags_add(w->diags, w->src->path, line, 1, PM_SEV_ERROR,
					  PM_C_BODY_LIMIT,
					  "%s over the limit of %zu; the rest is ignored",
					  what, limit);
	return dg ? 0 : PM_ERR_NOMEM;
}

static void extend_section(struct walker *w, int s, uint32_t end_line)
{
	for (; s >= 0; s = w->out->sections[s].parent)
		if (w->out->sections[s].end_line < end_line)
			w->out->sections[s].end_line = end_line;
}

static int add_section(struct walker *w, cmark_node *h)
{
	struct pm_body *b = w->out;
	uint32_t line = file_line(w, cmark_node_get_start_line(h));
	if (b->nsections >= w->lim->max_sections) {
		if (!w->sections_full) {
			w->sections_full = true;
			return note_limit(w, line, "headings", w->lim->max_sections);
		}
		return 0;
	}
	if (!PM_ARENA_PUSH(w->a, b->sections, b->nsections, w->cap_sections))
		return PM_ERR_NOMEM;
	struct pm_section *s = &b->sections[b->nsections];
	memset(s, 0, sizeof(*s));
	s->level = cmark_node_get_heading_level(h);
	s->line = line;
	s->col = file_col(w, line, cmark_node_get_start_column(h));
	s->end_line = file_line(w, cmark_node_get_end_line(h));
	s->title = node_text(w, h);
	if (!s->title)
		return PM_ERR_NOMEM;
	/* The parent is the nearest earlier heading of a higher rank. */
	s->parent = w->current;
	while (s->parent >= 0 && b->sections[s->parent].level >= s->level)
		s->parent = b->sections[s->parent].parent;
	size_t depth = 1;
	for (int p = s->parent; p >= 0; p = b->sections[p].parent)
		depth++;
	if (depth > w->lim->max_section_depth) {
		/* Not a section: its content stays with the section it is in. */
		struct pm_diag *dg = pm_diags_add(w->diags, w->src->path, line, s->col,
						  PM_SEV_ERROR, PM_C_BODY_LIMIT,
						  "heading '%s' is %zu sections deep, over the limit "
						  "of %zu; it is not a section", s->title, depth,
						  w->lim->max_section_depth);
		if (!dg)
			return PM_ERR_NOMEM;
		pm_diag_set_hint(w->diags, dg, "use a higher heading level, or raise "
				 "limits.max_section_depth");
		return 0;
	}
	s->path = s->parent < 0 ? s->title
		: pm_arena_printf(w->a, "%s > %s", b->sections[s->parent].path, s->title);
	if (!s->path)
		return PM_ERR_NOMEM;
	extend_section(w, s->parent, s->end_line);
	w->current = (int)b->nsections++;
	return 0;
}

static int add_table(struct walker *w, cmark_node *t)
{
	struct pm_body *b = w->out;
	uint32_t line = file_line(w, cmark_node_get_start_line(t));
	if (w->tables_full)
		return 0;
	if (!PM_ARENA_PUSH(w->a, b->tables, b->ntables, w->cap_tables))
		return PM_ERR_NOMEM;
	struct pm_table *tb = &b->tables[b->ntables];
	memset(tb, 0, sizeof(*tb));
	tb->section = w->current;
	tb->line = line;
	tb->end_line = file_line(w, cmark_node_get_end_line(t));
	size_t ncols = cmark_gfm_extensions_get_table_columns(t);
	if (ncols > w->lim->max_table_columns) {
		w->tables_full = true;
		return note_limit(w, line, "table columns", w->lim->max_table_columns);
	}
	tb->ncols = ncols;
	size_t rows_cap = 0;
	for (cmark_node *r = cmark_node_first_child(t); r; r = cmark_node_next(r)) {
		bool header = cmark_gfm_extensions_get_table_row_is_header(r);
		struct pm_cell *cells = pm_arena_array(w->a, ncols ? ncols : 1, sizeof(*cells));
		if (!cells)
			return PM_ERR_NOMEM;
		uint32_t rline = file_line(w, cmark_node_get_start_line(r));
		size_t i = 0;
		for (cmark_node *c = cmark_node_first_child(r); c && i < ncols;
		     c = cmark_node_next(c), i++) {
			cells[i].text = node_text(w, c);
			if (!cells[i].text)
				return PM_ERR_NOMEM;
			cells[i].line = rline;
			cells[i].col = file_col(w, rline, skip_blanks(w, rline,
								      cmark_node_get_start_column(c)));
		}
		for (; i < ncols; i++) {
			cells[i].text = "";
			cells[i].line = rline;
		}
		if (header) {
			tb->header = cells;
			continue;
		}
		if (tb->nrows >= w->lim->max_table_rows) {
			/* Keep the rows read so far; later tables are still read. */
			b->ntables++;
			return note_limit(w, rline, "table rows", w->lim->max_table_rows);
		}
		if (!PM_ARENA_PUSH(w->a, tb->rows, tb->nrows, rows_cap))
			return PM_ERR_NOMEM;
		tb->rows[tb->nrows].line = rline;
		tb->rows[tb->nrows++].cells = cells;
	}
	b->ntables++;
	return 0;
}

/* cmark's cell starts include the blanks after the pipe; people mean the
 * first character of the content. */
static int skip_blanks(const struct walker *w, uint32_t line, int byte_col)
{
	size_t len;
	const char *p = pm_source_line(w->src, line, &len);
	if (!p || byte_col < 1)
		return byte_col;
	size_t i = (size_t)byte_col - 1;
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i < len && p[i] != '|' ? (int)i + 1 : byte_col;
}

static bool is_doc_url(const char *url)
{
	if (!url || !*url || strstr(url, "://") || !strncasecmp(url, "mailto:", 7))
		return false;
	size_t n = strcspn(url, "#?");
	return n >= 3 && !strncasecmp(url + n - 3, ".md", 3);
}

static int push_link(struct walker *w, enum pm_link_kind kind, const char *target,
		     size_t target_len, const char *text, uint32_t line, uint32_t col)
{
	struct pm_body *b = w->out;
	if (!PM_ARENA_PUSH(w->a, b->links, b->nlinks, w->cap_links))
		return PM_ERR_NOMEM;
	struct pm_link *l = &b->links[b->nlinks];
	l->kind = kind;
	l->target = pm_arena_strndup(w->a, target, target_len);
	l->text = text ? text : l->target;
	l->section = w->current;
	l->line = line;
	l->col = col;
	if (!l->target || !l->text)
		return PM_ERR_NOMEM;
	b->nlinks++;
	return 0;
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Finds bare IDs ("ADR-001") in a text node; prefixes come from the options
 * so a team's own types are found too. */
static int scan_ids(struct walker *w, cmark_node *t)
{
	const char *s = cmark_node_get_literal(t);
	if (!s || !w->opts)
		return 0;
	for (size_t i = 0; s[i]; i++) {
		if (!w->id_start[(unsigned char)s[i]] || (i > 0 && is_word(s[i - 1])))
			continue;
		for (size_t p = 0; p < w->opts->nprefixes; p++) {
			const char *pre = w->opts->id_prefixes[p];
			if (s[i] != pre[0])	/* most letters start no prefix: cheap out */
				continue;
			size_t pn = strlen(pre);
			if (strncmp(s + i, pre, pn) || s[i + pn] != '-' ||
			    !isdigit((unsigned char)s[i + pn + 1]))
				continue;
			size_t e = i + pn + 1;
			while (isdigit((unsigned char)s[e]))
				e++;
			if (is_word(s[e]))
				continue;
			/* The literal has escapes and entities decoded, so its
			 * offsets are not the source's: find the ID in the source,
			 * from the text node's start on. */
			uint32_t col, id_line;
			char id[64];
			snprintf(id, sizeof(id), "%.*s", (int)(e - i), s + i);
			locate(w, id, &id_line, &col);
			int rc = push_link(w, PM_LINK_ID, s + i, e - i, NULL, id_line, col);
			if (rc)
				return rc;
			i = e - 1;
			break;
		}
	}
	return 0;
}

/* Finds needle in the block's lines from (line, byte) on; true when found,
 * with the cursor moved past it.  What it scans comes out of the block's
 * search budget: text that is not in the source (entities, escapes) would
 * otherwise cost a scan of the rest of the block for every occurrence. */
static bool search(struct walker *w, const char *needle, uint32_t from_line,
		   size_t from_byte, uint32_t *line, uint32_t *col)
{
	size_t nlen = strlen(needle);
	for (uint32_t l = from_line; nlen && l <= w->block_end && w->search_budget;
	     l++, from_byte = 0) {
		size_t len;
		const char *p = pm_source_line(w->src, l, &len);
		if (!p || from_byte >= len || len - from_byte < nlen)
			continue;
		size_t span = len - from_byte;
		if (span > w->search_budget)
			span = w->search_budget;
		const char *hit = memmem(p + from_byte, span, needle, nlen);
		size_t used = hit ? (size_t)(hit - (p + from_byte)) + nlen : span;
		w->search_budget -= used < w->search_budget ? used : w->search_budget;
		if (hit) {
			size_t i = (size_t)(hit - p);
			*line = l;
			*col = char_col(w, l, (uint32_t)i + 1);
			w->cur_line = l;
			w->cur_byte = i + nlen;
			return true;
		}
	}
	return false;
}

/* Starts the inline walk of a block (a paragraph, a heading, a table row):
 * the search cursor at its start, and a search budget of a few times its
 * size. */
static void enter_block(struct walker *w, uint32_t line, uint32_t end, int col)
{
	w->block_line = line;
	w->block_end = end;
	w->block_col = col;
	w->cur_line = line;
	w->cur_byte = 0;
	size_t from = pm_source_line_offset(w->src, line);
	size_t to = pm_source_line_offset(w->src, end + 1);
	w->search_budget = 4 * (to > from ? to - from : 0) + 4096;
}

/* Inlines made by extensions (autolinks) carry no position, or a wrong one,
 * and decoded text is not the source: find the text in the lines of the
 * enclosing block instead, from the last inline cmark placed on. */
static bool locate(struct walker *w, const char *needle, uint32_t *line, uint32_t *col)
{
	if (search(w, needle, w->cur_line, w->cur_byte, line, col) ||
	    search(w, needle, w->block_line, 0, line, col))
		return true;
	*line = w->block_line;
	*col = 1;
	return false;
}

/* The file line and 0-based byte offset where cmark says an inline starts;
 * false when it says nothing.  cmark-gfm places inlines on a paragraph's
 * later lines as if each line's content began at the paragraph's first
 * column, so the offset is moved to where that content really begins
 * (after indentation and '>' markers). */
static bool inline_pos(const struct walker *w, cmark_node *node, uint32_t *line,
		       size_t *byte)
{
	int sl = cmark_node_get_start_line(node);
	int sc = cmark_node_get_start_column(node);
	if (sl <= 0 || sc <= 0)
		return false;
	*line = file_line(w, sl);
	*byte = (size_t)sc - 1;
	if (*line > w->block_line && w->block_col > 0) {
		size_t len, start = 0, shift = (size_t)w->block_col - 1;
		const char *p = pm_source_line(w->src, *line, &len);
		while (p && start < len && (p[start] == ' ' || p[start] == '\t' ||
					    p[start] == '>'))
			start++;
		*byte = start + (*byte > shift ? *byte - shift : 0);
	}
	return true;
}

/* Moves the search cursor to where cmark says node starts, if it says. */
static void seek(struct walker *w, cmark_node *node)
{
	uint32_t line;
	size_t byte;
	if (inline_pos(w, node, &line, &byte)) {
		w->cur_line = line;
		w->cur_byte = byte;
	}
}

/* Places a link: at its '[' or '<' when cmark's position points there;
 * otherwise (autolinks: no position, or one off by one) by its text, from
 * the cursor on, stepping back over a '<' or '[' before it. */
static void place_link(struct walker *w, cmark_node *link, const char *text,
		       uint32_t *line, uint32_t *col)
{
	size_t byte, len;
	const char *p = inline_pos(w, link, line, &byte) ? pm_source_line(w->src, *line, &len)
							: NULL;
	if (p && byte < len && (p[byte] == '[' || p[byte] == '<')) {
		*col = char_col(w, *line, (uint32_t)byte + 1);
		return;
	}
	if (!locate(w, text, line, col))
		return;
	p = pm_source_line(w->src, *line, &len);
	size_t at = w->cur_byte - strlen(text);	/* locate left the cursor past it */
	if (p && at > 0 && (p[at - 1] == '<' || p[at - 1] == '['))
		*col -= 1;
}

/* Links and IDs in the inlines under node, in document order.  An iterator,
 * not recursion: inlines nest as deep as the file is long. */
static int walk_inlines(struct walker *w, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	int rc = 0;
	while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || c == node)
			continue;
		cmark_node_type type = cmark_node_get_type(c);
		seek(w, c);
		if (type == CMARK_NODE_LINK) {
			const char *url = cmark_node_get_url(c);
			const char *text = node_text(w, c);
			if (!text) {
				rc = PM_ERR_NOMEM;
				break;
			}
			uint32_t line, col;
			place_link(w, c, text, &line, &col);
			rc = push_link(w, is_doc_url(url) ? PM_LINK_DOC : PM_LINK_URL,
				       url ? url : "", url ? strlen(url) : 0, text, line, col);
			/* The link's text is its own, not more links or IDs. */
			cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
		} else if (type == CMARK_NODE_TEXT) {
			rc = scan_ids(w, c);
		}
		/* Code and raw HTML are leaves; other inlines are entered. */
	}
	cmark_iter_free(it);
	return rc;
}

/* Walks the blocks inside one top-level block for tables and links.  An
 * iterator, not recursion: block quotes and lists nest as deep as the file
 * is long ("> " x 25000). */
static int walk_block(struct walker *w, cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	int rc = 0;
	while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type type = cmark_node_get_type(n);
		if (type == CMARK_NODE_TABLE) {
			rc = add_table(w, n);
			for (cmark_node *r = cmark_node_first_child(n); r && !rc;
			     r = cmark_node_next(r)) {
				uint32_t line = file_line(w, cmark_node_get_start_line(r));
				enter_block(w, line, line, 0);
				for (cmark_node *c = cmark_node_first_child(r); c && !rc;
				     c = cmark_node_next(c))
					rc = walk_inlines(w, c);
			}
		} else if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING) {
			enter_block(w, file_line(w, cmark_node_get_start_line(n)),
				    file_line(w, cmark_node_get_end_line(n)),
				    cmark_node_get_start_column(n));
			rc = walk_inlines(w, n);
		} else {
			continue;	/* containers are entered; code and HTML are leaves */
		}
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
	}
	cmark_iter_free(it);
	return rc;
}

/* ---- what cmark-gfm is given --------------------------------------------
 *
 * cmark-gfm's cost is paid while it builds its tree, before any limit on
 * the tree could be checked, so one pass over the bytes bounds it first.
 *
 * The markup budget (limits.max_markup): cmark-gfm spends a few microseconds
 * and a few hundred bytes on every node, and a 4 MiB body can ask for a
 * million.  Each line, each block marker at the start of a line ('>', list
 * markers), each of *_[]!<>&~\ and each run of ` counts one unit; '|' (a
 * table cell), an '@' inside an e-mail address, "www." and "://" (autolinks)
 * count two.  The body is cut at the start of the line where the count
 * passes the limit.
 *
 * cmark-gfm 0.29.0.gfm.6 (Debian 12) also takes quadratic time or memory on
 * a few inputs well inside that budget.  Their lines are blanked (spaces,
 * same length, so every line and column stays where it was) in a copy that
 * cmark parses instead:
 *  - a line with more than ROW_PIPES_MAX '|' and more than a table row within
 *    limits.max_table_columns can have (the table extension is quadratic in
 *    the cells of a row);
 *  - a paragraph with more than IMAGE_OPENERS_MAX "![" (every link closed
 *    after them walks back over every unclosed image opener);
 *  - lines of e-mail addresses once the autolink extension would have copied
 *    EMAIL_COPY_MAX bytes (it copies the rest of the text for each address).
 * docs/security.md has the measurements. */

#define ROW_PIPES_MAX 256
#define IMAGE_OPENERS_MAX 256
#define EMAIL_COPY_MAX ((size_t)16 << 20)

struct guard {
	uint32_t line, col;	/* the first place found */
	size_t count;		/* what was found there */
	size_t nlines;		/* lines left out for it */
};

struct prescan {
	struct walker *w;
	size_t body_start;
	char *copy;		/* the body with lines blanked; NULL until needed */
	size_t len;		/* bytes of the body cmark is given */
	struct guard cells, images, emails, markup;
};

static int blank_lines(struct prescan *ps, uint32_t from, uint32_t to, struct guard *g)
{
	const struct pm_source *src = ps->w->src;
	size_t n = src->len - ps->body_start;
	if (!ps->copy) {
		ps->copy = malloc(n ? n : 1);
		if (!ps->copy)
			return PM_ERR_NOMEM;
		memcpy(ps->copy, src->data + ps->body_start, n);
	}
	for (uint32_t l = from; l <= to; l++) {
		size_t len;
		const char *p = pm_source_line(src, l, &len);
		if (p && (size_t)(p - src->data) >= ps->body_start)
			memset(ps->copy + (p - src->data) - ps->body_start, ' ', len);
		g->nlines++;
	}
	return 0;
}

static void first_hit(struct prescan *ps, struct guard *g, uint32_t line, size_t byte,
		      size_t count)
{
	if (g->line)
		return;
	g->line = line;
	g->col = char_col(ps->w, line, (uint32_t)byte + 1);
	g->count = count;
}

static bool is_blank(const char *p, size_t len)
{
	return strspn(p, " \t") >= len;
}

static bool email_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '+' || c == '-' || c == '_';
}

static bool email_at(const char *p, size_t len, size_t i)
{
	return i > 0 && i + 1 < len && email_char((unsigned char)p[i - 1]) &&
	       isalnum((unsigned char)p[i + 1]);
}

/* The bytes markup_units() and prescan_body() look at; 0 for plain text. */
static const unsigned char markup_byte[256] = {
	['*'] = 1, ['_'] = 1, ['['] = 1, [']'] = 1, ['!'] = 1, ['<'] = 1, ['>'] = 1,
	['&'] = 1, ['`'] = 1, ['~'] = 1, ['\\'] = 1, ['|'] = 1, ['@'] = 1, ['w'] = 1,
	[':'] = 1,
};

/* The markup units of one line, its own unit not counted.  *guarded is
 * set when the line holds a byte prescan_body() must look at again ('|',
 * '!' or '@'): most lines hold none, and are read once. */
static size_t markup_units(const char *p, size_t len, bool *guarded)
{
	size_t u = 0, i = 0;
	/* Block markers: nested block quotes and list items on one line. */
	while (i < len) {
		if (p[i] == ' ' || p[i] == '\t') {
			i++;
		} else if (p[i] == '>' || p[i] == '+' || p[i] == '-' || p[i] == '*') {
			i++;
			u++;
		} else if (isdigit((unsigned char)p[i])) {
			size_t j = i;
			while (j < len && isdigit((unsigned char)p[j]))
				j++;
			if (j == len || (p[j] != '.' && p[j] != ')'))
				break;
			i = j + 1;
			u++;
		} else {
			break;
		}
	}
	for (; i < len; i++) {
		/* Most bytes are plain text: skip them a table lookup each. */
		while (i < len && !markup_byte[(unsigned char)p[i]])
			i++;
		if (i == len)
			break;
		switch (p[i]) {
		case '!':
			*guarded = true;
			u++;
			break;
		case '*': case '_': case '[': case ']': case '<': case '>':
		case '&': case '~': case '\\':
			u++;
			break;
		case '`':	/* a run of backticks is one code span delimiter */
			u += i == 0 || p[i - 1] != '`';
			break;
		case '|':
			*guarded = true;
			u += 2;
			break;
		case '@':
			*guarded = true;
			u += email_at(p, len, i) ? 2 : 1;
			break;
		case 'w':	/* autolinks: www.example.com, https://... */
			u += i + 4 <= len && !memcmp(p + i, "www.", 4) ? 2 : 0;
			break;
		case ':':
			u += i + 3 <= len && !memcmp(p + i, "://", 3) ? 2 : 0;
			break;
		default:
			break;
		}
	}
	return u;
}

static int prescan_body(struct prescan *ps, uint32_t body_line)
{
	const struct pm_source *src = ps->w->src;
	const struct pm_limits *lim = ps->w->lim;
	size_t max_pipes = lim->max_table_columns + 1, copied = 0, images = 0, units = 0;
	if (max_pipes < ROW_PIPES_MAX)
		max_pipes = ROW_PIPES_MAX;
	uint32_t run = 0;	/* first line of the paragraph-like run of lines */
	bool run_bad = false;
	int rc = 0;
	ps->len = ps->w->src->len - ps->body_start;
	for (uint32_t l = body_line; l <= src->nlines + 1 && !rc; l++) {
		size_t len = 0;
		bool guarded = false;
		const char *p = l <= src->nlines ? pm_source_line(src, l, &len) : NULL;
		if (p && (size_t)(p - src->data) < ps->body_start)
			continue;	/* the closing fence's line, when the body starts after it */
		if (p) {
			/* The markup budget, before anything else of this line. */
			size_t u = 1 + markup_units(p, len, &guarded);
			if (u > lim->max_markup - units) {
				ps->markup.line = l;
				ps->markup.col = 1;
				ps->markup.nlines = 1;
				ps->len = (size_t)(p - src->data) - ps->body_start;
				p = NULL;	/* the run before the cut ends here */
			} else {
				units += u;
			}
		}
		if (!p || is_blank(p, len)) {
			if (run_bad)
				rc = blank_lines(ps, run, l - 1, &ps->images);
			run = 0;
			run_bad = false;
			images = 0;
			if (ps->markup.line)
				break;
			continue;
		}
		if (!run)
			run = l;
		if (!guarded)
			continue;	/* no cells, images or addresses to count */
		size_t pipes = 0, ats = 0, first_at = 0;
		bool cells_bad = false;
		for (size_t i = 0; i < len; i++) {
			while (i < len && !markup_byte[(unsigned char)p[i]])
				i++;
			if (i == len)
				break;
			unsigned char c = (unsigned char)p[i];
			if (c == '\\') {
				i++;	/* an escaped character is text */
			} else if (c == '|') {
				if (++pipes > max_pipes && !cells_bad) {
					cells_bad = true;
					first_hit(ps, &ps->cells, l, i, 0);
				}
			} else if (c == '!' && i + 1 < len && p[i + 1] == '[') {
				if (++images > IMAGE_OPENERS_MAX && !run_bad) {
					run_bad = true;
					first_hit(ps, &ps->images, l, i, 0);
				}
			} else if (c == '@' && email_at(p, len, i)) {
				if (!ats++)
					first_at = i;
			}
		}
		if (cells_bad) {
			if (ps->cells.count == 0)
				ps->cells.count = pipes;
			rc = blank_lines(ps, l, l, &ps->cells);
			continue;
		}
		size_t cost = ats < 2 ? 0 : (ats < 1000 ? ats : 1000) * len;
		if (cost > EMAIL_COPY_MAX - copied) {
			first_hit(ps, &ps->emails, l, first_at, ats);
			rc = blank_lines(ps, l, l, &ps->emails);
		} else {
			copied += cost;
		}
	}
	return rc;
}

static int report_guard(struct walker *w, const struct guard *g, const char *hint,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int report_guard(struct walker *w, const struct guard *g, const char *hint,
			const char *fmt, ...)
{
	if (!g->nlines)
		return 0;
	char what[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	struct pm_diag *dg = g->nlines == 1
		? pm_diags_add(w->diags, w->src->path, g->line, g->col, PM_SEV_ERROR,
			       PM_C_BODY_LIMIT, "%s; the line is left out", what)
		: pm_diags_add(w->diags, w->src->path, g->line, g->col, PM_SEV_ERROR,
			       PM_C_BODY_LIMIT, "%s; %zu lines are left out", what, g->nlines);
	if (!dg)
		return PM_ERR_NOMEM;
	pm_diag_set_hint(w->diags, dg, "%s", hint);
	return 0;
}

static int report_guards(struct walker *w, const struct prescan *ps)
{
	int rc = 0;
	if (ps->markup.line) {
		struct pm_diag *dg = pm_diags_add(w->diags, w->src->path, ps->markup.line, 1,
						  PM_SEV_ERROR, PM_C_BODY_LIMIT,
						  "Markdown markup over the limit of %zu; the rest "
						  "of the body is ignored", w->lim->max_markup);
		if (!dg)
			return PM_ERR_NOMEM;
		pm_diag_set_hint(w->diags, dg, "split the document, or raise limits.max_markup");
	}
	rc = report_guard(w, &ps->cells, "split the table, or raise limits.max_table_columns",
			  "line has %zu '|', more cells than a table row of %zu columns "
			  "may have", ps->cells.count, w->lim->max_table_columns);
	if (!rc)
		rc = report_guard(w, &ps->images, "separate the images with blank lines",
				  "paragraph has more than %d image openers '!['",
				  IMAGE_OPENERS_MAX);
	if (!rc)
		rc = report_guard(w, &ps->emails, "break the line, or put the addresses in "
				  "code spans", "line has %zu e-mail addresses; autolinking "
				  "them would copy more than %zu MiB", ps->emails.count,
				  EMAIL_COPY_MAX >> 20);
	return rc;
}

int pm_markdown_bound(const char *md, size_t len, const struct pm_limits *lim, char **copy,
		      size_t *use_len)
{
	*copy = NULL;
	*use_len = len;
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_source src;
	int rc = pm_source_from_memory(&src, &a, "", md, len);
	struct walker w = { .src = &src, .lim = lim };
	struct prescan ps = { .w = &w };
	if (!rc && len)
		rc = prescan_body(&ps, 1);
	pm_arena_release(&a);
	if (rc) {
		free(ps.copy);
		return rc;
	}
	*copy = ps.copy;
	*use_len = len ? ps.len : 0;
	return 0;
}

int pm_markdown_parse(struct pm_body *out, const struct pm_source *src,
		      size_t body_start, uint32_t body_line, struct pm_arena *a,
		      const struct pm_limits *lim,
		      const struct pm_markdown_opts *opts, struct pm_diags *diags)
{
	memset(out, 0, sizeof(*out));
	struct walker w = {
		.src = src, .a = a, .lim = lim, .opts = opts, .diags = diags,
		.line0 = body_line - 1, .out = out, .current = -1,
	};
	pm_buf_init(&w.text);
	for (size_t p = 0; opts && p < opts->nprefixes; p++)
		w.id_start[(unsigned char)opts->id_prefixes[p][0]] = 1;
	int rc = 0;
	/* cmark's tree lives in a bump arena for this parse: freed at once at
	 * the end, not node by node. About 8 bytes of tree per byte of text. */
	struct pm_cmark_arena mem;
	size_t body_len = body_start < src->len ? src->len - body_start : 0;
	cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES,
							 pm_cmark_arena_begin(&mem, body_len * 8));
	for (size_t i = 0; i < sizeof(extension_names) / sizeof(extension_names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(extension_names[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	struct prescan ps = { .w = &w, .body_start = body_start };
	if (body_start < src->len)
		rc = prescan_body(&ps, body_line);
	if (!rc)
		rc = report_guards(&w, &ps);
	if (rc) {
		free(ps.copy);
		pm_cmark_arena_end(&mem);
		pm_buf_release(&w.text);
		return rc;
	}
	if (body_start < src->len && ps.len)
		cmark_parser_feed(parser, ps.copy ? ps.copy : src->data + body_start, ps.len);
	cmark_node *doc = cmark_parser_finish(parser);
	free(ps.copy);
	w.col_line = 0;	/* the guards' columns were worked out on other lines */
	if (!doc) {
		pm_cmark_arena_end(&mem);
		pm_buf_release(&w.text);
		return PM_ERR_NOMEM;
	}
	for (cmark_node *c = cmark_node_first_child(doc); c && !rc; c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING) {
			rc = add_section(&w, c);
		} else if (w.current >= 0) {
			out->sections[w.current].nblocks++;
			if (cmark_node_get_type(c) == CMARK_NODE_LIST)
				for (cmark_node *it = cmark_node_first_child(c); it;
				     it = cmark_node_next(it))
					out->sections[w.current].nitems++;
			extend_section(&w, w.current, file_line(&w, cmark_node_get_end_line(c)));
		}
		if (!rc)
			rc = walk_block(&w, c);
	}
	pm_cmark_arena_end(&mem);	/* the tree and the parser */
	/* cmark counts the blank line after a list into the list. */
	for (size_t i = 0; i < out->nsections; i++) {
		struct pm_section *sec = &out->sections[i];
		size_t len;
		const char *p;
		while (sec->end_line > sec->line &&
		       (p = pm_source_line(src, sec->end_line, &len)) != NULL &&
		       strspn(p, " \t") >= len)
			sec->end_line--;
	}
	if (!rc && w.text.failed)
		rc = PM_ERR_NOMEM;
	pm_buf_release(&w.text);
	return rc;
}

int pm_body_find_section(const struct pm_body *b, const char *name, size_t from)
{
	bool is_path = strstr(name, " > ") != NULL;
	for (size_t i = from; i < b->nsections; i++) {
		const char *have = is_path ? b->sections[i].path : b->sections[i].title;
		if (!strcasecmp(have, name))
			return (int)i;
	}
	return -1;
}
