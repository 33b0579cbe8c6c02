/* graphview.h - the relation graph as people look at it: nodes with their
 * titles and states, canonical edges, loaded from the index's links table
 * (which graph.c's resolution fills), narrowed to a neighbourhood.
 *
 * Edges are kept in their relation's forward direction (ADR-001 triggers
 * INC-001, whichever side declared it); `declared` says whether that
 * direction was written down or derived as an inverse.
 */
#ifndef PM_GRAPHVIEW_H
#define PM_GRAPHVIEW_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "error.h"
#include "schema.h"
#include "strmap.h"

struct pm_gnode {
	const char *id, *type, *title, *status, *severity, *date, *path;
	bool missing;		/* named by a ref, but no such document */
};

struct pm_gedge {
	size_t source, target;	/* node indexes */
	const struct pm_relation *rel;
	bool declared;		/* this direction was written down */
	const char *decl_path;	/* where it was first declared (docs-root relative) */
	uint32_t line, col;
};

struct pm_gview {
	struct pm_arena arena;
	const struct pm_schema *schema;
	struct pm_gnode *nodes;
	size_t nnodes, nodes_cap;
	struct pm_gedge *edges;
	size_t nedges, edges_cap;
	struct pm_strmap ids;	/* id -> node (the first path, for duplicates) */
	/* Adjacency in compressed rows: the edges leaving node i are
	 * out_list[out_start[i] .. out_start[i + 1]), entering ones in_list. */
	size_t *out_start, *out_list, *in_start, *in_list;
};

/* Loads every document and link of the index on db.  Release with
 * pm_gview_release(), also after a failure. */
int pm_gview_load(struct pm_gview *g, sqlite3 *db, const struct pm_schema *s,
		  struct pm_error *err);

/* Loads only the documents within depth links of ids (either direction)
 * and the links among them: what a drawing of their neighbourhood to depth
 * - 1 reads, in the order pm_gview_load() gives it, at a cost that grows
 * with the neighbourhood, not the index.  IDs that name no document are
 * simply not loaded. */
int pm_gview_load_near(struct pm_gview *g, sqlite3 *db, const struct pm_schema *s,
		       const char *const *ids, size_t nids, int depth, struct pm_error *err);

void pm_gview_release(struct pm_gview *g);

/* Each loop of an acyclic relation once, as PM406 findings at the closing
 * edge's declaration (path prefixed with prefix).  Returns 0 or
 * PM_ERR_NOMEM. */
int pm_gview_cycles(const struct pm_gview *g, const char *prefix, struct pm_diags *diags);

/* (Re)builds the adjacency arrays after nodes or edges were added by hand.
 * Returns 0 or -1 when out of memory. */
int pm_gview_adjacency(struct pm_gview *g);

/* The node with this ID, or -1. */
long pm_gview_find(const struct pm_gview *g, const char *id);

enum pm_gdir { PM_GDIR_DOWN = 1, PM_GDIR_UP = 2, PM_GDIR_BOTH = 3 };

struct pm_gfilter {
	const char *const *types;	/* node types kept (n == 0: all) */
	size_t ntypes;
	const char *const *relations;	/* relation names (either direction's
					 * name) kept (n == 0: all) */
	size_t nrelations;
};

/* True when the edge passes the relation filter and both ends the type
 * filter (the seeds of a neighbourhood always pass the type filter). */
bool pm_gview_edge_kept(const struct pm_gview *g, const struct pm_gedge *e,
			const struct pm_gfilter *f, const unsigned char *seed);

/* Marks (1 byte per node) what lies within depth steps of the seeds,
 * following edges down (source to target), up, or both.  depth < 0: no
 * limit.  The caller frees the array; NULL when out of memory. */
unsigned char *pm_gview_reach(const struct pm_gview *g, const size_t *seeds, size_t nseeds,
			      int depth, enum pm_gdir dir, const struct pm_gfilter *f);

#endif
