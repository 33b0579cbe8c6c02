/* validate.h - checking documents against the schema.
 *
 * pm_validate_doc() runs every check that needs only one document (fields,
 * identity, sections, tables, the incident and policy rules) and touches
 * nothing shared, so documents can be checked on several threads.
 * pm_lint_corpus() runs those for every document and then the corpus-wide
 * checks (refs, cycles, superseded status) on the relation graph.
 */
#ifndef PM_VALIDATE_H
#define PM_VALIDATE_H

#include <stdint.h>

#include "corpus.h"
#include "diag.h"
#include "doc.h"
#include "error.h"
#include "schema.h"
#include "users.h"

struct pm_lint_ctx {
	const struct pm_schema *schema;
	const struct pm_users *users;	/* NULL: only the @handle form is checked */
	int32_t today;			/* days since the epoch, for overdue checks */
	const char *root;		/* docs root: relation paths stay inside it */
};

/* Appends the findings of one parsed document to out (allocated in out's
 * arena).  Returns 0 or PM_ERR_NOMEM. */
int pm_validate_doc(const struct pm_doc *doc, const struct pm_lint_ctx *ctx,
		    struct pm_diags *out);

/* Every finding of the corpus: parse findings, the walk's, each document's
 * checks and the corpus-wide checks, sorted.  Returns 0 or a negative
 * pm_err with err set. */
int pm_lint_corpus(const struct pm_corpus *c, const struct pm_lint_ctx *ctx,
		   struct pm_diags *out, struct pm_error *err);

#endif
