/* mdhtml.h - a document body as safe HTML, for report pages.
 *
 * cmark-gfm renders it with the table, autolink, strikethrough and tasklist
 * extensions in its safe mode: raw HTML is left out.  A link keeps its URL
 * only when it is http:, https:, mailto: or relative (an image: http:,
 * https: or relative); any other is emptied.  Links to
 * other documents (./adr-001.md) are pointed at their pages by a callback.
 * The Markdown is first bounded as lint's parse is (pm_markdown_bound(), with
 * the default limits): what lint leaves out is not rendered.
 */
#ifndef PM_MDHTML_H
#define PM_MDHTML_H

#include "buf.h"

/* Maps a link target to the URL to write instead, or NULL to keep it. */
typedef const char *(*pm_link_rewrite_fn)(void *ctx, const char *url);

/* Appends the HTML of len bytes of Markdown to out.  Returns 0 or
 * PM_ERR_NOMEM. */
int pm_markdown_to_html(struct pm_buf *out, const char *md, size_t len, pm_link_rewrite_fn fn,
			void *ctx);

#endif
