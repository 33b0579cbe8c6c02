/* table_output.h - the rows of an SQLite statement as an aligned table,
 * JSON, CSV or a GFM Markdown table (`pmtool query`, `search`, `stats`).
 *
 * Every format reads all the rows it prints before it writes anything, so a
 * statement that fails while stepping prints nothing at all, and the output
 * depends only on the rows and the options.
 *
 *  table     a header, a rule of '-', the rows; columns two spaces apart,
 *            aligned by display width (pm_display_width); INTEGER and FLOAT
 *            cells right-aligned, the rest left-aligned, NULL empty; no line
 *            ends in a space.  Control characters (C0, DEL, C1) and invalid
 *            UTF-8 bytes are shown as '?', line breaks (LF, CR, CRLF) as one
 *            space, so a document can neither drive the terminal nor break
 *            the layout.  A header over a column of numbers is right-aligned.
 *  json      an array of objects, keys in column order: INTEGER as a JSON
 *            integer, FLOAT as a real (15 significant digits, as SQLite
 *            prints them; an infinity as the string "Inf" or "-Inf"), TEXT
 *            as a string with invalid UTF-8 bytes as U+FFFD, BLOB as a
 *            string of lower-case hex, NULL as null.  A column name seen
 *            before gets "_2", "_3"... so no value is lost.  Two-space
 *            indent and a final newline; no rows is "[]".
 *  csv       RFC 4180 exactly: a header record, CRLF after every record,
 *            a field quoted when it holds '"', ',', CR or LF (quotes
 *            doubled), NULL empty, the bytes otherwise untouched.  Cells that
 *            begin with '=', '+', '-' or '@' are NOT defused against
 *            spreadsheet formula injection: that would change the data, and
 *            the format is meant for programs.
 *  markdown  a GFM table: "| a | b |", "|---|---:|" (---: over a column
 *            whose values are all numbers), the rows; in a cell '|' becomes
 *            "\|" (a backslash right before it is doubled so it cannot eat
 *            the escape), a line break "<br>", control characters and
 *            invalid UTF-8 bytes '?', and surrounding blanks are trimmed.
 *
 * A BLOB is shown as lower-case hex in every format.
 */
#ifndef PM_TABLE_OUTPUT_H
#define PM_TABLE_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <sqlite3.h>

enum pm_out_format { PM_OUT_TABLE, PM_OUT_JSON, PM_OUT_CSV, PM_OUT_MARKDOWN };

/* Returns 0 and sets *out for "table", "json", "csv", "markdown"; -1
 * otherwise (also for NULL), leaving *out alone. */
int pm_out_format_parse(const char *s, enum pm_out_format *out);

struct pm_out_opts {
	size_t max_rows;	/* stop after this many rows (0: no limit) */
	/* TEXT and BLOB cells longer than this many bytes keep their longest
	 * prefix of whole code points within it, followed by "…" (which is
	 * extra), in every format (0: no limit). */
	size_t max_cell;
	/* table: the terminal width to fit (0: do not fit).  The widest
	 * columns that are not all numbers shrink first, never below 8; a cut
	 * cell ends with "…".  Columns named "location" or "path" never
	 * shrink.  A table that cannot fit stays wider. */
	int width;
	/* Optional: hide[i] true leaves out column i (one entry per column of
	 * the statement); NULL prints all.  With no column left, table, csv
	 * and markdown print nothing and json prints empty objects. */
	const bool *hide;
	/* Optional: with a prefix (the docs root as shown, "" for none), a
	 * column named "location_path" followed by one named "location_line"
	 * show as one column "location": prefix, path, ':' and line.  Joined
	 * here rather than in SQL, where three concatenations a row were 7%
	 * of a large query's instructions. */
	const char *location_prefix;
};

/* Steps st and prints its rows to f in fmt.  Column names come from
 * sqlite3_column_name().  o may be NULL (no limits).  Stepping stops at the
 * end, or once max_rows rows were read and one more step says whether
 * there were more (*truncated); the caller resets or finalizes st.
 *
 * Returns 0, PM_ERR_NOMEM, PM_ERR_IO when writing failed, or
 * PM_OUT_SQL_ERROR when stepping failed (the caller reads sqlite3_errmsg()
 * of the statement's connection).  *nrows receives the
 * number of rows printed and *truncated whether max_rows cut the output
 * (0 and false on failure); either pointer may be NULL. */
/* Stepping the statement failed: the message is sqlite3_errmsg()'s. */
#define PM_OUT_SQL_ERROR (-100)

int pm_out_print_stmt(FILE *f, enum pm_out_format fmt, sqlite3_stmt *st,
		      const struct pm_out_opts *o, size_t *nrows, bool *truncated);

/* The display width of len bytes of UTF-8 in terminal columns: wide East
 * Asian characters and most emoji 2, combining marks 0, everything else 1;
 * control characters (shown as '?') and invalid UTF-8 bytes count 1 each.
 * Uses wcwidth() for code points the process locale knows and a built-in
 * table of wide ranges for the rest, so it needs no setlocale(). */
size_t pm_display_width(const char *s, size_t len);

#endif
