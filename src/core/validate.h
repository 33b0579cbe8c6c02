/* validate.h - checking documents against the schema.
 *
 * pm_validate_doc() runs every check that needs only one document (fields,
 * identity, sections, tables, the incident and policy rules) and touches
 * nothing shared, so documents can be checked on several threads.
 * pm_lint_corpus() runs those for every document and then the corpus-wide
 * checks (refs, cycles, superseded status) on the relation graph;
 * pm_lint_stream() does the same while reading the files, on threads.
 */
#ifndef PM_VALIDATE_H
#define PM_VALIDATE_H

#include <stdint.h>

#include "corpus.h"
#include "diag.h"
#include "doc.h"
#include "docsum.h"
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

/* A file for pm_lint_stream(): a walked one that is no document (a
 * README.md without frontmatter) is passed over; a named one is always
 * read. */
struct pm_lint_input {
	const char *path;
	bool walked;
};

/* What pm_lint_stream() keeps: the documents' summaries in path order. */
struct pm_lint_result {
	struct pm_docsum *sums;
	size_t n;
	struct pm_arena *arenas;	/* one per worker: the summaries' strings */
	int nworkers;
};

/* Parses and checks each input on jobs threads (pool.h), keeping only its
 * findings and summary, then runs the corpus-wide checks; appends every
 * finding to out, sorted, whatever jobs is.  Memory grows with the number
 * of documents and refs, not with their size.  Release res with
 * pm_lint_result_release(), also after a failure.  Returns 0 or a negative
 * pm_err with err set. */
int pm_lint_stream(const struct pm_lint_input *in, size_t n, const struct pm_parse_opts *popts,
		   const struct pm_lint_ctx *ctx, int jobs, struct pm_lint_result *res,
		   struct pm_diags *out, struct pm_error *err);

void pm_lint_result_release(struct pm_lint_result *r);

#endif
