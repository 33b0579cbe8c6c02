/* json.h - the document model as JSON (jansson), for `show` and scripts.
 *
 * jansson does the escaping and the encoding: hand-written JSON output is a
 * classic source of invalid output, and the Debian package is well kept.
 * Every function returns a new reference the caller releases with
 * json_decref(), or NULL when memory runs out.
 */
#ifndef PM_JSON_H
#define PM_JSON_H

#include <jansson.h>
#include <stdio.h>

#include "diag.h"
#include "doc.h"
#include "value.h"

/* A JSON string of len bytes; invalid UTF-8 bytes (file names can hold
 * them) become U+FFFD, so the result is always valid JSON. */
json_t *pm_json_string(const char *s, size_t len);

/* json_dumps(), with "</" written "<\/" and U+2028, U+2029 as \u escapes,
 * so the text can sit inside an HTML <script>.  The caller frees it. */
char *pm_json_dumps(const json_t *j, size_t flags);
/* The same text written to f as it is made; 0, or -1 on a write error. */
int pm_json_dumpf(const json_t *j, FILE *f, size_t flags);

/* The plain JSON value of a YAML value (string, number, list, object). */
json_t *pm_json_plain(const struct pm_value *v);

/* The typed value with positions: {"type", "line", "column", "value" |
 * "items" | "fields"}. */
json_t *pm_json_typed(const struct pm_value *v);

/* One section (with its subsections nested under "sections"). */
json_t *pm_json_section(const struct pm_doc *doc, size_t index);

/* One table: {"section", "line", "end_line", "columns", "rows", "row_lines",
 * "cells"}. */
json_t *pm_json_table(const struct pm_doc *doc, size_t index);

/* The whole document. */
json_t *pm_json_doc(const struct pm_doc *doc);

/* One finding: {"file", "line", "column", "severity", "code", "message",
 * "hint"}. */
json_t *pm_json_diag(const struct pm_diag *d);

/* The Markdown source of section index (heading to end), in a. */
const char *pm_doc_section_source(const struct pm_doc *doc, size_t index,
				  struct pm_arena *a);

#endif
