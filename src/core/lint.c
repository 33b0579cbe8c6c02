/* lint.c - the whole lint: parse findings, per-document checks, then the
 * corpus-wide checks on the relation graph. */
#include "codes.h"
#include "graph.h"
#include "rules.h"
#include "validate.h"

int pm_lint_corpus(const struct pm_corpus *c, const struct pm_lint_ctx *ctx,
		   struct pm_diags *out, struct pm_error *err)
{
	if (pm_corpus_collect_diags(c, out))
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < c->ndocs; i++)
		if (pm_validate_doc(c->docs[i], ctx, out))
			return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	struct pm_graph g;
	int rc = pm_graph_build(&g, c, ctx->schema, ctx->root, out, err);
	if (!rc && pm_graph_check_cycles(&g, out))
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	if (!rc && pm_rules_check_graph(&g, ctx, out))
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	pm_graph_release(&g);
	pm_diags_sort(out);
	return rc;
}
