/* graphdraw.h - drawing a graph view: a tree of box-drawing characters,
 * Graphviz DOT, Mermaid and JSON.  Each writes into a pm_buf; labels from
 * documents are escaped for their target so no title can break out of its
 * quotes or add a directive.
 */
#ifndef PM_GRAPHDRAW_H
#define PM_GRAPHDRAW_H

#include <stdbool.h>

#include "buf.h"
#include "graphview.h"

struct pm_gdraw_opts {
	const unsigned char *keep;	/* nodes drawn (NULL: all) */
	const struct pm_gfilter *filter;
	enum pm_gdir dir;		/* tree: which edges to follow */
	int depth;			/* tree: levels below a root (< 0: no limit) */
	bool cluster_by_type;		/* dot: one cluster per type */
};

/* The tree under each root; with no roots, every node without a kept
 * incoming edge (and then whatever a cycle left out).  A node met a second
 * time is printed as "ID (see above)", a loop as "ID (cycle)". */
void pm_gdraw_tree(struct pm_buf *out, const struct pm_gview *g, const size_t *roots,
		   size_t nroots, const struct pm_gdraw_opts *o);

/* `ID title [status, severity]`, or `ID (missing)`. */
void pm_gdraw_label(struct pm_buf *out, const struct pm_gnode *n);

void pm_gdraw_dot(struct pm_buf *out, const struct pm_gview *g, const struct pm_gdraw_opts *o);
void pm_gdraw_mermaid(struct pm_buf *out, const struct pm_gview *g,
		      const struct pm_gdraw_opts *o);
/* {"nodes": [...], "edges": [{"source","target","relation","declared"}]}.
 * Returns 0 or PM_ERR_NOMEM. */
int pm_gdraw_json(struct pm_buf *out, const struct pm_gview *g, const struct pm_gdraw_opts *o);

/* Escapers, exposed for tests and for report pages. */
void pm_dot_escape(struct pm_buf *out, const char *s);
void pm_mermaid_escape(struct pm_buf *out, const char *s);

#endif
