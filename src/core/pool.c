/* pool.c - a counter and a few threads: the simplest pool that keeps every
 * core busy on independent documents. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "error.h"

struct pool {
	int (*fn)(void *ctx, size_t i, int worker);
	void *ctx;
	size_t n;
	atomic_size_t next;
	atomic_int failed;	/* the first non-zero return, else 0 */
};

struct worker {
	struct pool *p;
	int id;
};

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	for (;;) {
		if (atomic_load_explicit(&p->failed, memory_order_relaxed))
			break;
		size_t i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed);
		if (i >= p->n)
			break;
		int rc = p->fn(p->ctx, i, w->id);
		if (rc) {
			int zero = 0;
			atomic_compare_exchange_strong(&p->failed, &zero, rc);
		}
	}
	return NULL;
}

int pm_pool_run(int jobs, size_t n, int (*fn)(void *ctx, size_t i, int worker), void *ctx)
{
	struct pool p = { .fn = fn, .ctx = ctx, .n = n };
	atomic_init(&p.next, 0);
	atomic_init(&p.failed, 0);
	if (jobs > 64)
		jobs = 64;
	if ((size_t)jobs > n)
		jobs = (int)n;
	if (jobs <= 1) {
		struct worker w = { &p, 0 };
		work(&w);
		return atomic_load(&p.failed);
	}
	pthread_t threads[64];
	struct worker ws[64];
	int started = 0;
	/* Worker 0 is this thread; the others are started. */
	for (int k = 1; k < jobs; k++) {
		ws[k] = (struct worker){ &p, k };
		if (pthread_create(&threads[k], NULL, work, &ws[k]) != 0)
			break;
		started = k;
	}
	ws[0] = (struct worker){ &p, 0 };
	work(&ws[0]);
	for (int k = 1; k <= started; k++)
		pthread_join(threads[k], NULL);
	return atomic_load(&p.failed);
}

int pm_pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}
