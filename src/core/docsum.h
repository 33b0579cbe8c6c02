/* docsum.h - what the corpus-wide checks need of one document, once its
 * parse tree is gone, in as few bytes as will do.
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

/* One scalar of a ref key as written (or the shell of a list or map inside
 * a list: its kind and place are all a ref check reports of it). */
struct pm_sumval {
	const char *raw;		/* scalars' text, in the summary's arena */
	uint32_t raw_len, line, col;
	uint8_t kind;			/* enum pm_value_kind */
	uint8_t style;			/* enum pm_scalar_style */
};

/* A frontmatter key the graph reads (a relation, or a field of type ref
 * or ref[]): a list of values, or one value (top_kind not a list). */
struct pm_sumkey {
	const char *key;		/* the schema's own string */
	uint32_t line, col;		/* of the key */
	uint32_t vline, vcol;		/* of the value */
	uint8_t top_kind;		/* PM_VAL_SEQ, else items[0] is the value */
	uint32_t n;
	struct pm_sumval *items;
};

struct pm_docsum {
	const char *path;		/* normalized, as the walk named it */
	const char *id;			/* NULL: names no document (unreadable) */
	const char *type;		/* NULL: no string type field */
	uint32_t id_line, id_col;	/* of the id: field, else 1:1 */
	const struct pm_sumval *status;	/* status:, kept for the superseded-status
					 * rule only; else NULL */
	struct pm_sumkey *keys;		/* in frontmatter order */
	size_t nkeys;
};

/* Summarizes doc into sum, copying what it keeps into a (which must
 * outlive sum).  path, when not NULL, is used instead of a copy of
 * doc->path (it must live as long).  Returns 0 or PM_ERR_NOMEM. */
int pm_docsum_make(struct pm_docsum *sum, const struct pm_doc *doc, const char *path,
		   const struct pm_schema *s, struct pm_arena *a);

/* True when sum keeps key (a relation or ref field present in its
 * frontmatter, even if empty). */
bool pm_docsum_has(const struct pm_docsum *sum, const char *key);

/* The key as a frontmatter pair again, for pm_graph_declare(): its values
 * are written into vals (n + 1 of them, the caller's); the strings are the
 * summary's. */
struct pm_pair pm_docsum_pair(const struct pm_sumkey *k, struct pm_value *vals,
			      struct pm_value **items);

/* Reports a duplicated ID (PM203) at d, naming the first document's path;
 * corpus.c and the summary checks share it.  NULL when out of memory. */
struct pm_diag *pm_report_duplicate_id(struct pm_diags *diags, const char *path,
				       uint32_t line, uint32_t col, const char *id,
				       const char *first_path);

#endif
