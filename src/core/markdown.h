/* markdown.h - the body of a document: sections, tables and links.
 *
 * The body is parsed by cmark-gfm (table, autolink, strikethrough and
 * tasklist extensions) with source positions; what pmtool keeps is copied
 * into the document's arena and the cmark tree is freed before returning.
 * Every line is a line of the file (the frontmatter offset is added here),
 * every column a code-point column (see source.h).
 */
#ifndef PM_MARKDOWN_H
#define PM_MARKDOWN_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "doclimits.h"
#include "source.h"

struct pm_section {
	const char *title;	/* heading as plain text */
	const char *path;	/* "Consequences > Positive" */
	int level;		/* 1-6 */
	int parent;		/* index of the enclosing section, -1 at top */
	uint32_t line, col;	/* of the heading */
	uint32_t end_line;	/* last line of its content and subsections */
	size_t nblocks;		/* content blocks directly under the heading */
	size_t nitems;		/* items of the lists directly under it */
};

struct pm_cell {
	const char *text;	/* plain text; "" for a missing cell */
	uint32_t line, col;
};

struct pm_row {
	uint32_t line;
	struct pm_cell *cells;	/* exactly ncols of them, missing ones empty */
};

struct pm_table {
	int section;		/* enclosing section, -1 before any heading */
	uint32_t line, end_line;
	size_t ncols;
	struct pm_cell *header;
	size_t nrows;		/* body rows, the header not counted */
	struct pm_row *rows;
};

enum pm_link_kind {
	PM_LINK_DOC,		/* [text](path.md): a link to another document */
	PM_LINK_ID,		/* a bare document ID such as ADR-001 in text */
	PM_LINK_URL,		/* any other link */
};

struct pm_link {
	enum pm_link_kind kind;
	const char *target;	/* URL as written, or the ID */
	const char *text;	/* link text; the ID itself for PM_LINK_ID */
	int section;
	uint32_t line, col;
};

struct pm_body {
	struct pm_section *sections;
	size_t nsections;
	struct pm_table *tables;
	size_t ntables;
	struct pm_link *links;
	size_t nlinks;
};

struct pm_markdown_opts {
	/* Prefixes that make a bare "PREFIX-NNN" a document ID. */
	const char *const *id_prefixes;
	size_t nprefixes;
};

/* Registers cmark-gfm's extensions; call once from main() before any
 * thread parses. */
void pm_markdown_global_init(void);

/* Releases what pm_markdown_global_init() registered (for leak checkers). */
void pm_markdown_global_release(void);

/* Parses src->data[body_start..] whose first line is file line body_line.
 * Results go to out, allocated in a; limit findings to diags.  Returns 0,
 * or PM_ERR_NOMEM. */
int pm_markdown_parse(struct pm_body *out, const struct pm_source *src,
		      size_t body_start, uint32_t body_line, struct pm_arena *a,
		      const struct pm_limits *lim,
		      const struct pm_markdown_opts *opts, struct pm_diags *diags);

/* What of len bytes of Markdown cmark-gfm may be given, by the same rules as
 * pm_markdown_parse() (the limits.max_markup cut, lines that would make
 * cmark-gfm quadratic blanked), for bodies rendered without findings (the
 * report's HTML).  *use_len is the length to parse; *copy is NULL when md
 * itself can be parsed, else a malloc'd copy with lines blanked that the
 * caller frees.  Returns 0 or PM_ERR_NOMEM. */
int pm_markdown_bound(const char *md, size_t len, const struct pm_limits *lim, char **copy,
		      size_t *use_len);

/* Index of the first section whose title matches name case-insensitively
 * (or whose path does, for "A > B"), at or after index from; -1 if none. */
int pm_body_find_section(const struct pm_body *b, const char *name, size_t from);

#endif
