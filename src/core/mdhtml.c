/* mdhtml.c - Markdown to safe HTML with cmark-gfm. */
#include "mdhtml.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include "doclimits.h"
#include "error.h"
#include "markdown.h"

/* True when a link (or, with image, a picture) may point at url: http:,
 * https:, mailto: (links only) or no scheme at all (a relative URL, a
 * fragment).  cmark-gfm's safe mode only empties javascript:, vbscript:,
 * file: and data:; anything else (ms-msdt:, a custom handler) would stay.
 * The scheme is read as a browser would: after leading blanks and control
 * characters, with tabs and line ends inside removed. */
static bool url_allowed(const char *url, bool image)
{
	char scheme[16];
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)url;
	while (*p && *p <= 0x20)
		p++;
	for (; *p; p++) {
		if (*p == '\t' || *p == '\n' || *p == '\r')
			continue;
		if (*p == ':')
			break;
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (n > 0 && ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.'));
		if (!ok || n + 1 >= sizeof(scheme))
			return !ok || n == 0 ? true : false;
		scheme[n++] = (char)(*p | 0x20);
	}
	if (!*p)
		return true;	/* no ':' at all: relative */
	scheme[n] = '\0';
	return !strcmp(scheme, "http") || !strcmp(scheme, "https") ||
	       (!image && !strcmp(scheme, "mailto"));
}

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
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER || (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE))
			continue;
		const char *url = cmark_node_get_url(n);
		if (url && !url_allowed(url, type == CMARK_NODE_IMAGE)) {
			cmark_node_set_url(n, "");
			continue;
		}
		const char *to = url && fn && type == CMARK_NODE_LINK ? fn(ctx, url) : NULL;
		if (to)
			cmark_node_set_url(n, to);
	}
	cmark_iter_free(it);
	char *html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (!html)
		return PM_ERR_NOMEM;
	pm_buf_adds(out, html);
	free(html);
	return out->failed ? PM_ERR_NOMEM : 0;
}
