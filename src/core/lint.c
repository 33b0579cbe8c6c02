/* lint.c - the whole lint: parse findings, per-document checks, then the
 * corpus-wide checks on the summaries of the documents.
 *
 * pm_lint_stream() parses and checks documents on a pool of threads and
 * keeps only their summaries (docsum.h); pm_lint_corpus() does the same
 * for a corpus already in memory.  Both end in lint_summaries(), so the
 * corpus-wide checks have one code path.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "graph.h"
#include "pool.h"
#include "rules.h"
#include "strmap.h"
#include "validate.h"

static int cmp_sum_path(const void *a, const void *b)
{
	return strcmp(((const struct pm_docsum *)a)->path, ((const struct pm_docsum *)b)->path);
}

/* Duplicate IDs (when asked: a corpus reported its own), refs, relation
 * types and cardinality, loops, superseded status.  sums must be sorted by
 * path. */
static int lint_summaries(const struct pm_docsum *sums, size_t n, const struct pm_lint_ctx *ctx,
			  bool duplicates, struct pm_diags *out, struct pm_error *err)
{
	if (duplicates) {
		struct pm_strmap ids;
		pm_strmap_init(&ids);
		int rc = 0;
		for (size_t i = 0; i < n && !rc; i++) {
			size_t first;
			if (!sums[i].id)
				continue;
			int put = pm_strmap_put(&ids, sums[i].id, i, &first);
			if (put < 0 || (put == 0 &&
					!pm_report_duplicate_id(out, sums[i].path, sums[i].id_line,
								sums[i].id_col, sums[i].id,
								sums[first].path)))
				rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		}
		pm_strmap_release(&ids);
		if (rc)
			return rc;
	}
	struct pm_graph g;
	int rc = pm_graph_build(&g, sums, n, ctx->schema, ctx->root, out, err);
	if (!rc && pm_graph_check_cycles(&g, out))
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	if (!rc && pm_rules_check_graph(&g, sums, ctx, out))
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	pm_graph_release(&g);
	return rc;
}

int pm_lint_corpus(const struct pm_corpus *c, const struct pm_lint_ctx *ctx,
		   struct pm_diags *out, struct pm_error *err)
{
	if (pm_corpus_collect_diags(c, out))
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	struct pm_arena a;
	pm_arena_init(&a);
	struct pm_docsum *sums = pm_arena_array(&a, c->ndocs ? c->ndocs : 1, sizeof(*sums));
	int rc = sums ? 0 : pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < c->ndocs && !rc; i++)
		if (pm_validate_doc(c->docs[i], ctx, out) ||
		    pm_docsum_make(&sums[i], c->docs[i], NULL, ctx->schema, &a))
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	/* The corpus is sorted by path and reported its duplicate IDs. */
	if (!rc)
		rc = lint_summaries(sums, c->ndocs, ctx, false, out, err);
	pm_arena_release(&a);
	pm_diags_sort(out);
	return rc;
}

/* ---- streaming --------------------------------------------------------- */

struct stream_worker {
	struct pm_arena arena;		/* summaries and findings; lives on */
	struct pm_diags diags;
	struct pm_error err;
};

struct stream {
	const struct pm_lint_input *in;
	const struct pm_parse_opts *popts;
	const struct pm_lint_ctx *ctx;
	struct pm_docsum *sums;		/* one slot per input */
	unsigned char *is_doc;		/* 1 when the slot holds a document */
	struct stream_worker *w;
};

static int stream_one(void *arg, size_t i, int worker)
{
	struct stream *s = arg;
	struct stream_worker *w = &s->w[worker];
	struct pm_doc *doc;
	int rc = pm_doc_load(&doc, s->in[i].path, s->popts, &w->err);
	if (rc)
		return rc;
	/* A walked README.md without frontmatter is no document. */
	if (!s->in[i].walked || pm_doc_is_document(doc, s->popts)) {
		s->is_doc[i] = 1;
		if (pm_diags_append(&w->diags, &doc->diags) ||
		    pm_validate_doc(doc, s->ctx, &w->diags) ||
		    pm_docsum_make(&s->sums[i], doc, s->in[i].path, s->ctx->schema, &w->arena))
			rc = pm_error_set(&w->err, PM_ERR_NOMEM, "out of memory");
	}
	pm_doc_free(doc);
	return rc;
}

void pm_lint_result_release(struct pm_lint_result *r)
{
	if (!r)
		return;
	for (int k = 0; k < r->nworkers; k++)
		pm_arena_release(&r->arenas[k]);
	free(r->arenas);
	free(r->sums);
	memset(r, 0, sizeof(*r));
}

int pm_lint_stream(const struct pm_lint_input *in, size_t n, const struct pm_parse_opts *popts,
		   const struct pm_lint_ctx *ctx, int jobs, struct pm_lint_result *res,
		   struct pm_diags *out, struct pm_error *err)
{
	memset(res, 0, sizeof(*res));
	if (jobs < 1)
		jobs = 1;
	if (jobs > 64)
		jobs = 64;
	struct stream s = { .in = in, .popts = popts, .ctx = ctx };
	s.sums = calloc(n ? n : 1, sizeof(*s.sums));
	s.is_doc = calloc(n ? n : 1, 1);
	s.w = calloc((size_t)jobs, sizeof(*s.w));
	res->arenas = calloc((size_t)jobs, sizeof(*res->arenas));
	if (!s.sums || !s.is_doc || !s.w || !res->arenas) {
		free(s.sums);
		free(s.is_doc);
		free(s.w);
		free(res->arenas);
		res->arenas = NULL;
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	res->nworkers = jobs;
	for (int k = 0; k < jobs; k++) {
		pm_arena_init(&s.w[k].arena);
		pm_diags_init(&s.w[k].diags, &s.w[k].arena);
	}
	int rc = pm_pool_run(jobs, n, stream_one, &s);

	for (int k = 0; k < jobs; k++) {
		if (rc && s.w[k].err.code && !err->code)
			*err = s.w[k].err;
		if (!rc && pm_diags_append(out, &s.w[k].diags))
			rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		/* The summaries' strings live in the workers' arenas. */
		res->arenas[k] = s.w[k].arena;
	}
	free(s.w);
	if (rc && !err->code)
		pm_error_set(err, rc, "out of memory");
	/* Keep the documents, in path order: output does not depend on which
	 * thread read what. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (s.is_doc[i])
			s.sums[m++] = s.sums[i];
	free(s.is_doc);
	res->sums = s.sums;
	res->n = m;
	if (!rc) {
		qsort(res->sums, m, sizeof(*res->sums), cmp_sum_path);
		rc = lint_summaries(res->sums, m, ctx, true, out, err);
	}
	pm_diags_sort(out);
	return rc;
}
