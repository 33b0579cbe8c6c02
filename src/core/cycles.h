/* cycles.h - finding the loops of a directed graph, each reported once.
 *
 * Used by lint (graph.c, on the documents) and by `pmtool graph --check`
 * (graphview.c, on the index), so both find the same loops the same way.
 */
#ifndef PM_CYCLES_H
#define PM_CYCLES_H

#include <stddef.h>

/* Called once per distinct loop found: nodes[0..len) in order, starting at
 * its smallest node, and the edge that closed it (an index into the
 * caller's edge arrays).  The search finds one loop per back edge of a
 * depth-first walk: every graph with a loop yields at least one, but not
 * every loop of a tangle is listed.  A non-zero return stops the search and
 * is returned. */
typedef int (*pm_cycle_fn)(void *ctx, const size_t *nodes, size_t len, size_t closing_edge);

/* Walks the m edges src[k] -> dst[k] over n nodes (an iterative depth-first
 * search: a long chain cannot overflow the C stack).  Returns 0, the
 * callback's value, or -1 when out of memory. */
int pm_find_cycles(size_t n, size_t m, const size_t *src, const size_t *dst, pm_cycle_fn fn,
		   void *ctx);

#endif
