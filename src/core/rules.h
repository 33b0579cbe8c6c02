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

/* Runs the per-document rules the type switches on. */
void pm_rules_check_doc(struct pm_check *k);

/* Runs the corpus-wide rules (superseded-status) on the graph. */
int pm_rules_check_graph(const struct pm_graph *g, const struct pm_lint_ctx *ctx,
			 struct pm_diags *out);

#endif
