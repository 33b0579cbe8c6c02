/* corpus.h - every document under one or more paths, and the ID table.
 *
 * The walk skips dot-folders and files not named *.md, never follows a
 * symbolic link out of the folder being walked, ends symlink loops, skips
 * FIFOs, devices and sockets without opening them, and reports unreadable
 * files and folders as findings and goes on.  A walked file with no
 * frontmatter whose name is not a document ID (README.md) is not a
 * document and is skipped; a file named explicitly is always read.  Paths are normalized
 * lexically ("./a//b.md" is "a/b.md").  Documents are kept in path order, so
 * every output is deterministic.
 */
#ifndef PM_CORPUS_H
#define PM_CORPUS_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "doc.h"
#include "error.h"
#include "strmap.h"

struct pm_corpus {
	struct pm_arena arena;		/* walk findings and table strings */
	struct pm_doc **docs;		/* heap array; each doc owns its arena */
	size_t ndocs, cap;
	struct pm_diags diags;		/* findings of the walk and the ID table */
	struct pm_strmap ids;		/* ID -> index in docs */
	struct pm_strmap paths;		/* normalized path -> index in docs */
};

/* Prepares an empty corpus.  Release it with pm_corpus_release(). */
void pm_corpus_init(struct pm_corpus *c);

/* Frees every document, the table and the findings.  Accepts a corpus
 * never used. */
void pm_corpus_release(struct pm_corpus *c);

/* Adds path: a file is loaded whatever its name; a folder is walked.
 * Problems with files are findings in c->diags or in each document's own
 * list; the return is 0, or a negative pm_err when memory runs out. */
int pm_corpus_add_path(struct pm_corpus *c, const char *path,
		       const struct pm_parse_opts *opts, struct pm_error *err);

/* Sorts the documents by path, builds the ID table and reports duplicate
 * IDs (naming both files).  Call once after the last add. */
int pm_corpus_finish(struct pm_corpus *c, struct pm_error *err);

/* The document with this ID (the first one, when duplicated), or NULL. */
struct pm_doc *pm_corpus_find(const struct pm_corpus *c, const char *id);

/* The document at this normalized path (see path.h), or NULL. */
struct pm_doc *pm_corpus_find_path(const struct pm_corpus *c, const char *path);

/* Index of doc in c->docs (docs are sorted by path after finish). */
size_t pm_corpus_index(const struct pm_corpus *c, const struct pm_doc *doc);

/* Findings of the walk plus every document's own, in one sorted list
 * allocated in `into`'s arena. */
int pm_corpus_collect_diags(const struct pm_corpus *c, struct pm_diags *into);

#endif
