/* doc.h - one parsed document: its source, frontmatter, body and identity.
 *
 * A document owns one arena; everything reachable from struct pm_doc lives
 * in it and pm_doc_free() releases it in one call.  Parsing touches no global
 * state (beyond cmark-gfm's extension registry, set up once in main), so
 * documents can be parsed on several threads at once.
 */
#ifndef PM_DOC_H
#define PM_DOC_H

#include <stdbool.h>

#include "arena.h"
#include "diag.h"
#include "error.h"
#include "frontmatter.h"
#include "doclimits.h"
#include "markdown.h"
#include "source.h"
#include "value.h"

struct pm_parse_opts {
	struct pm_limits limits;
	struct pm_markdown_opts markdown;
};

/* Fills opts with the default limits and the ID prefixes ADR, INC, OPP and
 * GOV. */
void pm_parse_opts_default(struct pm_parse_opts *opts);

struct pm_doc {
	struct pm_arena arena;
	const char *path;	/* as the user named it */
	struct pm_source src;
	struct pm_frontmatter fm;	/* fm.root is NULL when it did not load */
	struct pm_body body;
	const char *id;		/* `id:` field, else the upper-cased file name */
	bool id_from_field;
	const char *type;	/* `type:` field when it is a string, else NULL */
	bool parsed;		/* frontmatter and body both loaded */
	struct pm_diags diags;	/* parse findings, in the document's arena */
};

/* Reads and parses the file at path.  Findings in the document (including
 * "cannot read") go to (*out)->diags and still give 0: the caller decides
 * what a broken document means.  Returns PM_ERR_NOMEM only when memory
 * runs out.  The caller frees *out with pm_doc_free(). */
int pm_doc_load(struct pm_doc **out, const char *path,
		const struct pm_parse_opts *opts, struct pm_error *err);

/* The same, from len bytes of memory named path (tests, fuzzers, stdin). */
int pm_doc_parse_memory(struct pm_doc **out, const char *path, const char *data,
			size_t len, const struct pm_parse_opts *opts,
			struct pm_error *err);

/* A walked file is a document when it opens with frontmatter or its name
 * is a document ID of a known prefix (inc-004.md): a README.md beside the
 * documents is not one, and a walk skips it rather than reporting it. */
bool pm_doc_is_document(const struct pm_doc *doc, const struct pm_parse_opts *opts);

/* Frees the document and everything in its arena.  Accepts NULL. */
void pm_doc_free(struct pm_doc *doc);

/* The frontmatter value under key, or NULL. */
const struct pm_value *pm_doc_field(const struct pm_doc *doc, const char *key);

/* The ID a file name implies: "dir/inc-001.md" -> "INC-001", written into
 * the arena. */
char *pm_doc_id_from_path(struct pm_arena *a, const char *path);

#endif
