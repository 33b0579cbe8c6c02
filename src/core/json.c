/* json.c - the document model as JSON. */
#include "json.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "source.h"
#include "strmap.h"

json_t *pm_json_string(const char *s, size_t len)
{
	size_t bad;
	if (pm_utf8_valid(s, len, &bad))
		return json_stringn(s, len);
	struct pm_buf b = PM_BUF_INIT;
	size_t i = 0;
	while (i < len) {
		size_t rest = len - i;
		if (pm_utf8_valid(s + i, rest, &bad)) {
			pm_buf_add(&b, s + i, rest);
			break;
		}
		pm_buf_add(&b, s + i, bad);
		pm_buf_adds(&b, "\xEF\xBF\xBD");
		i += bad + 1;
	}
	json_t *j = b.failed ? NULL : json_stringn(pm_buf_cstr(&b), b.len);
	pm_buf_release(&b);
	return j;
}

/* The "<\/" and U+2028/U+2029 filter between jansson and the output.
 * '<' and U+2028/U+2029 occur only inside strings, where "<\/" and \u
 * escapes mean the same: JSON pasted into an HTML <script> cannot close
 * it, nor end a JavaScript string.  jansson hands over its text in
 * chunks, so a sequence split between two chunks waits in `held`. */
struct safe_sink {
	FILE *f;		/* the output, or NULL to append to buf */
	struct pm_buf *buf;
	char held[3];
	size_t nheld;
	bool failed;
};

static void sink_put(struct safe_sink *s, const char *p, size_t n)
{
	if (!n || s->failed)
		return;
	if (s->f)
		s->failed = fwrite(p, 1, n, s->f) != n;
	else
		pm_buf_add(s->buf, p, n);
}

/* Is held[0..n) the start of a sequence that needs an escape? */
static bool sink_prefix(const char *h, size_t n)
{
	if (h[0] == '<')
		return n == 1 || h[1] == '/';
	if (h[0] == '\xE2')
		return n == 1 || (h[1] == '\x80' && (n == 2 || h[2] == '\xA8' || h[2] == '\xA9'));
	return false;
}

static void sink_byte(struct safe_sink *s, char c)
{
	s->held[s->nheld++] = c;
	while (s->nheld && !sink_prefix(s->held, s->nheld)) {
		/* The first held byte starts nothing: write it, retry the rest. */
		sink_put(s, s->held, 1);
		memmove(s->held, s->held + 1, --s->nheld);
	}
	if (s->nheld == 2 && s->held[0] == '<') {
		sink_put(s, "<\\/", 3);
		s->nheld = 0;
	} else if (s->nheld == 3) {
		sink_put(s, s->held[2] == '\xA8' ? "\\u2028" : "\\u2029", 6);
		s->nheld = 0;
	}
}

static int sink_chunk(const char *p, size_t n, void *data)
{
	struct safe_sink *s = data;
	size_t run = 0;	/* bytes that cannot start a sequence go out in runs */
	for (size_t i = 0; i < n; i++) {
		if (!s->nheld && p[i] != '<' && p[i] != '\xE2') {
			run++;
			continue;
		}
		sink_put(s, p + i - run, run);
		run = 0;
		sink_byte(s, p[i]);
	}
	sink_put(s, p + n - run, run);
	return s->failed || (s->buf && s->buf->failed) ? -1 : 0;
}

static bool sink_dump(const json_t *j, size_t flags, struct safe_sink *s)
{
	if (json_dump_callback(j, sink_chunk, s, flags) != 0)
		return false;
	sink_put(s, s->held, s->nheld);	/* a lone '<' or lead byte at the end */
	return !s->failed && !(s->buf && s->buf->failed);
}

char *pm_json_dumps(const json_t *j, size_t flags)
{
	struct pm_buf b = PM_BUF_INIT;
	struct safe_sink s = { .buf = &b };
	if (!sink_dump(j, flags, &s) || !b.len) {
		pm_buf_release(&b);
		return NULL;
	}
	return b.data;	/* ownership passes to the caller */
}

int pm_json_dumpf(const json_t *j, FILE *f, size_t flags)
{
	struct safe_sink s = { .f = f };
	return sink_dump(j, flags, &s) ? 0 : -1;
}

static json_t *str(const char *s)
{
	return s ? pm_json_string(s, strlen(s)) : json_null();
}

/* json_object_set_new that tolerates a NULL value by failing the object. */
static bool put(json_t *obj, const char *key, json_t *val)
{
	if (!obj || !val) {
		json_decref(val);
		return false;
	}
	return json_object_set_new(obj, key, val) == 0;
}

static bool append(json_t *arr, json_t *val)
{
	if (!arr || !val) {
		json_decref(val);
		return false;
	}
	return json_array_append_new(arr, val) == 0;
}

static json_t *fail(json_t *j)
{
	json_decref(j);
	return NULL;
}

static json_t *number(double f)
{
	/* JSON has no infinities or NaN; they travel as strings. */
	if (isnan(f))
		return json_string(".nan");
	if (isinf(f))
		return json_string(f < 0 ? "-.inf" : ".inf");
	return json_real(f);
}

json_t *pm_json_plain(const struct pm_value *v)
{
	if (!v)
		return json_null();
	switch (v->kind) {
	case PM_VAL_NULL:
		return json_null();
	case PM_VAL_BOOL:
		return json_boolean(v->u.b);
	case PM_VAL_INT:
		return json_integer(v->u.i);
	case PM_VAL_FLOAT:
		return number(v->u.f);
	case PM_VAL_STRING:
		return pm_json_string(v->raw, v->raw_len);
	case PM_VAL_SEQ: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->u.seq.n; i++)
			if (!append(a, pm_json_plain(v->u.seq.items[i])))
				return fail(a);
		return a;
	}
	case PM_VAL_MAP: {
		json_t *o = json_object();
		for (size_t i = 0; i < v->u.map.n; i++)
			if (!put(o, v->u.map.pairs[i].key, pm_json_plain(v->u.map.pairs[i].value)))
				return fail(o);
		return o;
	}
	}
	return json_null();
}

static json_t *typed_pair(const struct pm_pair *p)
{
	json_t *o = json_object();
	if (!put(o, "key", str(p->key)) || !put(o, "line", json_integer(p->line)) ||
	    !put(o, "column", json_integer(p->col)) ||
	    !put(o, "value", pm_json_typed(p->value)))
		return fail(o);
	return o;
}

json_t *pm_json_typed(const struct pm_value *v)
{
	json_t *o = json_object();
	if (!v)
		return o;
	if (!put(o, "type", json_string(pm_value_kind_name(v->kind))) ||
	    !put(o, "line", json_integer(v->line)) || !put(o, "column", json_integer(v->col)))
		return fail(o);
	if (v->kind == PM_VAL_SEQ) {
		json_t *items = json_array();
		for (size_t i = 0; i < v->u.seq.n; i++)
			if (!append(items, pm_json_typed(v->u.seq.items[i])))
				return fail(fail(items) ? o : o);
		return put(o, "items", items) ? o : fail(o);
	}
	if (v->kind == PM_VAL_MAP) {
		json_t *fields = json_array();
		for (size_t i = 0; i < v->u.map.n; i++)
			if (!append(fields, typed_pair(&v->u.map.pairs[i]))) {
				json_decref(fields);
				return fail(o);
			}
		return put(o, "fields", fields) ? o : fail(o);
	}
	if (!put(o, "value", pm_json_plain(v)))
		return fail(o);
	if (v->kind != PM_VAL_STRING && !put(o, "raw", pm_json_string(v->raw, v->raw_len)))
		return fail(o);
	return o;
}

json_t *pm_json_section(const struct pm_doc *doc, size_t index)
{
	const struct pm_section *s = &doc->body.sections[index];
	json_t *o = json_object();
	if (!put(o, "heading", str(s->title)) || !put(o, "path", str(s->path)) ||
	    !put(o, "level", json_integer(s->level)) || !put(o, "line", json_integer(s->line)) ||
	    !put(o, "column", json_integer(s->col)) ||
	    !put(o, "end_line", json_integer(s->end_line)) ||
	    !put(o, "blocks", json_integer((json_int_t)s->nblocks)) ||
	    !put(o, "list_items", json_integer((json_int_t)s->nitems)))
		return fail(o);
	json_t *tables = json_array();
	for (size_t t = 0; t < doc->body.ntables; t++)
		if (doc->body.tables[t].section == (int)index &&
		    !append(tables, json_integer((json_int_t)t + 1))) {
			json_decref(tables);
			return fail(o);
		}
	if (!put(o, "tables", tables))
		return fail(o);
	json_t *subs = json_array();
	for (size_t i = index + 1; i < doc->body.nsections; i++)
		if (doc->body.sections[i].parent == (int)index &&
		    !append(subs, pm_json_section(doc, i))) {
			json_decref(subs);
			return fail(o);
		}
	return put(o, "sections", subs) ? o : fail(o);
}

/* Fills keys[] with the row-object keys of t's columns: each header, a
 * repeated one with the first suffix " 2", " 3" ... that is neither a key
 * already given nor any column's header (headers "a", "a 2", "a" give
 * "a", "a 2", "a 3"), so no cell is lost.  Linear in the columns: each
 * header remembers the last suffix it used.  Strings live in a. */
static bool table_keys(const struct pm_table *t, const char **keys, struct pm_arena *a)
{
	struct pm_strmap heads, taken;
	pm_strmap_init(&heads);
	pm_strmap_init(&taken);
	size_t *next = calloc(t->ncols ? t->ncols : 1, sizeof(*next));
	bool ok = next != NULL;
	for (size_t c = 0; ok && c < t->ncols; c++)
		ok = pm_strmap_put(&heads, t->header ? t->header[c].text : "", c, NULL) >= 0;
	for (size_t c = 0; ok && c < t->ncols; c++) {
		const char *h = t->header ? t->header[c].text : "";
		size_t first = c, v;
		pm_strmap_get(&heads, h, &first);
		keys[c] = h;
		while (keys[c] && pm_strmap_get(&taken, keys[c], &v)) {
			do
				keys[c] = pm_arena_printf(a, "%s %zu", h, ++next[first] + 1);
			while (keys[c] && pm_strmap_get(&heads, keys[c], &v));
		}
		ok = keys[c] && pm_strmap_put(&taken, keys[c], c, NULL) >= 0;
	}
	free(next);
	pm_strmap_release(&heads);
	pm_strmap_release(&taken);
	return ok;
}

json_t *pm_json_table(const struct pm_doc *doc, size_t index)
{
	const struct pm_table *t = &doc->body.tables[index];
	json_t *o = json_object();
	const char *sec = t->section >= 0 ? doc->body.sections[t->section].path : NULL;
	if (!put(o, "index", json_integer((json_int_t)index + 1)) ||
	    !put(o, "section", str(sec)) || !put(o, "line", json_integer(t->line)) ||
	    !put(o, "end_line", json_integer(t->end_line)))
		return fail(o);
	/* Row objects are keyed by header, made unique (table_keys). */
	const char **keys = calloc(t->ncols ? t->ncols : 1, sizeof(*keys));
	struct pm_arena scratch;
	pm_arena_init(&scratch);
	json_t *cols = json_array(), *rows = json_array(), *lines = json_array(),
	       *cells = json_array();
	bool ok = keys && cols && rows && lines && cells;
	ok = ok && table_keys(t, keys, &scratch);
	for (size_t c = 0; ok && c < t->ncols; c++)
		ok = append(cols, str(keys[c]));
	for (size_t r = 0; ok && r < t->nrows; r++) {
		json_t *row = json_object(), *pos = json_array();
		for (size_t c = 0; c < t->ncols && row && pos; c++) {
			const struct pm_cell *cell = &t->rows[r].cells[c];
			json_t *p = json_pack("[ii]", (json_int_t)cell->line, (json_int_t)cell->col);
			if (!put(row, keys[c], str(cell->text)) || !append(pos, p)) {
				json_decref(row);
				json_decref(pos);
				row = pos = NULL;
			}
		}
		ok = append(rows, row) && append(lines, json_integer(t->rows[r].line)) &&
		     append(cells, pos);
	}
	free(keys);
	pm_arena_release(&scratch);
	if (!ok || !put(o, "columns", cols) || !put(o, "rows", rows) ||
	    !put(o, "row_lines", lines) || !put(o, "cell_positions", cells)) {
		if (!ok) {
			json_decref(cols);
			json_decref(rows);
			json_decref(lines);
			json_decref(cells);
		}
		return fail(o);
	}
	return o;
}

static const char *link_kind(enum pm_link_kind k)
{
	return k == PM_LINK_DOC ? "document" : k == PM_LINK_ID ? "id" : "url";
}

json_t *pm_json_diag(const struct pm_diag *d)
{
	json_t *o = json_object();
	if (!put(o, "file", str(d->path)) || !put(o, "line", json_integer(d->line)) ||
	    !put(o, "column", json_integer(d->col)) ||
	    !put(o, "severity", json_string(pm_severity_name(d->severity))) ||
	    !put(o, "code", str(d->code)) || !put(o, "message", str(d->message)) ||
	    !put(o, "hint", str(d->hint)))
		return fail(o);
	return o;
}

json_t *pm_json_doc(const struct pm_doc *doc)
{
	json_t *o = json_object();
	if (!put(o, "path", str(doc->path)) || !put(o, "id", str(doc->id)) ||
	    !put(o, "type", str(doc->type)) || !put(o, "parsed", json_boolean(doc->parsed)))
		return fail(o);
	json_t *fm = json_null();
	if (doc->fm.present && doc->fm.closed)
		fm = json_pack("{s:i,s:i}", "start_line", (json_int_t)doc->fm.open_line,
			       "end_line", (json_int_t)doc->fm.close_line);
	if (!put(o, "frontmatter_lines", fm) || !put(o, "body_line", json_integer(doc->fm.body_line)) ||
	    !put(o, "frontmatter", doc->fm.root ? pm_json_plain(doc->fm.root) : json_null()))
		return fail(o);
	json_t *fields = json_array();
	const struct pm_value *root = doc->fm.root;
	for (size_t i = 0; root && i < root->u.map.n; i++)
		if (!append(fields, typed_pair(&root->u.map.pairs[i]))) {
			json_decref(fields);
			return fail(o);
		}
	if (!put(o, "fields", fields))
		return fail(o);
	json_t *secs = json_array();
	for (size_t i = 0; i < doc->body.nsections; i++)
		if (doc->body.sections[i].parent < 0 && !append(secs, pm_json_section(doc, i))) {
			json_decref(secs);
			return fail(o);
		}
	if (!put(o, "sections", secs))
		return fail(o);
	json_t *tables = json_array();
	for (size_t i = 0; i < doc->body.ntables; i++)
		if (!append(tables, pm_json_table(doc, i))) {
			json_decref(tables);
			return fail(o);
		}
	if (!put(o, "tables", tables))
		return fail(o);
	json_t *links = json_array();
	for (size_t i = 0; i < doc->body.nlinks; i++) {
		const struct pm_link *l = &doc->body.links[i];
		const char *sec = l->section >= 0 ? doc->body.sections[l->section].path : NULL;
		json_t *lo = json_object();
		if (!put(lo, "kind", json_string(link_kind(l->kind))) ||
		    !put(lo, "target", str(l->target)) || !put(lo, "text", str(l->text)) ||
		    !put(lo, "section", str(sec)) || !put(lo, "line", json_integer(l->line)) ||
		    !put(lo, "column", json_integer(l->col)) || !append(links, lo)) {
			json_decref(links);
			return fail(o);
		}
	}
	if (!put(o, "links", links))
		return fail(o);
	json_t *diags = json_array();
	for (size_t i = 0; i < doc->diags.n; i++)
		if (!append(diags, pm_json_diag(&doc->diags.items[i]))) {
			json_decref(diags);
			return fail(o);
		}
	return put(o, "diagnostics", diags) ? o : fail(o);
}

const char *pm_doc_section_source(const struct pm_doc *doc, size_t index,
				  struct pm_arena *a)
{
	const struct pm_section *s = &doc->body.sections[index];
	size_t start = pm_source_line_offset(&doc->src, s->line);
	size_t end = pm_source_line_offset(&doc->src, s->end_line + 1);
	return pm_arena_strndup(a, doc->src.data + start, end - start);
}
