/* fuzz_markdown.c - the body extractor (sections, tables, links) and the
 * safe HTML the report pages show.
 *
 * The input is a Markdown body.  pm_markdown_parse() extracts it with the
 * default limits; pm_markdown_to_html() renders it with a link rewriter in
 * place, as report pages do.
 *
 * Properties checked: sections nest by level with earlier parents and
 * lines of the file; tables stay within the column and row limits with a
 * cell (and its text) in every column; links and findings point at lines
 * of the file; every section can be found by its own title.  In the HTML
 * every tag is one cmark-gfm writes (raw HTML is left out), no attribute
 * is an event handler, and no href or src is a script URL however it is
 * spelled (entities, case, leading controls, tabs and line ends, which
 * browsers drop).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "doc.h"
#include "markdown.h"
#include "mdhtml.h"
#include "source.h"

#include "fuzz.h"

static void release(void)
{
	pm_markdown_global_release();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pm_markdown_global_init();
	atexit(release);
	return 0;
}

static void check_body(const struct pm_body *b, const struct pm_source *src,
		       const struct pm_limits *lim)
{
	uint32_t last = src->nlines + 1;
	FUZZ_CHECK(b->nsections <= lim->max_sections);
	for (size_t i = 0; i < b->nsections; i++) {
		const struct pm_section *s = &b->sections[i];
		FUZZ_CHECK(s->title && s->path);
		FUZZ_CHECK(s->level >= 1 && s->level <= 6);
		FUZZ_CHECK(s->parent >= -1 && s->parent < (int)i);
		if (s->parent >= 0) {
			const struct pm_section *p = &b->sections[s->parent];
			FUZZ_CHECK(p->level < s->level);
			FUZZ_CHECK(p->line <= s->line && p->end_line >= s->end_line);
		}
		FUZZ_CHECK(s->line >= 1 && s->line <= last);
		FUZZ_CHECK(s->end_line >= s->line && s->end_line <= last);
		FUZZ_CHECK(s->col >= 1);
		/* A title holding " > " reads as a path (markdown.h): only a
		 * top-level one is found by it. */
		int found;
		if (s->parent < 0 || !strstr(s->title, " > ")) {
			found = pm_body_find_section(b, s->title, 0);
			FUZZ_CHECK(found >= 0 && found <= (int)i);
		}
		found = pm_body_find_section(b, s->path, 0);
		FUZZ_CHECK(found >= 0 && found <= (int)i);
	}
	for (size_t i = 0; i < b->ntables; i++) {
		const struct pm_table *t = &b->tables[i];
		FUZZ_CHECK(t->section >= -1 && t->section < (int)b->nsections);
		FUZZ_CHECK(t->ncols <= lim->max_table_columns);
		FUZZ_CHECK(t->nrows <= lim->max_table_rows);
		FUZZ_CHECK(t->line >= 1 && t->line <= t->end_line && t->end_line <= last);
		for (size_t c = 0; t->header && c < t->ncols; c++)
			FUZZ_CHECK(t->header[c].text);
		for (size_t r = 0; r < t->nrows; r++) {
			const struct pm_row *row = &t->rows[r];
			FUZZ_CHECK(row->line >= t->line && row->line <= t->end_line);
			for (size_t c = 0; c < t->ncols; c++) {
				FUZZ_CHECK(row->cells[c].text);
				FUZZ_CHECK(row->cells[c].line == row->line);
			}
		}
	}
	for (size_t i = 0; i < b->nlinks; i++) {
		const struct pm_link *l = &b->links[i];
		FUZZ_CHECK(l->kind == PM_LINK_DOC || l->kind == PM_LINK_ID || l->kind == PM_LINK_URL);
		FUZZ_CHECK(l->target && l->text);
		FUZZ_CHECK(l->section >= -1 && l->section < (int)b->nsections);
		FUZZ_CHECK(l->line >= 1 && l->line <= last && l->col >= 1);
	}
}

/* ---- the HTML ---------------------------------------------------------- */

static const char *const tags[] = {
	"a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
	"hr", "img", "input", "li", "ol", "p", "pre", "strong", "table", "tbody", "td",
	"th", "thead", "tr", "ul", "sup", "section", "div",
};

static bool known_tag(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strlen(tags[i]) == n && !strncasecmp(tags[i], s, n))
			return true;
	return false;
}

/* The attribute value as a browser reads it: entities decoded (the ones
 * an escaper writes, numeric ones too), then tabs and line ends dropped
 * and leading controls and spaces skipped, as the URL parser does. */
static void url_of(const char *v, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < size; i++) {
		unsigned long c = (unsigned char)v[i];
		if (c == '&') {
			const char *semi = memchr(v + i, ';', n - i);
			if (semi) {
				size_t len = (size_t)(semi - (v + i));
				if (len > 2 && v[i + 1] == '#') {
					char *end;
					c = (v[i + 2] == 'x' || v[i + 2] == 'X')
						? strtoul(v + i + 3, &end, 16) : strtoul(v + i + 2, &end, 10);
					i += len;
				} else if (!strncmp(v + i, "&amp;", 5)) {
					c = '&', i += 4;
				} else if (!strncmp(v + i, "&quot;", 6)) {
					c = '"', i += 5;
				} else if (!strncmp(v + i, "&lt;", 4)) {
					c = '<', i += 3;
				} else if (!strncmp(v + i, "&gt;", 4)) {
					c = '>', i += 3;
				} else if (!strncasecmp(v + i, "&colon;", 7)) {
					c = ':', i += 6;
				} else if (!strncasecmp(v + i, "&tab;", 5)) {
					c = '\t', i += 4;
				} else if (!strncasecmp(v + i, "&newline;", 9)) {
					c = '\n', i += 8;
				}
			}
		}
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (o == 0 && c <= 0x20)
			continue;
		out[o++] = (char)(c > 0xff ? '?' : tolower((int)c));
	}
	out[o] = '\0';
}

static void check_url(const char *name, size_t nlen, const char *v, size_t n)
{
	if (!(nlen == 4 && !strncasecmp(name, "href", 4)) &&
	    !(nlen == 3 && !strncasecmp(name, "src", 3)))
		return;
	char u[256];
	url_of(v, n, u, sizeof(u));
	FUZZ_CHECK(strncmp(u, "javascript:", 11) != 0);
	FUZZ_CHECK(strncmp(u, "vbscript:", 9) != 0);
	FUZZ_CHECK(strncmp(u, "data:text", 9) != 0);
	FUZZ_CHECK(strncmp(u, "data:application", 16) != 0);
	FUZZ_CHECK(strncmp(u, "file:", 5) != 0);
}

static void check_html(const char *h, size_t len)
{
	const char *end = h + len;
	for (const char *p = h; p < end; p++) {
		if (*p != '<')
			continue;
		p++;
		if (p < end && *p == '!') {
			/* The only comment cmark-gfm writes in safe mode. */
			FUZZ_CHECK(!strncmp(p, "!-- raw HTML omitted -->", 24));
			continue;
		}
		if (p < end && *p == '/')
			p++;
		const char *name = p;
		while (p < end && isalnum((unsigned char)*p))
			p++;
		FUZZ_CHECK(known_tag(name, (size_t)(p - name)));
		/* Attributes up to '>': name="value" with no '"' or '<' inside. */
		for (;;) {
			while (p < end && (*p == ' ' || *p == '/'))
				p++;
			FUZZ_CHECK(p < end);
			if (*p == '>')
				break;
			const char *an = p;
			while (p < end && (isalnum((unsigned char)*p) || *p == '-' || *p == '_'))
				p++;
			size_t anl = (size_t)(p - an);
			FUZZ_CHECK(anl > 0);
			FUZZ_CHECK(!(anl >= 2 && !strncasecmp(an, "on", 2)));
			if (p < end && *p == '=') {
				p++;
				FUZZ_CHECK(p < end && *p == '"');
				const char *v = ++p;
				while (p < end && *p != '"') {
					FUZZ_CHECK(*p != '<' && *p != '>');
					p++;
				}
				FUZZ_CHECK(p < end);
				check_url(an, anl, v, (size_t)(p - v));
				p++;
			}
		}
	}
}

static const char *rewrite(void *ctx, const char *url)
{
	(void)ctx;
	/* As report pages do: ./x.md becomes x.html, anything else stays. */
	size_t n = strlen(url);
	if (n > 3 && !strcmp(url + n - 3, ".md"))
		return "page.html";
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pm_parse_opts opts;
	pm_parse_opts_default(&opts);
	if (size > opts.limits.max_file_size)
		return 0;
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_diags diags;
	pm_diags_init(&diags, &a);
	struct pm_source src;
	FUZZ_CHECK(pm_source_from_memory(&src, &a, "fuzz.md", (const char *)data, size) == 0);
	struct pm_body body;
	memset(&body, 0, sizeof(body));
	FUZZ_CHECK(pm_markdown_parse(&body, &src, src.bom, 1, &a, &opts.limits,
				     &opts.markdown, &diags) == 0);
	check_body(&body, &src, &opts.limits);
	for (size_t i = 0; i < diags.n; i++)
		FUZZ_CHECK(diags.items[i].line <= src.nlines + 1);
	pm_arena_release(&a);

	struct pm_buf html = PM_BUF_INIT;
	pm_buf_adds(&html, "<p>");
	FUZZ_CHECK(pm_markdown_to_html(&html, (const char *)data, size, rewrite, NULL) == 0);
	pm_buf_adds(&html, "</p>");
	check_html(html.data, html.len);
	pm_buf_release(&html);
	return 0;
}
