/* ftstok.h - the full-text index's tokens, worked out on a reader thread.
 *
 * In a rebuild the SQLite writer is the busier thread (docs/performance.md),
 * and up to a fifth of its time went to FTS5 splitting section text into
 * stemmed words ("porter unicode61").  A reader thread that has time to
 * spare runs the same tokenizer on the same text ahead of the writer
 * (pm_fts_tokenize), and the writer's connection replays the tokens it was
 * handed instead of tokenizing again (pm_fts_feed).
 *
 * The replay cannot make the index differ from one tokenized by SQLite:
 * - the tokens come from SQLite's own porter and unicode61 tokenizers, made
 *   with the arguments the writer's table was made with (checked: other
 *   arguments, and the writer tokenizes everything itself);
 * - the writer replays a list only for a text byte-equal to the one it was
 *   made from, and only when FTS5 asks for a document's tokens; anything
 *   else (a delete, a query, a text nobody offered) goes to SQLite's porter.
 * So output is the same whichever thread tokenized, and with any --jobs. */
#ifndef PM_FTSTOK_H
#define PM_FTSTOK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

/* The tokenizer of schema/index.sql's search table, as FTS5 names it:
 * "porter", made with the argument "unicode61". */
#define PM_FTS_TOKENIZER "porter"
#define PM_FTS_TOKENIZER_ARG "unicode61"

/* One text's tokens: records [from, to) of the list's bytes. */
struct pm_fts_run {
	const char *text;	/* borrowed: the text tokenized */
	size_t len;
	size_t from, to;
};

/* The tokens of several texts; owns its memory. */
struct pm_fts_list {
	struct pm_buf bytes;
	struct pm_fts_run *runs;
	size_t nruns, cap;
};

void pm_fts_list_init(struct pm_fts_list *l);
void pm_fts_list_release(struct pm_fts_list *l);

/* One thread's tokenizer (it uses a private in-memory connection). */
struct pm_fts_tokenizer;

/* NULL when FTS5 or the tokenizer is missing, or memory ran out; the
 * caller then leaves the tokenizing to the writer. */
struct pm_fts_tokenizer *pm_fts_tokenizer_open(void);
void pm_fts_tokenizer_close(struct pm_fts_tokenizer *t);

/* Adds text's tokens to l as its next run (text is borrowed and must stay
 * as it is until the list is replayed).  0, or PM_ERR_NOMEM / PM_ERR_IO
 * with l unusable (release it). */
int pm_fts_tokenize(struct pm_fts_tokenizer *t, const char *text, size_t len,
		    struct pm_fts_list *l);

/* The writer's side: a tokenizer named PM_FTS_TOKENIZER on db that replays
 * offered runs and hands everything else to SQLite's.  db owns it (freed
 * when db closes); *out is a borrowed handle for offering runs.  Install it
 * before the connection first touches the search table. */
struct pm_fts_feed;
int pm_fts_feed_install(sqlite3 *db, struct pm_fts_feed **out, struct pm_error *err);

/* Offers runs [first, first + n) of l (borrowed) for the next insert; an
 * offer lasts until pm_fts_feed_clear. */
void pm_fts_feed_offer(struct pm_fts_feed *f, const struct pm_fts_list *l, size_t first,
		       size_t n);
void pm_fts_feed_clear(struct pm_fts_feed *f);

/* How many texts were replayed rather than tokenized (tests). */
uint64_t pm_fts_feed_replayed(const struct pm_fts_feed *f);

#endif
