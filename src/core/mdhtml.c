/* mdhtml.c - Markdown to safe HTML with cmark-gfm. */
#include "mdhtml.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "doclimits.h"
#include "error.h"
#include "markdown.h"

int pm_markdown_to_html(struct pm_buf *out, const char *md, size_t len, pm_link_rewrite_fn fn,
			void *ctx)
{
	static const char *const exts[] = { "table", "autolink", "strikethrough", "tasklist" };
	/* No CMARK_OPT_UNSAFE: raw HTML and dangerous URLs stay out. */
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES;
	cmark_parser *p = cmark_parser_new(opts);
	if (!p)
		return PM_ERR_NOMEM;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(p, e);
	}
	/* The same bounds as lint's parse: a body lint refused parts of is
	 * rendered without those parts, in linear time. */
	struct pm_limits lim = PM_LIMITS_DEFAULT;
	char *copy;
	size_t use;
	if (pm_markdown_bound(md, len, &lim, &copy, &use)) {
		cmark_parser_free(p);
		return PM_ERR_NOMEM;
	}
	cmark_parser_feed(p, copy ? copy : md, use);
	free(copy);
	cmark_node *doc = cmark_parser_finish(p);
	if (!doc) {
		cmark_parser_free(p);
		return PM_ERR_NOMEM;
	}
	if (fn) {
		cmark_iter *it = cmark_iter_new(doc);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_LINK)
				continue;
			const char *url = cmark_node_get_url(n);
			const char *to = url ? fn(ctx, url) : NULL;
			if (to)
				cmark_node_set_url(n, to);
		}
		cmark_iter_free(it);
	}
	char *html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (!html)
		return PM_ERR_NOMEM;
	pm_buf_adds(out, html);
	free(html);
	return out->failed ? PM_ERR_NOMEM : 0;
}
