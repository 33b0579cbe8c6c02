/* rules.h - checks that need code, switched on and configured by name in
 * a type's schema file (`rules:`).  Internal to validate.c and rules.c.
 *
 *   incident-window    resolved_at >= started_at; duration_minutes matches
 *   timeline-order     timeline times in order and inside the window
 *   action-items       Due not before the incident; open and past Due: overdue
 *   review-dates       review_date after effective_date; active and past review
 *   superseded-status  status superseded <=> a superseding document (corpus)
 */
#ifndef PM_RULES_H
#define PM_RULES_H

#include <stdbool.h>

#include "diag.h"
#include "doc.h"
#include "graph.h"
#include "schema.h"
#include "validate.h"

/* The state of checking one document. */
struct pm_check {
	const struct pm_doc *doc;
	const struct pm_lint_ctx *ctx;
	const struct pm_type_schema *type;
	struct pm_diags *out;
	bool nomem;
};

/* Adds a finding at line:col with the code's default severity. */
struct pm_diag *pm_check_report(struct pm_check *k, uint32_t line, uint32_t col,
				const char *code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Sets a finding's hint (NULL dg: nothing). */
void pm_check_hint(struct pm_check *k, struct pm_diag *dg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A timeline read the way timeline-order reads it: each row's instant in
 * minutes since the epoch (HH:MM in started_at's date and zone, rolling
 * over midnight once; or a full datetime). */
enum pm_time_state { PM_TIME_OK, PM_TIME_EMPTY, PM_TIME_BAD };

struct pm_timeline {
	const struct pm_table *table;	/* NULL: no timeline or no start */
	long column;
	int64_t start, end;		/* seconds since the epoch */
	bool has_end;
	const struct pm_value *started, *resolved;
	int64_t *at;			/* per row, minutes since the epoch */
	enum pm_time_state *state;	/* per row */
};

/* Reads d's timeline as rule r (timeline-order's parameters) describes it;
 * the arrays live in a.  Returns 0 (out->table NULL when there is nothing
 * to read) or PM_ERR_NOMEM. */
int pm_timeline_read(const struct pm_doc *d, const struct pm_rule *r, struct pm_arena *a,
		     struct pm_timeline *out);

/* The first table in (or under) the section named name, case-insensitively;
 * *col receives the index of the column headed col_name (-1 if none). */
const struct pm_table *pm_doc_section_table(const struct pm_doc *d, const char *name,
					    const char *col_name, long *col);

/* A rule's string parameter, or def. */
const char *pm_rule_param(const struct pm_rule *r, const char *key, const char *def);

/* Whether an action item with this Status cell ("" when empty) is closed
 * under the action-items rule r: its `closed` list, by default done and
 * cancelled.  Lint's overdue check and the index's `open` column both
 * ask here, so they cannot disagree. */
bool pm_rule_item_closed(const struct pm_rule *r, const char *status);

/* Runs the per-document rules the type switches on. */
void pm_rules_check_doc(struct pm_check *k);

/* Runs the corpus-wide rules (superseded-status) on the graph built from
 * sums (one per node, in the same order). */
int pm_rules_check_graph(const struct pm_graph *g, const struct pm_docsum *sums,
			 const struct pm_lint_ctx *ctx, struct pm_diags *out);

#endif
