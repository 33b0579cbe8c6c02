/* pool.h - running one function over n items on a few threads.
 *
 * Workers take the next item from a shared counter, so a slow document
 * does not hold the others up.  The function must touch only the item's
 * own slot and its worker's own state; pm_pool_run() returns when every
 * item is done.
 */
#ifndef PM_POOL_H
#define PM_POOL_H

#include <stddef.h>

/* Calls fn(ctx, i, worker) for every i in [0, n), worker in [0, jobs);
 * jobs <= 1 runs everything on the calling thread.  fn returns 0, or
 * non-zero to stop handing out items (the first such value is returned).
 * Returns PM_ERR_NOMEM when no thread could be started at all. */
int pm_pool_run(int jobs, size_t n, int (*fn)(void *ctx, size_t i, int worker), void *ctx);

/* The number of worker threads to use by default: the online CPUs, at
 * least 1, at most 64. */
int pm_pool_default_jobs(void);

#endif
