/* table_output.c - statement rows as a table, JSON, CSV or Markdown.
 *
 * All four formats share one pass over the statement (collect) that copies
 * the visible cells into a grid: the header row first, then the rows.  Each
 * printer then works from the grid alone.
 */
#include "table_output.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/json.h"

#define ELLIPSIS "\xE2\x80\xA6"	/* U+2026, one column wide */
#define MIN_FIT_WIDTH 8		/* a fitted column keeps at least this */
#define BAD_CP UINT32_MAX	/* an invalid UTF-8 byte */

int pm_out_format_parse(const char *s, enum pm_out_format *out)
{
	static const struct {
		const char *name;
		enum pm_out_format fmt;
	} formats[] = {
		{ "table", PM_OUT_TABLE },
		{ "json", PM_OUT_JSON },
		{ "csv", PM_OUT_CSV },
		{ "markdown", PM_OUT_MARKDOWN },
	};
	for (size_t i = 0; s && i < sizeof(formats) / sizeof(formats[0]); i++)
		if (!strcmp(s, formats[i].name)) {
			*out = formats[i].fmt;
			return 0;
		}
	return -1;
}

/* ---- UTF-8 and display width ---- */

/* Decodes the unit at s (len > 0): a whole code point, or one invalid byte
 * (overlong forms, surrogates, past U+10FFFF, cut sequences) with *cp set to
 * BAD_CP.  Returns its length in bytes. */
static size_t utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[0];
	size_t n;
	uint32_t v, lo = 0x80, hi = 0xBF;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;	/* no overlongs */
		else if (c == 0xED)
			hi = 0x9F;	/* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;	/* nothing past U+10FFFF */
	} else {
		*cp = BAD_CP;
		return 1;
	}
	if (len < n || u[1] < lo || u[1] > hi) {
		*cp = BAD_CP;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if (i > 1 && (u[i] & 0xC0) != 0x80) {
			*cp = BAD_CP;
			return 1;
		}
		v = (v << 6) | (u[i] & 0x3F);
	}
	*cp = v;
	return n;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* Width of one decoded unit. */
static size_t cp_width(uint32_t cp)
{
	static const struct {
		uint32_t lo, hi;
	} wide[] = {
		{ 0x1100, 0x115F }, { 0x2E80, 0xA4CF }, { 0xAC00, 0xD7A3 },
		{ 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F }, { 0xFF00, 0xFF60 },
		{ 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF },
		{ 0x20000, 0x3FFFD },
	};
	if (cp >= 0x20 && cp < 0x7f)
		return 1;	/* printable ASCII: no need to ask the locale */
	if (cp == BAD_CP || is_control(cp))
		return 1;	/* printed as one '?' */
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return (size_t)w;
	/* The locale does not know cp ("C", or an unassigned code point). */
	if (cp >= 0x0300 && cp <= 0x036F)
		return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp >= wide[i].lo && cp <= wide[i].hi)
			return 2;
	return 1;
}

size_t pm_display_width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len;) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {	/* printable ASCII: one column */
			w++;
			i++;
			continue;
		}
		uint32_t cp;
		i += utf8_next(s + i, len - i, &cp);
		w += cp_width(cp);
	}
	return w;
}

/* The longest prefix of s made of whole units that fits in max bytes. */
static size_t prefix_by_bytes(const char *s, size_t len, size_t max)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_next(s + i, len - i, &cp);
		if (k > max - i)
			break;
		i += k;
	}
	return i;
}

/* The longest prefix of s no wider than max columns; *w gets its width. */
static size_t prefix_by_width(const char *s, size_t len, size_t max, size_t *w)
{
	size_t i = 0, acc = 0;
	while (i < len) {
		uint32_t cp;
		size_t k = utf8_next(s + i, len - i, &cp);
		size_t cw = cp_width(cp);
		if (acc + cw > max)
			break;
		acc += cw;
		i += k;
	}
	*w = acc;
	return i;
}

/* ---- collecting the rows ---- */

/* 16 bytes: a large query has hundreds of thousands of cells, and the
 * memory they first touch is much of its time.  A number is its text
 * (SQLite's, for a real: 15 digits, as the JSON printer writes it), read
 * back when the JSON printer needs the number. */
struct cell {
	uint32_t off, len;	/* the text in grid.text (print_table: as shown) */
	uint32_t width;		/* print_table: display width as shown */
	int16_t type;		/* SQLITE_INTEGER ... SQLITE_NULL */
	bool cleaned;		/* print_table: off is in its cleaned-text buffer */
};

/* The grid's text is addressed by 32-bit offsets: 4 GiB at most. */
#define GRID_TEXT_MAX UINT32_MAX

struct grid {
	size_t ncols;		/* visible columns */
	size_t nrows;		/* rows, not counting the header */
	struct cell *cells;	/* (nrows + 1) * ncols, the header row first */
	size_t ncells, cap;
	struct pm_buf text;
	bool *numeric;		/* per column: every value a number, and one at least */
};

static void grid_release(struct grid *g)
{
	free(g->cells);
	free(g->numeric);
	pm_buf_release(&g->text);
}

static struct cell *new_cell(struct grid *g, int type)
{
	struct cell *cells = pm_grow(g->cells, g->ncells, &g->cap, sizeof(*cells), 64);
	if (!cells)
		return NULL;
	g->cells = cells;
	struct cell *c = &g->cells[g->ncells++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	if (g->text.len > GRID_TEXT_MAX)
		g->text.failed = true;
	c->off = (uint32_t)g->text.len;
	return c;
}

/* Ends c, the cell added last, at the end of the grid's text. */
static void end_cell(struct grid *g, struct cell *c)
{
	if (g->text.len > GRID_TEXT_MAX)
		g->text.failed = true;
	c->len = (uint32_t)(g->text.len - c->off);
}

/* Adds len bytes of s as the text of c (the cell added last), cut to
 * max_cell bytes of whole code points plus an ellipsis when longer. */
static void set_text(struct grid *g, struct cell *c, const char *s, size_t len,
		     size_t max_cell)
{
	if (max_cell && len > max_cell) {
		pm_buf_add(&g->text, s, prefix_by_bytes(s, len, max_cell));
		pm_buf_adds(&g->text, ELLIPSIS);
	} else {
		pm_buf_add(&g->text, s, len);
	}
	end_cell(g, c);
}

/* A BLOB as lower-case hex, cut like text. */
static void set_hex(struct grid *g, struct cell *c, const unsigned char *p, size_t len,
		    size_t max_cell)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 2 * len;	/* column_bytes is an int: no overflow */
	bool cut = max_cell && n > max_cell;
	if (cut)
		n = max_cell;
	for (size_t i = 0; i < n; i++)
		pm_buf_addc(&g->text, hex[i % 2 ? p[i / 2] & 15 : p[i / 2] >> 4]);
	if (cut)
		pm_buf_adds(&g->text, ELLIPSIS);
	end_cell(g, c);
}

/* v in decimal at the end of out[0..20]; returns where it starts.  What
 * snprintf("%lld") gives, at a tenth of the cost: one call per row of a
 * 30,000-row listing was 8% of its instructions. */
static char *int_text(int64_t v, char out[21])
{
	char *p = out + 21;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return p;
}

static int add_value(struct grid *g, sqlite3_stmt *st, int col, size_t max_cell)
{
	int type = sqlite3_column_type(st, col);
	struct cell *c = new_cell(g, type);
	if (!c)
		return PM_ERR_NOMEM;
	switch (type) {
	case SQLITE_INTEGER: {
		char num[21];
		const char *t = int_text(sqlite3_column_int64(st, col), num);
		set_text(g, c, t, (size_t)(num + sizeof(num) - t), 0);
		break;
	}
	case SQLITE_FLOAT:
	case SQLITE_TEXT: {
		/* SQLite's own text for a real: 15 digits, "2.0", "Inf". */
		const unsigned char *p = sqlite3_column_text(st, col);
		size_t n = (size_t)sqlite3_column_bytes(st, col);
		if (!p && sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM)
			return PM_ERR_NOMEM;
		set_text(g, c, p ? (const char *)p : "", p ? n : 0,
			 type == SQLITE_TEXT ? max_cell : 0);
		break;
	}
	case SQLITE_BLOB: {
		const unsigned char *p = sqlite3_column_blob(st, col);
		size_t n = (size_t)sqlite3_column_bytes(st, col);
		if (!p && n)
			return PM_ERR_NOMEM;
		set_hex(g, c, p, p ? n : 0, max_cell);
		break;
	}
	default:
		c->type = SQLITE_NULL;
		break;
	}
	return 0;
}

/* The location cell (pm_out_opts.location_prefix): prefix, the path in
 * column col, ':' and the line in column col + 1; NULL without a path. */
static int add_location(struct grid *g, sqlite3_stmt *st, int col, const char *prefix)
{
	const unsigned char *path = sqlite3_column_text(st, col);
	struct cell *c = new_cell(g, path ? SQLITE_TEXT : SQLITE_NULL);
	if (!c)
		return PM_ERR_NOMEM;
	if (!path)
		return sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM ? PM_ERR_NOMEM : 0;
	char line[21];
	const char *t = int_text(sqlite3_column_int64(st, col + 1), line);
	pm_buf_adds(&g->text, prefix);
	pm_buf_add(&g->text, (const char *)path, (size_t)sqlite3_column_bytes(st, col));
	pm_buf_addc(&g->text, ':');
	pm_buf_add(&g->text, t, (size_t)(line + sizeof(line) - t));
	end_cell(g, c);
	return 0;
}

/* The column that starts a location pair, or -1. */
static int location_column(sqlite3_stmt *st, const struct pm_out_opts *o)
{
	if (!o->location_prefix)
		return -1;
	int n = sqlite3_column_count(st);
	for (int i = 0; i + 1 < n; i++) {
		const char *a = sqlite3_column_name(st, i), *b = sqlite3_column_name(st, i + 1);
		if (a && b && !strcmp(a, "location_path") && !strcmp(b, "location_line") &&
		    (!o->hide || (!o->hide[i] && !o->hide[i + 1])))
			return i;
	}
	return -1;
}

/* Steps st into g.  Returns 0, PM_ERR_NOMEM or minus a sqlite3 code. */
static int collect(sqlite3_stmt *st, const struct pm_out_opts *o, struct grid *g,
		   bool *truncated)
{
	int ncols = sqlite3_column_count(st), rc = 0;
	int *cols = malloc((ncols > 0 ? (size_t)ncols : 1) * sizeof(*cols));
	if (!cols)
		return PM_ERR_NOMEM;
	int loc = location_column(st, o);
	for (int i = 0; i < ncols; i++)
		if ((!o->hide || !o->hide[i]) && (loc < 0 || i != loc + 1))
			cols[g->ncols++] = i;
	for (size_t j = 0; j < g->ncols; j++) {
		const char *name = cols[j] == loc ? "location" : sqlite3_column_name(st, cols[j]);
		struct cell *c = new_cell(g, SQLITE_TEXT);
		if (!name || !c) {
			rc = PM_ERR_NOMEM;
			goto out;
		}
		set_text(g, c, name, strlen(name), 0);
	}
	for (;;) {
		int s = sqlite3_step(st);
		if (s == SQLITE_DONE)
			break;
		if (s != SQLITE_ROW) {
			rc = PM_OUT_SQL_ERROR;
			goto out;
		}
		if (o->max_rows && g->nrows == o->max_rows) {
			*truncated = true;
			break;
		}
		for (size_t j = 0; j < g->ncols && !rc; j++)
			rc = cols[j] == loc ? add_location(g, st, loc, o->location_prefix)
					    : add_value(g, st, cols[j], o->max_cell);
		if (rc)
			goto out;
		g->nrows++;
	}
	g->numeric = calloc(g->ncols ? g->ncols : 1, sizeof(*g->numeric));
	if (!g->numeric || g->text.failed) {
		rc = PM_ERR_NOMEM;
		goto out;
	}
	for (size_t j = 0; j < g->ncols; j++) {
		bool any = false, all = true;
		for (size_t r = 1; r <= g->nrows; r++) {
			int t = g->cells[r * g->ncols + j].type;
			if (t == SQLITE_NULL)
				continue;
			any = true;
			all = all && (t == SQLITE_INTEGER || t == SQLITE_FLOAT);
		}
		g->numeric[j] = any && all;
	}
out:
	free(cols);
	return rc;
}

static const struct cell *cell_at(const struct grid *g, size_t row, size_t col)
{
	return &g->cells[row * g->ncols + col];
}

static const char *text_of(const struct grid *g, const struct cell *c)
{
	return g->text.data ? g->text.data + c->off : "";
}

static bool is_number(const struct cell *c)
{
	return c->type == SQLITE_INTEGER || c->type == SQLITE_FLOAT;
}

/* Writes b, then empties it; false when the stream failed. */
static bool flush_line(FILE *f, struct pm_buf *b)
{
	bool ok = b->len == 0 || fwrite(b->data, 1, b->len, f) == b->len;
	pm_buf_reset(b);
	return ok;
}

static int finish(FILE *f)
{
	return fflush(f) || ferror(f) ? PM_ERR_IO : 0;
}

/* ---- table ---- */

/* Cell text for a terminal: control characters and invalid bytes become
 * '?', line breaks (CRLF as one) a space. */
static void put_terminal(struct pm_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		/* A run of printable ASCII goes in whole. */
		size_t run = 0;
		while (i + run < len && s[i + run] >= 0x20 && s[i + run] < 0x7f)
			run++;
		if (run) {
			pm_buf_add(b, s + i, run);
			i += run;
			continue;
		}
		uint32_t cp;
		size_t k = utf8_next(s + i, len - i, &cp);
		if (cp == '\r' || cp == '\n') {
			if (cp == '\r' && i + 1 < len && s[i + 1] == '\n')
				k = 2;
			pm_buf_addc(b, ' ');
		} else if (cp == BAD_CP || is_control(cp)) {
			pm_buf_addc(b, '?');
		} else {
			pm_buf_add(b, s + i, k);
		}
		i += k;
	}
}

/* Whether s is all printable ASCII, so shows as it is, one column a byte
 * (nearly every cell: no copy, no width table). */
static bool plain_ascii(const char *s, size_t len)
{
	size_t i = 0;
	/* Eight bytes at a time: a byte below 0x20 or above 0x7e sets its
	 * high bit in one of the three terms (the classic SWAR range test);
	 * a word that fails is checked again byte by byte. */
	for (; i + 8 <= len; i += 8) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
		if (((v - ones * 0x20) | (v + ones * 0x01) | v) & high)
			break;
	}
	for (; i < len; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			return false;
	return true;
}

static bool shrinkable(size_t w, bool numeric)
{
	return !numeric && w > MIN_FIT_WIDTH;
}

/* The line width with every shrinkable column capped at cap columns. */
static size_t total_at(const size_t *w, const bool *numeric, size_t n, size_t fixed,
		       size_t cap)
{
	size_t t = fixed;
	for (size_t j = 0; j < n; j++)
		if (shrinkable(w[j], numeric[j]))
			t += w[j] < cap ? w[j] : cap;
	return t;
}

/* Narrows the columns that are not all numbers, widest first and never
 * below MIN_FIT_WIDTH, until the line fits in limit columns (or they are
 * all as narrow as allowed).  Water-filling: find the largest cap C with
 * total(C) <= limit, then give the columns above it C + 1 while the spare
 * room lasts, so the line fills the width exactly. */
static void fit_widths(size_t *w, const bool *numeric, size_t n, size_t limit)
{
	size_t fixed = 2 * (n - 1), maxw = 0, total = fixed;
	for (size_t j = 0; j < n; j++) {
		total += w[j];
		if (!shrinkable(w[j], numeric[j]))
			fixed += w[j];
		else if (w[j] > maxw)
			maxw = w[j];
	}
	if (total <= limit || maxw == 0)
		return;
	size_t lo = MIN_FIT_WIDTH, hi = maxw;
	size_t t = total_at(w, numeric, n, fixed, lo);
	if (t <= limit) {
		/* total(lo) fits and total(hi) does not: bisect. */
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (total_at(w, numeric, n, fixed, mid) <= limit)
				lo = mid;
			else
				hi = mid;
		}
		t = total_at(w, numeric, n, fixed, lo);
	}
	size_t spare = t < limit ? limit - t : 0;
	for (size_t j = 0; j < n; j++) {
		if (!shrinkable(w[j], numeric[j]) || w[j] <= lo)
			continue;
		w[j] = lo;
		if (spare) {
			w[j]++;
			spare--;
		}
	}
}

/* Adds one cell padded to width (nothing after the last one). */
static void put_padded(struct pm_buf *line, const char *s, size_t len, size_t sw,
		       size_t width, bool right, bool last)
{
	bool cut = sw > width;
	if (cut) {
		len = prefix_by_width(s, len, width - 1, &sw);
		sw++;
	}
	size_t pad = width > sw ? width - sw : 0;
	if (right)
		pm_buf_fill(line, ' ', pad);
	pm_buf_add(line, s, len);
	if (cut)
		pm_buf_adds(line, ELLIPSIS);
	if (!right && !last)
		pm_buf_fill(line, ' ', pad);
}

static void end_line(struct pm_buf *line, const char *eol)
{
	while (line->len > 0 && line->data[line->len - 1] == ' ')
		line->data[--line->len] = '\0';
	pm_buf_adds(line, eol);
}

/* Prints g as an aligned table.  Each cell is rewritten to the text it
 * shows (in place when it is plain ASCII, nearly always; else cleaned into
 * a second buffer), so no second array as large as the grid is needed. */
static int print_table(FILE *f, struct grid *g, const struct pm_out_opts *o)
{
	size_t n = g->ncols, ncells = (g->nrows + 1) * n;
	if (n == 0)
		return 0;
	size_t *w = calloc(n, sizeof(*w));
	struct pm_buf clean = PM_BUF_INIT, line = PM_BUF_INIT;
	int rc = 0;
	if (!w) {
		rc = PM_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < ncells; i++) {
		struct cell *c = &g->cells[i];
		const char *text = text_of(g, c);
		if (plain_ascii(text, c->len)) {
			c->width = c->len;
		} else {
			size_t at = clean.len;
			put_terminal(&clean, text, c->len);
			if (clean.len > GRID_TEXT_MAX)
				clean.failed = true;
			c->off = (uint32_t)at;
			c->len = (uint32_t)(clean.len - at);
			size_t width = clean.failed ? 0 : pm_display_width(clean.data + at, c->len);
			c->width = width > UINT32_MAX ? UINT32_MAX : (uint32_t)width;
			c->cleaned = true;
		}
		if (c->width > w[i % n])
			w[i % n] = c->width;
	}
	if (clean.failed) {
		rc = PM_ERR_NOMEM;
		goto out;
	}
	if (o->width > 0) {
		/* A path:line column never shrinks: a cut location is useless. */
		bool *fixed = malloc((n ? n : 1) * sizeof(*fixed));
		if (!fixed) {
			rc = PM_ERR_NOMEM;
			goto out;
		}
		for (size_t j = 0; j < n; j++) {
			const struct cell *h = cell_at(g, 0, j);
			const char *name = text_of(g, h);
			fixed[j] = g->numeric[j] ||
				   (h->len == 8 && !memcmp(name, "location", 8)) ||
				   (h->len == 4 && !memcmp(name, "path", 4));
		}
		fit_widths(w, fixed, n, (size_t)o->width);
		free(fixed);
	}
	for (size_t r = 0; r <= g->nrows; r++) {
		for (size_t j = 0; j < n; j++) {
			const struct cell *s = cell_at(g, r, j);
			bool right = r == 0 ? g->numeric[j] : is_number(s);
			if (j)
				pm_buf_adds(&line, "  ");
			const char *base = s->cleaned ? clean.data : g->text.data;
			put_padded(&line, base ? base + s->off : "", s->len, s->width, w[j], right,
				   j + 1 == n);
		}
		end_line(&line, "\n");
		if (r == 0) {
			for (size_t j = 0; j < n; j++) {
				if (j)
					pm_buf_adds(&line, "  ");
				pm_buf_fill(&line, '-', w[j]);
			}
			end_line(&line, "\n");
		}
		if (line.failed) {
			rc = PM_ERR_NOMEM;
			goto out;
		}
		if (!flush_line(f, &line)) {
			rc = PM_ERR_IO;
			goto out;
		}
	}
	rc = finish(f);
out:
	free(w);
	pm_buf_release(&clean);
	pm_buf_release(&line);
	return rc;
}

/* ---- CSV ---- */

static void put_csv_field(struct pm_buf *b, const char *s, size_t len)
{
	bool quote = false;
	for (size_t i = 0; i < len && !quote; i++)
		quote = s[i] == '"' || s[i] == ',' || s[i] == '\r' || s[i] == '\n';
	if (!quote) {
		pm_buf_add(b, s, len);
		return;
	}
	pm_buf_addc(b, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			pm_buf_addc(b, '"');
		pm_buf_addc(b, s[i]);
	}
	pm_buf_addc(b, '"');
}

static int print_csv(FILE *f, const struct grid *g)
{
	struct pm_buf line = PM_BUF_INIT;
	int rc = 0;
	for (size_t r = 0; g->ncols && r <= g->nrows; r++) {
		for (size_t j = 0; j < g->ncols; j++) {
			const struct cell *c = cell_at(g, r, j);
			if (j)
				pm_buf_addc(&line, ',');
			put_csv_field(&line, text_of(g, c), c->len);
		}
		pm_buf_adds(&line, "\r\n");
		if (line.failed) {
			rc = PM_ERR_NOMEM;
			goto out;
		}
		if (!flush_line(f, &line)) {
			rc = PM_ERR_IO;
			goto out;
		}
	}
	rc = finish(f);
out:
	pm_buf_release(&line);
	return rc;
}

/* ---- Markdown ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* One GFM table cell: trimmed; '|' escaped, with the backslashes right
 * before it doubled (GFM's cell scanner pairs a backslash with the next
 * character, so an odd run would escape the escape); line breaks as
 * "<br>"; control characters and invalid bytes as '?'. */
static void put_md_cell(struct pm_buf *b, const char *s, size_t len)
{
	while (len > 0 && is_blank(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = utf8_next(s + i, len - i, &cp);
		if (cp == '\\') {
			size_t run = 0;
			while (i + run < len && s[i + run] == '\\')
				run++;
			bool before_pipe = i + run < len && s[i + run] == '|';
			for (size_t m = 0; m < (before_pipe ? 2 * run : run); m++)
				pm_buf_addc(b, '\\');
			k = run;
		} else if (cp == '|') {
			pm_buf_adds(b, "\\|");
		} else if (cp == '\r' || cp == '\n') {
			if (cp == '\r' && i + 1 < len && s[i + 1] == '\n')
				k = 2;
			pm_buf_adds(b, "<br>");
		} else if (cp == BAD_CP || is_control(cp)) {
			pm_buf_addc(b, '?');
		} else {
			pm_buf_add(b, s + i, k);
		}
		i += k;
	}
}

static int print_markdown(FILE *f, const struct grid *g)
{
	struct pm_buf line = PM_BUF_INIT;
	int rc = 0;
	for (size_t r = 0; g->ncols && r <= g->nrows; r++) {
		pm_buf_addc(&line, '|');
		for (size_t j = 0; j < g->ncols; j++) {
			const struct cell *c = cell_at(g, r, j);
			pm_buf_addc(&line, ' ');
			put_md_cell(&line, text_of(g, c), c->len);
			pm_buf_adds(&line, " |");
		}
		pm_buf_addc(&line, '\n');
		if (r == 0) {
			pm_buf_addc(&line, '|');
			for (size_t j = 0; j < g->ncols; j++)
				pm_buf_adds(&line, g->numeric[j] ? "---:|" : "---|");
			pm_buf_addc(&line, '\n');
		}
		if (line.failed) {
			rc = PM_ERR_NOMEM;
			goto out;
		}
		if (!flush_line(f, &line)) {
			rc = PM_ERR_IO;
			goto out;
		}
	}
	rc = finish(f);
out:
	pm_buf_release(&line);
	return rc;
}

/* ---- JSON ---- */

static bool key_taken(char **keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], k))
			return true;
	return false;
}

/* The object keys: the column names as valid UTF-8, a repeated one with
 * "_2", "_3"... appended.  NULL when memory runs out. */
static char **json_keys(const struct grid *g)
{
	char **keys = calloc(g->ncols ? g->ncols : 1, sizeof(*keys));
	for (size_t j = 0; keys && j < g->ncols; j++) {
		const struct cell *c = cell_at(g, 0, j);
		json_t *name = pm_json_string(text_of(g, c), c->len);
		const char *s = name ? json_string_value(name) : NULL;
		size_t n = s ? strlen(s) : 0;	/* a NUL in a name ends it */
		char *k = s ? malloc(n + 24) : NULL;
		if (k) {
			memcpy(k, s, n + 1);
			for (unsigned long long dup = 2; key_taken(keys, j, k); dup++)
				snprintf(k + n, 24, "_%llu", dup);
		}
		json_decref(name);
		keys[j] = k;
		if (!k) {
			for (size_t i = 0; i < j; i++)
				free(keys[i]);
			free(keys);
			return NULL;
		}
	}
	return keys;
}

static json_t *json_value(const struct grid *g, const struct cell *c)
{
	switch (c->type) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT: {
		/* The cells' texts follow each other with no NUL between:
		 * a copy ends this one.  An integer's text is the integer in
		 * full; a real's has SQLite's 15 significant digits, which
		 * the JSON is written with, so it prints as the same digits. */
		char buf[64];
		snprintf(buf, sizeof(buf), "%.*s", (int)c->len, text_of(g, c));
		if (c->type == SQLITE_INTEGER)
			return json_integer((json_int_t)strtoll(buf, NULL, 10));
		double d = strtod(buf, NULL);
		if (isfinite(d))
			return json_real(d);
		return json_stringn(text_of(g, c), c->len);	/* "Inf", "-Inf" */
	}
	case SQLITE_TEXT:
	case SQLITE_BLOB:
		return pm_json_string(text_of(g, c), c->len);
	default:
		return json_null();
	}
}

static int print_json(FILE *f, const struct grid *g)
{
	char **keys = json_keys(g);
	json_t *root = json_array();
	bool ok = keys && root;
	for (size_t r = 1; ok && r <= g->nrows; r++) {
		json_t *obj = json_object();
		ok = obj && json_array_append_new(root, obj) == 0;
		for (size_t j = 0; ok && j < g->ncols; j++) {
			json_t *v = json_value(g, cell_at(g, r, j));
			ok = v && json_object_set_new(obj, keys[j], v) == 0;
		}
	}
	for (size_t j = 0; keys && j < g->ncols; j++)
		free(keys[j]);
	free(keys);
	int rc = PM_ERR_NOMEM;
	if (ok) {
		size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(15) | JSON_PRESERVE_ORDER;
		rc = pm_json_dumpf(root, f, flags) || fputc('\n', f) == EOF ? PM_ERR_IO : finish(f);
	}
	json_decref(root);
	return rc;
}

/* ---- entry ---- */

int pm_out_print_stmt(FILE *f, enum pm_out_format fmt, sqlite3_stmt *st,
		      const struct pm_out_opts *o, size_t *nrows, bool *truncated)
{
	static const struct pm_out_opts defaults = { 0 };
	struct grid g = { 0 };
	bool cut = false;
	if (!o)
		o = &defaults;
	if (nrows)
		*nrows = 0;
	if (truncated)
		*truncated = false;
	int rc = collect(st, o, &g, &cut);
	if (rc)
		goto out;
	switch (fmt) {
	case PM_OUT_TABLE:
		rc = print_table(f, &g, o);
		break;
	case PM_OUT_JSON:
		rc = print_json(f, &g);
		break;
	case PM_OUT_CSV:
		rc = print_csv(f, &g);
		break;
	case PM_OUT_MARKDOWN:
		rc = print_markdown(f, &g);
		break;
	default:
		rc = PM_ERR_INVALID;
		break;
	}
	if (!rc) {
		if (nrows)
			*nrows = g.nrows;
		if (truncated)
			*truncated = cut;
	}
out:
	grid_release(&g);
	return rc;
}
