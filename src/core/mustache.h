/* mustache.h - Mustache templates over the struct pm_value tree.
 *
 * The whole of the official specification except lambdas and dynamic names:
 * escaped and raw variables, dotted names, the implicit iterator, sections
 * and inverted sections, comments, partials with standalone indentation, set
 * delimiters, the standalone-line rules, and template inheritance (parents
 * and blocks, with block re-indentation).
 *
 * A template is compiled once and rendered any number of times, from any
 * number of threads at once: nothing here is global, and a render keeps all
 * its state (the context stack, the partials it compiled) to itself.
 *
 * Values print as follows: null and a missing name as nothing; strings as
 * they are; booleans, integers and floats as YAML wrote them when the value
 * carries its source text (pm_value raw), else integers in decimal, floats
 * with "%.15g" and booleans as true/false; sequences and mappings as nothing.
 * A section skips null, false, an empty string and an empty sequence;
 * iterates over any other sequence; and pushes any other value (a mapping, a
 * non-empty string, a number, true) onto the context stack.
 *
 * Everything a template author controls has a limit: partial and parent
 * nesting, section nesting (in one template and over a whole render), the
 * size of the output and the work a render does.
 */
#ifndef PM_MUSTACHE_H
#define PM_MUSTACHE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "value.h"

/* Partials and parents nested deeper than this stop the render with
 * PM_ERR_LIMIT (so a partial that includes itself ends). */
#define PM_MUSTACHE_MAX_PARTIAL_DEPTH 64
/* Sections, inverted sections, parents and blocks nested deeper than this
 * in one template fail to compile, and sections nested deeper than this
 * over a whole render (through partials) stop it; both PM_ERR_LIMIT. */
#define PM_MUSTACHE_MAX_SECTION_DEPTH 256
/* A render that would write more bytes than this stops with PM_ERR_LIMIT. */
#ifndef PM_MUSTACHE_MAX_OUTPUT
#define PM_MUSTACHE_MAX_OUTPUT ((size_t)64 << 20)
#endif
/* A render that takes more steps than this stops with PM_ERR_LIMIT: a step
 * is a node of the template visited, or a key compared while a name is
 * looked up.  The output limit alone bounds nothing when loops over loops
 * print little or nothing (four items nested twelve deep are 16 million
 * passes); this one bounds the time. */
#ifndef PM_MUSTACHE_MAX_STEPS
#define PM_MUSTACHE_MAX_STEPS ((size_t)64 << 20)
#endif

/* A compiled template; opaque. */
struct pm_mustache;

/* Where partials and parents come from. */
struct pm_mustache_partials {
	/* Returns the source of partial or parent `name` (*len bytes) or NULL
	 * when it is unknown (the spec renders an unknown partial as nothing).
	 * The text stays owned by the callee and must stay valid until the
	 * render returns.  Called at most once per name and render: a render
	 * compiles each partial on first use and keeps it until it returns. */
	const char *(*load)(void *ctx, const char *name, size_t *len);
	void *ctx;
};

/* Compiles len bytes of src (copied; src may be freed afterwards).  name is
 * used in messages and copied too.  Returns 0 with *out set (the caller
 * frees it with pm_mustache_free()), PM_ERR_INVALID for a syntax error (an
 * unclosed tag or section, a close tag that does not match, bad delimiters,
 * an empty or malformed tag name) with "name:line:col: message" in err,
 * PM_ERR_LIMIT for sections nested too deeply, PM_ERR_NOMEM.  Lines and
 * columns are 1-based, columns counted in code points. */
int pm_mustache_compile(struct pm_mustache **out, const char *name,
			const char *src, size_t len, struct pm_error *err);

/* Renders t against data (NULL renders against nothing) and appends the
 * text to out (owned by the caller).  partials may be NULL (every partial
 * is then unknown).  Returns 0; PM_ERR_INVALID when a partial fails to
 * compile (err names it, with its line and column); PM_ERR_LIMIT when a
 * limit above is reached (err names the partial, for nesting);
 * PM_ERR_NOMEM.  On failure out is cut back to the length it had. */
int pm_mustache_render(const struct pm_mustache *t, const struct pm_value *data,
		       const struct pm_mustache_partials *partials,
		       struct pm_buf *out, struct pm_error *err);

/* Frees a compiled template; accepts NULL. */
void pm_mustache_free(struct pm_mustache *t);

/* The name the template was compiled with; owned by t. */
const char *pm_mustache_name(const struct pm_mustache *t);

/* Appends len bytes of s to out HTML-escaped as {{x}} does it: & < > " and
 * ' become &amp; &lt; &gt; &quot; &#39;.  For callers that build HTML
 * themselves. */
void pm_html_escape(struct pm_buf *out, const char *s, size_t len);

#endif
