/* docsum.h - what the corpus-wide checks need of one document, once its
 * parse tree is gone.
 *
 * Lint checks each document on its own (validate.h) while it is parsed,
 * then frees it: only this summary stays, so memory grows with the number
 * of documents and refs, never with the bytes of their bodies.  The
 * corpus-wide checks (duplicate IDs, refs, relation types and cardinality,
 * loops, superseded status) read summaries alone, whether the documents
 * were streamed (pmtool lint) or kept whole (pm_lint_corpus).
 */
#ifndef PM_DOCSUM_H
#define PM_DOCSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "error.h"
#include "schema.h"
#include "value.h"

struct pm_docsum {
	const char *path;		/* normalized, as the walk named it */
	const char *id;			/* NULL: names no document (unreadable) */
	const char *type;		/* NULL: no string type field */
	uint32_t id_line, id_col;	/* of the id: field, else 1:1 */
	const struct pm_value *status;	/* status:, kept for the superseded-status
					 * rule only; else NULL */
	/* The frontmatter keys the graph reads (relations, fields of type
	 * ref or ref[]), in order.  Each value is a small copy: scalars keep
	 * kind, text and position; a list or map keeps only its kind and
	 * position below the top, which is all a ref check reports of it. */
	struct pm_pair *keys;
	size_t nkeys;
};

/* Summarizes doc into sum, copying what it keeps into a (which must
 * outlive sum).  Returns 0 or PM_ERR_NOMEM. */
int pm_docsum_make(struct pm_docsum *sum, const struct pm_doc *doc, const struct pm_schema *s,
		   struct pm_arena *a);

/* The key's pair in sum, or NULL. */
const struct pm_pair *pm_docsum_pair(const struct pm_docsum *sum, const char *key);

/* Reports a duplicated ID (PM203) at d, naming the first document's path;
 * corpus.c and the summary checks share it.  NULL when out of memory. */
struct pm_diag *pm_report_duplicate_id(struct pm_diags *diags, const char *path,
				       uint32_t line, uint32_t col, const char *id,
				       const char *first_path);

#endif
