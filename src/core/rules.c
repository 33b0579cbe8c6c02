/* rules.c - the named rules: incident arithmetic, timelines, action items,
 * policy review dates, superseded status. */
#include "rules.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "codes.h"
#include "timeutil.h"

const char *pm_rule_param(const struct pm_rule *r, const char *key, const char *def)
{
	const struct pm_value *v = pm_value_get(r->params, key);
	return v && v->kind == PM_VAL_STRING ? v->raw : def;
}

static long param_int(const struct pm_rule *r, const char *key, long def)
{
	const struct pm_value *v = pm_value_get(r->params, key);
	return v && v->kind == PM_VAL_INT ? (long)v->u.i : def;
}

/* A datetime field's instant; false when absent or malformed (the field
 * check reports that). */
static bool field_time(const struct pm_doc *d, const char *key, int64_t *epoch, int32_t *off,
		       const struct pm_value **v)
{
	*v = pm_doc_field(d, key);
	return *v && (*v)->kind == PM_VAL_STRING &&
	       pm_datetime_parse((*v)->raw, (*v)->raw_len, epoch, off);
}

static bool field_date(const struct pm_doc *d, const char *key, int32_t *days,
		       const struct pm_value **v)
{
	*v = pm_doc_field(d, key);
	return *v && (*v)->kind == PM_VAL_STRING && pm_date_parse((*v)->raw, (*v)->raw_len, days);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static void incident_window(struct pm_check *k, const struct pm_rule *r)
{
	const struct pm_value *sv, *rv;
	int64_t start, end;
	int32_t so, ro;
	if (!field_time(k->doc, pm_rule_param(r, "started", "started_at"), &start, &so, &sv) ||
	    !field_time(k->doc, pm_rule_param(r, "resolved", "resolved_at"), &end, &ro, &rv))
		return;
	if (end < start) {
		struct pm_diag *dg = pm_check_report(k, rv->line, rv->col,
						     PM_C_RESOLVED_BEFORE_START,
						     "resolved_at %s is before started_at %s",
						     rv->raw, sv->raw);
		pm_check_hint(k, dg, "times compare as instants, zones included");
		return;
	}
	const char *dkey = pm_rule_param(r, "duration", "duration_minutes");
	const struct pm_value *dv = pm_doc_field(k->doc, dkey);
	if (!dv || dv->kind != PM_VAL_INT)
		return;
	/* Durations round to the nearest minute. */
	int64_t minutes = floor_div(end - start + 30, 60);
	long tol = param_int(r, "tolerance_minutes", 1);
	/* |duration - minutes| in unsigned arithmetic: the duration is any
	 * 64-bit number a document holds, and signed subtraction overflows. */
	uint64_t diff = dv->u.i > minutes ? (uint64_t)dv->u.i - (uint64_t)minutes
					  : (uint64_t)minutes - (uint64_t)dv->u.i;
	if (tol < 0 || diff > (uint64_t)tol) {
		struct pm_diag *dg = pm_check_report(k, dv->line, dv->col, PM_C_DURATION,
						     "%s is %lld but resolved_at - started_at is "
						     "%lld minutes", dkey, (long long)dv->u.i,
						     (long long)minutes);
		pm_check_hint(k, dg, "set %s: %lld", dkey, (long long)minutes);
	}
}

/* The first table in (or under) the section named name. */
const struct pm_table *pm_doc_section_table(const struct pm_doc *d, const char *name,
					    const char *col_name, long *col)
{
	const struct pm_body *b = &d->body;
	for (size_t i = 0; i < b->ntables; i++) {
		const struct pm_table *t = &b->tables[i];
		for (int s = t->section; s >= 0; s = b->sections[s].parent) {
			if (strcasecmp(b->sections[s].title, name))
				continue;
			*col = -1;
			for (size_t c = 0; c < t->ncols; c++)
				if (!strcasecmp(t->header[c].text, col_name))
					*col = (long)c;
			return t;
		}
	}
	return NULL;
}

int pm_timeline_read(const struct pm_doc *d, const struct pm_rule *r, struct pm_arena *a,
		     struct pm_timeline *out)
{
	memset(out, 0, sizeof(*out));
	int32_t off, roff;
	if (!field_time(d, pm_rule_param(r, "started", "started_at"), &out->start, &off, &out->started) ||
	    !(out->table = pm_doc_section_table(d, pm_rule_param(r, "section", "Timeline"),
						pm_rule_param(r, "column", "Time"),
						&out->column)) ||
	    out->column < 0) {
		out->table = NULL;
		return 0;
	}
	out->has_end = field_time(d, pm_rule_param(r, "resolved", "resolved_at"), &out->end, &roff,
				  &out->resolved);
	const struct pm_table *t = out->table;
	out->at = pm_arena_array(a, t->nrows ? t->nrows : 1, sizeof(*out->at));
	out->state = pm_arena_array(a, t->nrows ? t->nrows : 1, sizeof(*out->state));
	if (!out->at || !out->state)
		return PM_ERR_NOMEM;
	/* HH:MM is read in started_at's date and zone, at minute precision:
	 * started_at 14:32:30 and an entry "14:32" agree. */
	int64_t local_day = floor_div(out->start + (int64_t)off * 60, 86400);
	/* The start is the first point of reference: an incident begun at
	 * 23:50 whose first entry says 00:05 has passed midnight already. */
	int32_t prev_clock = (int32_t)(floor_div(out->start + (int64_t)off * 60, 60) -
				       local_day * 1440);
	bool rolled = false;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct pm_cell *c = &t->rows[i].cells[out->column];
		size_t n = strlen(c->text);
		int32_t clock, coff;
		int64_t epoch;
		if (!n) {
			out->state[i] = PM_TIME_EMPTY;
		} else if (pm_clock_parse(c->text, n, &clock)) {
			/* Going back by more than 12 hours means the clock passed
			 * midnight; that may happen once. */
			if (clock < prev_clock && prev_clock - clock > 720 && !rolled) {
				rolled = true;
				local_day++;
			}
			prev_clock = clock;
			out->at[i] = ((local_day * 86400 + (int64_t)clock * 60) - (int64_t)off * 60) / 60;
			out->state[i] = PM_TIME_OK;
		} else if (pm_datetime_parse(c->text, n, &epoch, &coff)) {
			/* A full datetime fixes the day that later HH:MM entries
			 * continue on. */
			out->at[i] = floor_div(epoch, 60);
			int64_t local_min = floor_div(epoch + (int64_t)off * 60, 60);
			local_day = floor_div(local_min, 1440);
			prev_clock = (int32_t)(local_min - local_day * 1440);
			out->state[i] = PM_TIME_OK;
		} else {
			out->state[i] = PM_TIME_BAD;
		}
	}
	return 0;
}

static void timeline_order(struct pm_check *k, const struct pm_rule *r)
{
	struct pm_timeline tl;
	if (pm_timeline_read(k->doc, r, k->out->arena, &tl)) {
		k->nomem = true;
		return;
	}
	if (!tl.table)
		return;
	int64_t start_min = floor_div(tl.start, 60), end_min = floor_div(tl.end, 60);
	int64_t prev = INT64_MIN;
	for (size_t i = 0; i < tl.table->nrows; i++) {
		const struct pm_cell *c = &tl.table->rows[i].cells[tl.column];
		if (tl.state[i] == PM_TIME_EMPTY)
			continue;	/* an empty cell is the column check's business */
		if (tl.state[i] == PM_TIME_BAD) {
			struct pm_diag *dg = pm_check_report(k, c->line, c->col, PM_C_TIMELINE_TIME,
							     "timeline time '%s' is neither HH:MM "
							     "nor a datetime", c->text);
			pm_check_hint(k, dg, "write 14:32 (in started_at's zone) or "
				      "2025-01-20T14:32:00Z");
			continue;
		}
		int64_t at = tl.at[i];
		if (at < prev) {
			struct pm_diag *dg = pm_check_report(k, c->line, c->col,
							     PM_C_TIMELINE_ORDER,
							     "timeline entry '%s' is earlier than the "
							     "entry before it", c->text);
			pm_check_hint(k, dg, "keep the timeline in time order");
		}
		if (at < start_min || (tl.has_end && at > end_min)) {
			struct pm_diag *dg = pm_check_report(k, c->line, c->col,
							     PM_C_TIMELINE_WINDOW,
							     "timeline entry '%s' lies outside "
							     "started_at..resolved_at", c->text);
			pm_check_hint(k, dg, "the incident runs from %s to %s", tl.started->raw,
				      tl.has_end ? tl.resolved->raw : "(unresolved)");
		}
		prev = at;
	}
}

static bool in_list(const struct pm_value *list, const char *s, const char *const *def,
		    size_t ndef)
{
	if (list && list->kind == PM_VAL_SEQ) {
		for (size_t i = 0; i < list->u.seq.n; i++)
			if (list->u.seq.items[i]->raw && !strcmp(list->u.seq.items[i]->raw, s))
				return true;
		return false;
	}
	for (size_t i = 0; i < ndef; i++)
		if (!strcmp(def[i], s))
			return true;
	return false;
}

bool pm_rule_item_closed(const struct pm_rule *r, const char *status)
{
	static const char *const closed_default[] = { "done", "cancelled" };
	return in_list(r ? pm_value_get(r->params, "closed") : NULL, status ? status : "",
		       closed_default, 2);
}

static void action_items(struct pm_check *k, const struct pm_rule *r)
{
	long due_col, status_col, action_col;
	const char *section = pm_rule_param(r, "section", "Action Items");
	const struct pm_table *t = pm_doc_section_table(k->doc, section,
							pm_rule_param(r, "due", "Due"), &due_col);
	if (!t || due_col < 0)
		return;
	pm_doc_section_table(k->doc, section, pm_rule_param(r, "status", "Status"), &status_col);
	pm_doc_section_table(k->doc, section, pm_rule_param(r, "action", "Action"), &action_col);
	const struct pm_value *sv;
	int64_t start;
	int32_t off;
	bool has_start = field_time(k->doc, pm_rule_param(r, "started", "started_at"), &start, &off, &sv);
	int32_t incident_day = has_start ? (int32_t)floor_div(start + (int64_t)off * 60, 86400) : 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct pm_cell *c = &t->rows[i].cells[due_col];
		int32_t due;
		if (!pm_date_parse(c->text, strlen(c->text), &due))
			continue;	/* empty is allowed; malformed is PM505 */
		if (has_start && due < incident_day) {
			char day[11];
			pm_date_format(incident_day, day);
			struct pm_diag *dg = pm_check_report(k, c->line, c->col,
							     PM_C_DUE_BEFORE_INCIDENT,
							     "action item due %s, before the incident "
							     "began on %s", c->text, day);
			pm_check_hint(k, dg, "a due date before the incident is usually a typo for the year or month");
		}
		const char *status = status_col >= 0 ? t->rows[i].cells[status_col].text : "";
		if (pm_rule_item_closed(r, status) || due >= k->ctx->today)
			continue;
		const char *what = action_col >= 0 ? t->rows[i].cells[action_col].text : "";
		char today[11];
		pm_date_format(k->ctx->today, today);
		struct pm_diag *dg = pm_check_report(k, c->line, c->col, PM_C_OVERDUE,
						     "action item '%s' is %d day%s overdue (due "
						     "%s, status %s)", what, k->ctx->today - due,
						     k->ctx->today - due == 1 ? "" : "s", c->text,
						     *status ? status : "empty");
		pm_check_hint(k, dg, "finish it, move its Due date, or mark it cancelled "
			      "(today is %s)", today);
	}
}

static void review_dates(struct pm_check *k, const struct pm_rule *r)
{
	const struct pm_value *ev, *rv;
	int32_t eff, rev;
	bool has_eff = field_date(k->doc, pm_rule_param(r, "effective", "effective_date"), &eff, &ev);
	if (!field_date(k->doc, pm_rule_param(r, "review", "review_date"), &rev, &rv))
		return;
	if (has_eff && rev <= eff) {
		struct pm_diag *dg = pm_check_report(k, rv->line, rv->col, PM_C_REVIEW_ORDER,
						     "review_date %s is not after effective_date %s",
						     rv->raw, ev->raw);
		pm_check_hint(k, dg, "a policy is reviewed after it takes effect");
	}
	const struct pm_value *status = pm_doc_field(k->doc, "status");
	const char *active = pm_rule_param(r, "active", "active");
	if (status && status->raw && !strcmp(status->raw, active) && rev < k->ctx->today) {
		struct pm_diag *dg = pm_check_report(k, rv->line, rv->col, PM_C_REVIEW_OVERDUE,
						     "%s policy was due for review on %s", active,
						     rv->raw);
		pm_check_hint(k, dg, "review it and move review_date forward");
	}
}

void pm_rules_check_doc(struct pm_check *k)
{
	static const struct {
		const char *name;
		void (*run)(struct pm_check *, const struct pm_rule *);
	} rules[] = {
		{ "incident-window", incident_window },
		{ "timeline-order", timeline_order },
		{ "action-items", action_items },
		{ "review-dates", review_dates },
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct pm_rule *r = pm_type_rule(k->type, rules[i].name);
		if (r)
			rules[i].run(k, r);
	}
}

int pm_rules_check_graph(const struct pm_graph *g, const struct pm_docsum *sums,
			 const struct pm_lint_ctx *ctx, struct pm_diags *out)
{
	/* Which documents are superseded, for the one relation the rule names
	 * (recomputed only if a type names another). */
	unsigned char *marks = NULL;
	const struct pm_relation *marked = NULL;
	bool marked_dir = false;
	int rc = 0;
	for (size_t i = 0; i < g->nnodes && !rc; i++) {
		const struct pm_docsum *d = &sums[i];
		const struct pm_type_schema *t = d->type ? pm_schema_type(ctx->schema, d->type)
							 : NULL;
		const struct pm_rule *r = t ? pm_type_rule(t, "superseded-status") : NULL;
		if (!r)
			continue;
		const char *status_value = pm_rule_param(r, "status", "superseded");
		const char *key = pm_rule_param(r, "relation", "superseded_by");
		bool inverse;
		const struct pm_relation *rel = pm_schema_relation(ctx->schema, key, &inverse);
		if (!rel)
			continue;
		/* superseded_by is the inverse of supersedes: this document is the
		 * target of a supersedes edge, declared on either side. */
		if (!marks || marked != rel || marked_dir != !inverse) {
			free(marks);
			marks = pm_graph_mark_ends(g, rel, !inverse);
			marked = rel;
			marked_dir = !inverse;
			if (!marks)
				return PM_ERR_NOMEM;
		}
		bool superseded = marks[i];
		const struct pm_sumval *sv = d->status;
		bool says = sv && sv->raw && !strcmp(sv->raw, status_value);
		if (says == superseded)
			continue;
		/* An unresolved superseded_by still names a successor. */
		if (says && pm_docsum_has(d, key))
			continue;
		uint32_t line = sv ? sv->line : 1, col = sv ? sv->col : 1;
		struct pm_diag *dg;
		if (says) {
			dg = pm_diags_add(out, d->path, line, col, PM_SEV_WARNING, PM_C_SUPERSEDED,
					  "status is '%s' but no document supersedes %s",
					  status_value, d->id);
			if (dg)
				pm_diag_set_hint(out, dg, "add '%s: ID' naming its successor", key);
		} else {
			dg = pm_diags_add(out, d->path, line, col, PM_SEV_WARNING, PM_C_SUPERSEDED,
					  "%s is superseded (per the relation graph) but its "
					  "status is not '%s'", d->id, status_value);
			if (dg)
				pm_diag_set_hint(out, dg, "set 'status: %s'", status_value);
		}
		if (!dg)
			rc = PM_ERR_NOMEM;
	}
	free(marks);
	return rc;
}
