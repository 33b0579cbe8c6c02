/* graph.h - the relation graph: every declared relation as an edge, each
 * inverse derived, refs resolved.
 *
 * Edges are kept in the relation's canonical direction: INC-001's
 * `caused_by: ADR-001` is the edge ADR-001 -triggers-> INC-001, declared on
 * its target's side.  A relation declared on both sides is one edge with
 * both flags set.  One code path serves lint (unresolved refs, cycles), the
 * index (links) and `pmtool graph`.
 */
#ifndef PM_GRAPH_H
#define PM_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "docsum.h"
#include "diag.h"
#include "error.h"
#include "schema.h"
#include "strmap.h"

/* Node indexes in an edge are 32-bit (a graph holds fewer than 2^32 - 2
 * documents; pm_graph_begin refuses more): at 100,000 documents the edges
 * are the largest table lint keeps, and this keeps each at 48 bytes. */
#define PM_NODE_MISSING ((uint32_t)-1)

struct pm_edge {
	const struct pm_relation *rel;
	const char *ref;		/* the ref as written, kept (in the graph's
					 * arena) for a missing target; else NULL */
	uint32_t source, target;	/* node indexes; target may be
					 * PM_NODE_MISSING */
	uint32_t declared_in;		/* document of the first declaration */
	uint32_t line, col;		/* position of that declaration's value */
	uint32_t second_in;		/* declared on both sides: the second one */
	uint32_t second_line, second_col;
	bool declared_forward;		/* declared by the source under rel->name */
	bool declared_inverse;		/* declared by the target (inverse name,
					 * or the symmetric name) */
	bool via_inverse;		/* declared first under the inverse name */
};

/* A document as the graph sees it. */
struct pm_graph_node {
	const char *id;		/* NULL: names nothing (an unreadable file) */
	const char *path;	/* relation paths resolve from its folder */
	const char *type;
};

struct pm_graph {
	struct pm_arena arena;
	struct pm_arena nodes_arena;	/* the node table, when the graph made it */
	const struct pm_schema *schema;
	const struct pm_graph_node *nodes;
	size_t nnodes;
	const char *root;
	uint32_t *by_id;		/* nodes with an ID, by (ID, index): binary
					 * search, a tenth of a map's memory */
	size_t nby_id;
	struct pm_strmap paths;		/* -> node, built on first use (unsorted) */
	bool paths_built;		/* paths_sorted known, or the paths map built */
	bool paths_sorted;		/* nodes in strcmp order of path: binary search */
	struct pm_edge *edges;		/* in declaration order (docs by path);
					 * malloc'd */
	size_t nedges, cap;
	struct pm_strmap seen;		/* unresolved edge key -> index, for merging */
	uint64_t *pair_keys;		/* resolved edges: (relation, ends) -> index */
	uint32_t *pair_vals;
	bool sealed;			/* pm_graph_seal(): no more declarations */
	size_t npairs, pairs_cap;
};

/* Starts a graph over nodes (borrowed; in path order, so a duplicated ID
 * names its first path).  Then pm_graph_declare() each frontmatter key.
 * Release with pm_graph_release(), also after a failure. */
int pm_graph_begin(struct pm_graph *g, const struct pm_schema *s, const char *root,
		   const struct pm_graph_node *nodes, size_t n, struct pm_error *err);

/* Declares one frontmatter key of node: a relation becomes edges, a field
 * of type ref is resolved; ref problems go to diags.  Returns 0 or
 * PM_ERR_NOMEM. */
int pm_graph_declare(struct pm_graph *g, size_t node, const struct pm_pair *pair,
		     struct pm_diags *diags);

/* Ends the declarations: frees the tables that merge an edge declared on
 * both sides (a third of the graph's memory) and trims the edge array.
 * pm_graph_build() does it; after it pm_graph_declare() fails
 * (PM_ERR_INVALID). */
void pm_graph_seal(struct pm_graph *g);

/* The node whose ID is id (the first in node order when two share it). */
bool pm_graph_find_id(const struct pm_graph *g, const char *id, size_t *node);

/* The node at path (normalized, as the nodes name it); false when none
 * (or when memory ran out building the table). */
bool pm_graph_find_path(struct pm_graph *g, const char *path, size_t *node);

/* Builds the graph of n document summaries (in path order) under schema
 * s.  Relation paths resolve from the referring file's folder and must
 * stay inside root.  Ref problems (PM401-PM405, PM408, PM409) go to diags.
 * The graph borrows sums.  Release with pm_graph_release(), also after a
 * failure. */
int pm_graph_build(struct pm_graph *g, const struct pm_docsum *sums, size_t n,
		   const struct pm_schema *s, const char *root, struct pm_diags *diags,
		   struct pm_error *err);

/* Reports each loop of an acyclic relation once, with the whole loop
 * (PM406). */
int pm_graph_check_cycles(const struct pm_graph *g, struct pm_diags *diags);

/* Frees the edges.  Accepts a graph never built. */
void pm_graph_release(struct pm_graph *g);

/* One byte per document: 1 when it is the target of an edge of relation rel
 * (the source, with as_source).  The caller frees the array; NULL when out
 * of memory. */
unsigned char *pm_graph_mark_ends(const struct pm_graph *g, const struct pm_relation *rel,
				  bool as_source);

#endif
