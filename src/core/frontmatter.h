/* frontmatter.h - find the YAML block at the top of a document and load it.
 *
 * The block opens with a "---" line at the very start of the file (after an
 * optional UTF-8 BOM) and closes with a "---" or "..." line; trailing blanks
 * on those lines are allowed, CRLF line ends too.  The loader reads it with
 * libyaml's event API into a struct pm_value tree, resolving plain scalars
 * by the YAML 1.2 core schema (see docs/pmtool.1.scd, FRONTMATTER).
 */
#ifndef PM_FRONTMATTER_H
#define PM_FRONTMATTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "doclimits.h"
#include "source.h"
#include "value.h"

struct pm_frontmatter {
	bool present;		/* the file opens with a --- line */
	bool closed;		/* ... and the block is closed */
	uint32_t open_line;	/* line of the opening --- (1) */
	uint32_t close_line;	/* line of the closing --- or ... */
	size_t yaml_start;	/* byte offsets of the YAML text */
	size_t yaml_end;
	size_t body_start;	/* byte offset where the Markdown body starts */
	uint32_t body_line;	/* its 1-based line */
	struct pm_value *root;	/* NULL until loaded, or when loading failed */
};

/* Locates the block in src; never fails.  A file with no block, or with an
 * unclosed one, gets present/closed false and a body starting at the top. */
void pm_frontmatter_split(const struct pm_source *src, struct pm_frontmatter *fm);

/* Loads the YAML of a split block into fm->root (allocated in a).  An empty
 * block gives an empty mapping.  Problems in the document (syntax, limits,
 * duplicate keys, a root that is not a mapping) are appended to diags and
 * give PM_ERR_INVALID; PM_ERR_NOMEM when memory runs out. */
int pm_frontmatter_load(struct pm_frontmatter *fm, const struct pm_source *src,
			struct pm_arena *a, const struct pm_limits *lim,
			struct pm_diags *diags);

/* Loads a whole YAML file (schema files, users.yaml) with the same rules
 * and limits as frontmatter; *out is NULL for an empty file.  Problems go to
 * diags with PM_ERR_INVALID. */
int pm_yaml_load(struct pm_value **out, const struct pm_source *src,
		 struct pm_arena *a, const struct pm_limits *lim,
		 struct pm_diags *diags);

#endif
