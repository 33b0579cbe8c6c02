/* validate.c - fields, identity, sections and tables of one document. */
#include "validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "codes.h"
#include "rules.h"
#include "suggest.h"
#include "timeutil.h"

/* ---- reporting ---------------------------------------------------------- */

struct pm_diag *pm_check_report(struct pm_check *k, uint32_t line, uint32_t col,
				const char *code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const struct pm_code_info *info = pm_code_lookup(code);
	enum pm_severity sev = info ? info->severity : PM_SEV_ERROR;
	struct pm_diag *dg = pm_diags_add(k->out, k->doc->path, line, col, sev, code, "%s", msg);
	if (!dg)
		k->nomem = true;
	return dg;
}

void pm_check_hint(struct pm_check *k, struct pm_diag *dg, const char *fmt, ...)
{
	if (!dg)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pm_diag_set_hint(k->out, dg, "%s", msg);
}

/* Where a finding about something missing points: the frontmatter's first
 * line, or the document's first heading, column 1. */
static uint32_t top_line(const struct pm_doc *d)
{
	return d->fm.present ? d->fm.open_line : 1;
}

static uint32_t first_heading_line(const struct pm_doc *d)
{
	return d->body.nsections ? d->body.sections[0].line : d->fm.body_line;
}

static void hint_values(struct pm_check *k, struct pm_diag *dg, const char *got,
			const char *const *values, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcasecmp(values[i], got)) {
			pm_check_hint(k, dg, "did you mean '%s'? values are case-sensitive",
				      values[i]);
			return;
		}
	}
	const char *sug = pm_suggest(got, values, n, 1);
	struct pm_buf b = PM_BUF_INIT;
	if (sug)
		pm_buf_printf(&b, "did you mean '%s'? ", sug);
	pm_buf_adds(&b, "allowed values: ");
	for (size_t i = 0; i < n; i++)
		pm_buf_printf(&b, "%s%s", i ? ", " : "", values[i]);
	pm_check_hint(k, dg, "%s", pm_buf_cstr(&b));
	pm_buf_release(&b);
}

/* ---- users -------------------------------------------------------------- */

/* Checks one @handle; `what` names the field or column for the message. */
static void check_user(struct pm_check *k, const char *s, uint32_t line, uint32_t col,
		       const char *what, const char *bad_code)
{
	if (!pm_user_syntax(s)) {
		struct pm_diag *dg = pm_check_report(k, line, col, bad_code,
						     "%s '%s' is not a @handle", what, s);
		bool in_yaml = !strcmp(bad_code, PM_C_USER_FORMAT);
		if (s[0] != '@' && pm_user_syntax(pm_arena_printf(k->out->arena, "@%s", s))) {
			if (in_yaml)
				pm_check_hint(k, dg, "write \"@%s\" (quoted: a bare @ cannot start "
					      "a YAML value)", s);
			else
				pm_check_hint(k, dg, "write @%s", s);
		}
		else
			pm_check_hint(k, dg, "write @handle or @team/name");
		return;
	}
	const struct pm_users *u = k->ctx->users;
	if (!u || pm_users_known(u, s))
		return;
	struct pm_diag *dg = pm_check_report(k, line, col, PM_C_UNKNOWN_USER,
					     "%s '%s' is not in the users file", what, s);
	const char *sug = pm_users_suggest(u, s);
	if (sug)
		pm_check_hint(k, dg, "did you mean '@%s'?", sug);
	else
		pm_check_hint(k, dg, "add '%s' to %s", s + 1, u->path);
}

/* ---- fields ------------------------------------------------------------- */

static bool is_number(const struct pm_value *v)
{
	return v->kind == PM_VAL_INT || v->kind == PM_VAL_FLOAT;
}

static double number_of(const struct pm_value *v)
{
	return v->kind == PM_VAL_INT ? (double)v->u.i : v->u.f;
}

static void wrong_type(struct pm_check *k, const struct pm_field_schema *f,
		       const struct pm_value *v, const char *key_what)
{
	struct pm_diag *dg = pm_check_report(k, v->line, v->col, PM_C_WRONG_TYPE,
					     "%s '%s' should be %s, not %s", key_what, f->name,
					     pm_ftype_name(f->type), pm_value_kind_name(v->kind));
	if (v->kind != PM_VAL_STRING && pm_value_is_scalar(v) && f->type <= PM_FT_REF &&
	    f->type != PM_FT_INTEGER && f->type != PM_FT_NUMBER && f->type != PM_FT_BOOL)
		pm_check_hint(k, dg, "quote it: \"%.*s\"", (int)v->raw_len, v->raw);
	else if (f->type >= PM_FT_STRING_LIST)
		pm_check_hint(k, dg, "write a list: [a, b] or one '- item' per line");
}

/* A scalar string value of one of the scalar types. */
static void check_scalar(struct pm_check *k, const struct pm_field_schema *f,
			 enum pm_ftype type, const struct pm_value *v)
{
	int32_t days;
	int64_t epoch;
	int32_t off;
	switch (type) {
	case PM_FT_INTEGER:
		if (v->kind != PM_VAL_INT)
			wrong_type(k, f, v, "field");
		break;
	case PM_FT_NUMBER:
		if (!is_number(v))
			wrong_type(k, f, v, "field");
		break;
	case PM_FT_BOOL:
		if (v->kind != PM_VAL_BOOL)
			wrong_type(k, f, v, "field");
		break;
	case PM_FT_DATE:
		if (v->kind != PM_VAL_STRING) {
			wrong_type(k, f, v, "field");
		} else if (!pm_date_parse(v->raw, v->raw_len, &days)) {
			struct pm_diag *dg = pm_check_report(k, v->line, v->col, PM_C_INVALID_DATE,
							     "'%s' is not a valid date: '%s'",
							     f->name, v->raw);
			bool shaped = v->raw_len == 10 && v->raw[4] == '-' && v->raw[7] == '-';
			pm_check_hint(k, dg, shaped ? "no such day in the calendar"
						    : "write YYYY-MM-DD, e.g. 2025-01-20");
		}
		break;
	case PM_FT_DATETIME:
		if (v->kind != PM_VAL_STRING) {
			wrong_type(k, f, v, "field");
		} else if (!pm_datetime_parse(v->raw, v->raw_len, &epoch, &off)) {
			struct pm_diag *dg = pm_check_report(k, v->line, v->col,
							     PM_C_INVALID_DATETIME,
							     "'%s' is not an ISO 8601 datetime with a "
							     "zone: '%s'", f->name, v->raw);
			pm_check_hint(k, dg, "write e.g. 2025-01-20T14:32:00Z or "
				      "2025-01-20T16:32:00+02:00");
		}
		break;
	case PM_FT_ENUM:
		if (v->kind != PM_VAL_STRING && !pm_value_is_scalar(v)) {
			wrong_type(k, f, v, "field");
		} else {
			size_t i = 0;
			while (i < f->nvalues && strcmp(f->values[i], v->raw ? v->raw : ""))
				i++;
			if (i == f->nvalues) {
				struct pm_diag *dg = pm_check_report(
					k, v->line, v->col, PM_C_INVALID_ENUM,
					"'%s' value '%s' is not allowed", f->name,
					v->raw ? v->raw : "");
				hint_values(k, dg, v->raw ? v->raw : "", f->values, f->nvalues);
			}
		}
		break;
	case PM_FT_USER:
		if (v->kind != PM_VAL_STRING)
			wrong_type(k, f, v, "field");
		else
			check_user(k, v->raw, v->line, v->col, f->name, PM_C_USER_FORMAT);
		break;
	case PM_FT_STRING:
	case PM_FT_REF:
		if (v->kind != PM_VAL_STRING)
			wrong_type(k, f, v, "field");
		break;
	default:
		break;
	}
	if (v->kind == PM_VAL_STRING && f->regex && !pm_regex_match(f->regex, v->raw, v->raw_len)) {
		struct pm_diag *dg = pm_check_report(k, v->line, v->col, PM_C_PATTERN,
						     "'%s' value '%s' does not match the pattern "
						     "%s", f->name, v->raw, f->pattern);
		if (f->description)
			pm_check_hint(k, dg, "%s", f->description);
	}
	if (is_number(v) && (type == PM_FT_INTEGER || type == PM_FT_NUMBER)) {
		double x = number_of(v);
		if ((f->has_min && x < f->min) || (f->has_max && x > f->max)) {
			struct pm_diag *dg = pm_check_report(k, v->line, v->col, PM_C_OUT_OF_RANGE,
							     "'%s' is %.*s, outside the allowed range",
							     f->name, (int)v->raw_len, v->raw);
			if (f->has_min && f->has_max)
				pm_check_hint(k, dg, "allowed: %g to %g", f->min, f->max);
			else if (f->has_min)
				pm_check_hint(k, dg, "allowed: %g or more", f->min);
			else
				pm_check_hint(k, dg, "allowed: %g or less", f->max);
		}
	}
}

static bool required_now(const struct pm_doc *d, const struct pm_field_schema *f)
{
	if (f->required)
		return true;
	if (!f->required_when_field)
		return false;
	const struct pm_value *w = pm_doc_field(d, f->required_when_field);
	if (!w || !w->raw)
		return false;
	for (size_t i = 0; i < f->nrequired_when; i++)
		if (!strcmp(f->required_when_values[i], w->raw))
			return true;
	return false;
}

static void check_field(struct pm_check *k, const struct pm_field_schema *f)
{
	const struct pm_pair *p = pm_value_pair(k->doc->fm.root, f->name);
	const struct pm_value *v = p ? p->value : NULL;
	bool empty = !v || v->kind == PM_VAL_NULL ||
		     (v->kind == PM_VAL_STRING && v->raw_len == 0);
	if (empty) {
		if (!required_now(k->doc, f))
			return;
		struct pm_diag *dg;
		if (!p) {
			dg = pm_check_report(k, top_line(k->doc), 1, PM_C_MISSING_FIELD,
					     "missing required field '%s'", f->name);
		} else {
			dg = pm_check_report(k, p->line, p->col, PM_C_MISSING_FIELD,
					     "required field '%s' is empty", f->name);
		}
		if (!f->required)
			pm_check_hint(k, dg, "required when %s is %s", f->required_when_field,
				      pm_doc_field(k->doc, f->required_when_field)->raw);
		else if (f->type == PM_FT_ENUM)
			hint_values(k, dg, "", f->values, f->nvalues);
		else if (f->description)
			pm_check_hint(k, dg, "%s: %s", f->name, f->description);
		return;
	}
	if (f->type >= PM_FT_STRING_LIST) {
		if (v->kind != PM_VAL_SEQ) {
			wrong_type(k, f, v, "field");
			return;
		}
		if (v->u.seq.n < f->min_items) {
			struct pm_diag *dg = pm_check_report(k, p->line, p->col, PM_C_TOO_FEW_ITEMS,
							     "'%s' needs at least %zu item%s, has %zu",
							     f->name, f->min_items,
							     f->min_items == 1 ? "" : "s", v->u.seq.n);
			(void)dg;
		}
		enum pm_ftype item = f->type == PM_FT_USER_LIST ? PM_FT_USER
				   : f->type == PM_FT_REF_LIST ? PM_FT_REF : PM_FT_STRING;
		for (size_t i = 0; i < v->u.seq.n; i++) {
			const struct pm_value *x = v->u.seq.items[i];
			if (x->kind != PM_VAL_STRING) {
				struct pm_diag *dg = pm_check_report(
					k, x->line, x->col, PM_C_WRONG_TYPE,
					"'%s' items should be %s, not %s", f->name,
					pm_ftype_name(item), pm_value_kind_name(x->kind));
				if (pm_value_is_scalar(x) && x->kind != PM_VAL_NULL)
					pm_check_hint(k, dg, "quote it: \"%.*s\"", (int)x->raw_len,
						      x->raw);
				continue;
			}
			check_scalar(k, f, item, x);
		}
		return;
	}
	if (!pm_value_is_scalar(v)) {
		wrong_type(k, f, v, "field");
		return;
	}
	check_scalar(k, f, f->type, v);
}

static void check_unknown_fields(struct pm_check *k)
{
	const struct pm_value *root = k->doc->fm.root;
	const struct pm_type_schema *t = k->type;
	const struct pm_schema *s = k->ctx->schema;
	for (size_t i = 0; i < root->u.map.n; i++) {
		const struct pm_pair *p = &root->u.map.pairs[i];
		bool inv;
		if (!strcmp(p->key, "type") || !strcmp(p->key, "id") || pm_type_field(t, p->key) ||
		    pm_schema_relation(s, p->key, &inv))
			continue;
		/* Candidates: the type's fields and every relation name. */
		size_t n = 0, cap = t->nfields + 2 * s->nrelations;
		const char **cands = malloc((cap ? cap : 1) * sizeof(*cands));
		if (!cands) {
			k->nomem = true;
			return;
		}
		for (size_t f = 0; f < t->nfields; f++)
			cands[n++] = t->fields[f].name;
		for (size_t r = 0; r < s->nrelations; r++) {
			cands[n++] = s->relations[r].name;
			if (s->relations[r].inverse)
				cands[n++] = s->relations[r].inverse;
		}
		const char *sug = pm_suggest(p->key, cands, n, 1);
		free(cands);
		struct pm_diag *dg = pm_check_report(k, p->line, p->col, PM_C_UNKNOWN_FIELD,
						     "unknown field '%s' for type %s", p->key,
						     t->name);
		if (sug)
			pm_check_hint(k, dg, "did you mean '%s'?", sug);
		else
			pm_check_hint(k, dg, "add it to %s, or remove it", t->path);
	}
}

/* ---- identity ----------------------------------------------------------- */

/* Returns the type schema, or NULL after reporting why there is none. */
static const struct pm_type_schema *check_identity(struct pm_check *k)
{
	const struct pm_doc *d = k->doc;
	const struct pm_schema *s = k->ctx->schema;
	const struct pm_pair *tp = pm_value_pair(d->fm.root, "type");
	if (!tp || tp->value->kind == PM_VAL_NULL) {
		struct pm_diag *dg = pm_check_report(k, tp ? tp->line : top_line(d), 1,
						     PM_C_MISSING_TYPE, "missing 'type' field");
		struct pm_buf b = PM_BUF_INIT;
		for (size_t i = 0; i < s->ntypes; i++)
			pm_buf_printf(&b, "%s%s", i ? ", " : "", s->types[i].name);
		pm_check_hint(k, dg, "add 'type:' with one of: %s", pm_buf_cstr(&b));
		pm_buf_release(&b);
		return NULL;
	}
	const struct pm_value *tv = tp->value;
	const struct pm_type_schema *t = tv->kind == PM_VAL_STRING ? pm_schema_type(s, tv->raw)
								    : NULL;
	if (!t) {
		struct pm_diag *dg = pm_check_report(k, tv->line, tv->col, PM_C_UNKNOWN_TYPE,
						     "unknown type '%.*s'", (int)tv->raw_len,
						     tv->raw ? tv->raw : "");
		const char **names = malloc((s->ntypes ? s->ntypes : 1) * sizeof(*names));
		if (names) {
			for (size_t i = 0; i < s->ntypes; i++)
				names[i] = s->types[i].name;
			hint_values(k, dg, tv->raw ? tv->raw : "", names, s->ntypes);
			free(names);
		}
		return NULL;
	}
	const struct pm_pair *ip = d->id_from_field ? pm_value_pair(d->fm.root, "id") : NULL;
	uint32_t line = ip ? ip->value->line : 1, col = ip ? ip->value->col : 1;
	const char *from = ip ? "" : " (from the file name)";
	/* PREFIX-NNN: upper-case letters, a dash, digits.  The type's own
	 * prefix decides, so a team's new type needs no change to id_pattern. */
	const char *dash = strchr(d->id, '-');
	bool shape = dash && dash > d->id && dash[1];
	for (const char *p = d->id; shape && p < dash; p++)
		shape = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
	for (const char *p = dash ? dash + 1 : ""; shape && *p; p++)
		shape = *p >= '0' && *p <= '9';
	if (!shape) {
		struct pm_diag *dg = pm_check_report(k, line, col, PM_C_ID_FORMAT,
						     "ID '%s'%s does not have the form %s-NNN",
						     d->id, from, t->prefix);
		pm_check_hint(k, dg, "name the file %s-001.md (lower case is fine) or set "
			      "'id: %s-001'", t->prefix, t->prefix);
		return t;
	}
	size_t pn = strlen(t->prefix);
	if ((size_t)(dash - d->id) != pn || strncmp(d->id, t->prefix, pn)) {
		struct pm_diag *dg = pm_check_report(k, line, col, PM_C_ID_PREFIX,
						     "ID '%s'%s does not start with %s-, the "
						     "prefix of type %s", d->id, from, t->prefix,
						     t->name);
		pm_check_hint(k, dg, "rename the file or fix 'type'");
	}
	return t;
}

/* ---- sections and tables ------------------------------------------------ */

static bool is_under(const struct pm_body *b, int sec, int ancestor)
{
	for (int p = b->sections[sec].parent; p >= 0; p = b->sections[p].parent)
		if (p == ancestor)
			return true;
	return false;
}

/* A doc section matching name under parent (-1: anywhere); -1 if none.
 * *elsewhere receives a match outside parent, for PM508. */
static int find_section(const struct pm_body *b, const char *name, int parent, int *elsewhere)
{
	*elsewhere = -1;
	for (size_t i = 0; i < b->nsections; i++) {
		if (strcasecmp(b->sections[i].title, name))
			continue;
		if (parent < 0 || is_under(b, (int)i, parent))
			return (int)i;
		if (*elsewhere < 0)
			*elsewhere = (int)i;
	}
	return -1;
}

static bool has_content(const struct pm_body *b, int sec)
{
	if (b->sections[sec].nblocks)
		return true;
	for (size_t i = (size_t)sec + 1; i < b->nsections; i++)
		if (b->sections[i].parent == sec)
			return true;
	return false;
}

static void check_cell(struct pm_check *k, const struct pm_column_schema *col,
		       const struct pm_cell *cell, uint32_t row_line)
{
	const char *s = cell->text;
	uint32_t line = cell->line ? cell->line : row_line, c = cell->col ? cell->col : 1;
	if (!*s) {
		if (col->required)
			pm_check_report(k, line, c, PM_C_EMPTY_CELL, "empty '%s' cell in a "
					"required column", col->name);
		return;
	}
	size_t n = strlen(s);
	int32_t days;
	int64_t epoch;
	int32_t off;
	char *end;
	switch (col->type) {
	case PM_FT_USER:
		check_user(k, s, line, c, col->name, PM_C_INVALID_CELL);
		break;
	case PM_FT_DATE:
		if (!pm_date_parse(s, n, &days)) {
			struct pm_diag *dg = pm_check_report(k, line, c, PM_C_INVALID_CELL,
							     "'%s' cell '%s' is not a date",
							     col->name, s);
			pm_check_hint(k, dg, "write YYYY-MM-DD");
		}
		break;
	case PM_FT_DATETIME:
		if (!pm_datetime_parse(s, n, &epoch, &off))
			pm_check_report(k, line, c, PM_C_INVALID_CELL,
					"'%s' cell '%s' is not an ISO 8601 datetime", col->name, s);
		break;
	case PM_FT_ENUM: {
		size_t i = 0;
		while (i < col->nvalues && strcmp(col->values[i], s))
			i++;
		if (i == col->nvalues) {
			struct pm_diag *dg = pm_check_report(k, line, c, PM_C_INVALID_CELL,
							     "'%s' cell '%s' is not allowed",
							     col->name, s);
			hint_values(k, dg, s, col->values, col->nvalues);
		}
		break;
	}
	case PM_FT_NUMBER:
		strtod(s, &end);
		if (*end)
			pm_check_report(k, line, c, PM_C_INVALID_CELL,
					"'%s' cell '%s' is not a number", col->name, s);
		break;
	case PM_FT_INTEGER:
		strtoll(s, &end, 10);
		if (*end)
			pm_check_report(k, line, c, PM_C_INVALID_CELL,
					"'%s' cell '%s' is not a whole number", col->name, s);
		break;
	case PM_FT_BOOL:
		if (strcmp(s, "true") && strcmp(s, "false") && strcmp(s, "yes") && strcmp(s, "no"))
			pm_check_report(k, line, c, PM_C_INVALID_CELL,
					"'%s' cell '%s' is not true/false", col->name, s);
		break;
	default:
		break;
	}
}

static void check_table(struct pm_check *k, const struct pm_section_schema *ss, int sec)
{
	const struct pm_body *b = &k->doc->body;
	const struct pm_table_schema *ts = ss->table;
	const struct pm_table *t = NULL;
	for (size_t i = 0; i < b->ntables && !t; i++)
		if (b->tables[i].section == sec ||
		    (b->tables[i].section >= 0 && is_under(b, b->tables[i].section, sec)))
			t = &b->tables[i];
	const struct pm_section *hs = &b->sections[sec];
	if (!t) {
		if (ts->required) {
			struct pm_diag *dg = pm_check_report(k, hs->line, hs->col, PM_C_MISSING_TABLE,
							     "section '%s' has no table", hs->title);
			struct pm_buf h = PM_BUF_INIT;
			for (size_t c = 0; c < ts->ncolumns; c++)
				pm_buf_printf(&h, "| %s ", ts->columns[c].name);
			pm_check_hint(k, dg, "add a table with the header %s|", pm_buf_cstr(&h));
			pm_buf_release(&h);
		}
		return;
	}
	/* Map each schema column to a table column by header, case-insensitively. */
	long map[64];
	size_t ncols = ts->ncolumns < 64 ? ts->ncolumns : 64;
	const char *headers[64];
	size_t nh = t->ncols < 64 ? t->ncols : 64;
	for (size_t c = 0; c < nh; c++)
		headers[c] = t->header[c].text;
	for (size_t c = 0; c < ncols; c++) {
		map[c] = -1;
		for (size_t h = 0; h < nh; h++)
			if (!strcasecmp(ts->columns[c].name, headers[h]))
				map[c] = (long)h;
		if (map[c] < 0 && ts->columns[c].required) {
			struct pm_diag *dg = pm_check_report(k, t->line, 1, PM_C_MISSING_COLUMN,
							     "table in '%s' has no '%s' column",
							     hs->title, ts->columns[c].name);
			const char *sug = pm_suggest(ts->columns[c].name, headers, nh, 1);
			if (sug)
				pm_check_hint(k, dg, "did you mean '%s'? rename the header",
					      sug);
		}
	}
	if (t->nrows < ts->min_rows)
		pm_check_report(k, t->line, 1, PM_C_TOO_FEW_ROWS,
				"table in '%s' has %zu row%s, needs at least %zu", hs->title,
				t->nrows, t->nrows == 1 ? "" : "s", ts->min_rows);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < ncols; c++)
			if (map[c] >= 0)
				check_cell(k, &ts->columns[c], &t->rows[r].cells[map[c]],
					   t->rows[r].line);
}

static void check_sections(struct pm_check *k, const struct pm_section_schema *list, size_t n,
			   int parent, const char *parent_path)
{
	const struct pm_body *b = &k->doc->body;
	for (size_t i = 0; i < n; i++) {
		const struct pm_section_schema *ss = &list[i];
		int elsewhere;
		int sec = find_section(b, ss->name, parent, &elsewhere);
		char path[512];
		if (parent_path)
			snprintf(path, sizeof(path), "%s > %s", parent_path, ss->name);
		else
			snprintf(path, sizeof(path), "%s", ss->name);
		if (sec < 0 && elsewhere >= 0) {
			const struct pm_section *e = &b->sections[elsewhere];
			struct pm_diag *dg = pm_check_report(k, e->line, e->col, PM_C_MISPLACED_SECTION,
							     "section '%s' belongs under '%s'",
							     e->title, parent_path);
			pm_check_hint(k, dg, "make it a subsection of '%s' (a deeper heading "
				      "after it)", parent_path);
			continue;
		}
		if (sec < 0) {
			if (!ss->required)
				continue;
			struct pm_diag *dg = pm_check_report(k, parent >= 0 ? b->sections[parent].line
							     : first_heading_line(k->doc), 1,
							     PM_C_MISSING_SECTION,
							     "missing required section '%s'", path);
			/* A heading the schema does not know may be this one misspelt. */
			const char *sug = NULL;
			size_t best = 4;
			for (size_t h = 0; h < b->nsections; h++) {
				size_t d = pm_edit_distance(ss->name, b->sections[h].title, 1, best - 1);
				if (d < best) {
					best = d;
					sug = b->sections[h].title;
				}
			}
			if (sug)
				pm_check_hint(k, dg, "did you mean '%s'? headings match by text",
					      sug);
			else
				pm_check_hint(k, dg, "add a heading '%s %s'",
					      parent >= 0 ? "##" : "#", ss->name);
			continue;
		}
		const struct pm_section *hs = &b->sections[sec];
		if ((ss->required || ss->non_empty) && !has_content(b, sec))
			pm_check_report(k, hs->line, hs->col, PM_C_EMPTY_SECTION,
					"%s section '%s' is empty", ss->required ? "required" : "the",
					hs->title);
		if (ss->min_items) {
			size_t items = hs->nitems;
			for (size_t t = 0; t < b->ntables; t++)
				if (b->tables[t].section == sec)
					items += b->tables[t].nrows;
			if (items < ss->min_items) {
				struct pm_diag *dg = pm_check_report(
					k, hs->line, hs->col, PM_C_SECTION_ITEMS,
					"section '%s' has %zu item%s, needs at least %zu", hs->title,
					items, items == 1 ? "" : "s", ss->min_items);
				pm_check_hint(k, dg, "list items and table rows count");
			}
		}
		if (ss->table)
			check_table(k, ss, sec);
		check_sections(k, ss->sections, ss->nsections, sec, path);
	}
}

static void check_duplicate_headings(struct pm_check *k)
{
	const struct pm_body *b = &k->doc->body;
	for (size_t i = 1; i < b->nsections; i++) {
		for (size_t j = 0; j < i; j++) {
			if (b->sections[j].parent != b->sections[i].parent ||
			    strcasecmp(b->sections[j].title, b->sections[i].title))
				continue;
			const struct pm_section *s = &b->sections[i];
			struct pm_diag *dg = pm_check_report(k, s->line, s->col,
							     PM_C_DUPLICATE_SECTION,
							     "duplicate heading '%s'", s->title);
			pm_check_hint(k, dg, "first used on line %u; merge the two",
				      (unsigned)b->sections[j].line);
			break;
		}
	}
}

/* ---- the document ------------------------------------------------------- */

int pm_validate_doc(const struct pm_doc *doc, const struct pm_lint_ctx *ctx,
		    struct pm_diags *out)
{
	if (!doc->fm.root)
		return 0;	/* its parse findings say why */
	struct pm_check k = { .doc = doc, .ctx = ctx, .out = out };
	k.type = check_identity(&k);
	if (!k.type)
		return k.nomem ? PM_ERR_NOMEM : 0;
	for (size_t i = 0; i < k.type->nfields; i++)
		check_field(&k, &k.type->fields[i]);
	check_unknown_fields(&k);
	check_sections(&k, k.type->sections, k.type->nsections, -1, NULL);
	check_duplicate_headings(&k);
	pm_rules_check_doc(&k);
	return k.nomem ? PM_ERR_NOMEM : 0;
}
