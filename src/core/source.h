/* source.h - the bytes of one file and the map from offsets to lines.
 *
 * Lines end at "\n", "\r\n" or a lone "\r" (as cmark-gfm and libyaml both
 * read them).  Positions shown to people are 1-based lines and 1-based
 * columns counted in Unicode code points (libyaml's unit); this module is the
 * one place that converts byte columns (cmark-gfm's unit) into them.
 */
#ifndef PM_SOURCE_H
#define PM_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "error.h"

struct pm_source {
	const char *path;	/* as the user named it; arena-owned */
	const char *data;	/* whole file, NUL-terminated; arena-owned */
	size_t len;
	size_t bom;		/* 3 when the file starts with a UTF-8 BOM */
	uint32_t *line_starts;	/* byte offset of each line; [0] == 0 */
	uint32_t nlines;
};

/* Reads path into a (the arena owns the result).  Refuses anything that is
 * not a regular file (without blocking on a FIFO) and files larger than
 * max_size (PM_ERR_LIMIT).  Returns 0 or a negative pm_err with err set. */
int pm_source_read(struct pm_source *out, struct pm_arena *a, const char *path,
		   size_t max_size, struct pm_error *err);

/* Wraps len bytes of data (copied into a) as a source named path. */
int pm_source_from_memory(struct pm_source *out, struct pm_arena *a,
			  const char *path, const char *data, size_t len);

/* 1-based line and code-point column of a byte offset. */
void pm_source_position(const struct pm_source *src, size_t offset,
			uint32_t *line, uint32_t *col);

/* The byte offset where 1-based line starts (len when past the end). */
size_t pm_source_line_offset(const struct pm_source *src, uint32_t line);

/* The text of 1-based line without its line end; *len receives its length.
 * Returns NULL for a line past the end. */
const char *pm_source_line(const struct pm_source *src, uint32_t line,
			   size_t *len);

/* Converts a 1-based byte column on a line into a code-point column. */
uint32_t pm_source_char_col(const struct pm_source *src, uint32_t line,
			    uint32_t byte_col);

/* Returns true when s[0..len) is valid UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF); otherwise false with *bad at the first bad
 * byte. */
bool pm_utf8_valid(const char *s, size_t len, size_t *bad);

#endif
