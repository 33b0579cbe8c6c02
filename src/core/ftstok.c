/* ftstok.c - the full-text index's tokens, worked out on a reader thread
 * (ftstok.h says why and why it cannot change the index). */
#include "ftstok.h"

#include <stdlib.h>
#include <string.h>

/* One token in a list's bytes: this header, then len bytes. */
struct rec {
	int32_t flags, start, end, len;
};

void pm_fts_list_init(struct pm_fts_list *l)
{
	memset(l, 0, sizeof(*l));
	pm_buf_init(&l->bytes);
}

void pm_fts_list_release(struct pm_fts_list *l)
{
	pm_buf_release(&l->bytes);
	free(l->runs);
	memset(l, 0, sizeof(*l));
}

/* The FTS5 API of db, or NULL (FTS5 missing). */
static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

/* ---- a reader thread's tokenizer ------------------------------------------ */

struct pm_fts_tokenizer {
	sqlite3 *db;		/* owns the FTS5 API the tokenizer belongs to */
	fts5_tokenizer x;
	Fts5Tokenizer *tok;
};

struct pm_fts_tokenizer *pm_fts_tokenizer_open(void)
{
	struct pm_fts_tokenizer *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	const char *arg[] = { PM_FTS_TOKENIZER_ARG };
	void *ud = NULL;
	fts5_api *api = NULL;
	if (sqlite3_open_v2(":memory:", &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    !(api = fts5_of(t->db)) ||
	    api->xFindTokenizer(api, PM_FTS_TOKENIZER, &ud, &t->x) != SQLITE_OK ||
	    t->x.xCreate(ud, arg, 1, &t->tok) != SQLITE_OK) {
		t->tok = NULL;
		pm_fts_tokenizer_close(t);
		return NULL;
	}
	return t;
}

void pm_fts_tokenizer_close(struct pm_fts_tokenizer *t)
{
	if (!t)
		return;
	if (t->tok)
		t->x.xDelete(t->tok);
	sqlite3_close(t->db);
	free(t);
}

static int record(void *ctx, int flags, const char *token, int len, int start, int end)
{
	struct pm_buf *b = ctx;
	struct rec r = { flags, start, end, len };
	pm_buf_add(b, (const char *)&r, sizeof(r));
	pm_buf_add(b, token, (size_t)len);
	return b->failed ? SQLITE_NOMEM : SQLITE_OK;
}

int pm_fts_tokenize(struct pm_fts_tokenizer *t, const char *text, size_t len,
		    struct pm_fts_list *l)
{
	if (len > INT32_MAX)
		return PM_ERR_INVALID;
	struct pm_fts_run *runs = pm_grow(l->runs, l->nruns, &l->cap, sizeof(*runs), 16);
	if (!runs)
		return PM_ERR_NOMEM;
	l->runs = runs;
	size_t from = l->bytes.len;
	int rc = t->x.xTokenize(t->tok, &l->bytes, FTS5_TOKENIZE_DOCUMENT, text, (int)len, record);
	if (rc != SQLITE_OK || l->bytes.failed)
		return l->bytes.failed || rc == SQLITE_NOMEM ? PM_ERR_NOMEM : PM_ERR_IO;
	l->runs[l->nruns++] = (struct pm_fts_run){ text, len, from, l->bytes.len };
	return 0;
}

/* ---- the writer's replaying tokenizer ------------------------------------- */

struct pm_fts_feed {
	fts5_tokenizer sqlite_x;	/* SQLite's own, which the feed wraps */
	void *sqlite_ud;
	const struct pm_fts_list *list;	/* the offer, or NULL */
	size_t first, n, next;
	uint64_t replayed;
};

/* An instance FTS5 made: SQLite's tokenizer, and whether it was made with
 * the arguments the readers' tokenizers are (else nothing is replayed). */
struct feed_tok {
	struct pm_fts_feed *feed;
	Fts5Tokenizer *inner;
	int same_args;
};

static int feed_create(void *ud, const char **arg, int narg, Fts5Tokenizer **out)
{
	struct pm_fts_feed *f = ud;
	struct feed_tok *ft = sqlite3_malloc(sizeof(*ft));
	if (!ft)
		return SQLITE_NOMEM;
	ft->feed = f;
	ft->same_args = narg == 1 && !strcmp(arg[0], PM_FTS_TOKENIZER_ARG);
	int rc = f->sqlite_x.xCreate(f->sqlite_ud, arg, narg, &ft->inner);
	if (rc != SQLITE_OK) {
		sqlite3_free(ft);
		return rc;
	}
	*out = (Fts5Tokenizer *)ft;
	return SQLITE_OK;
}

static void feed_delete(Fts5Tokenizer *tok)
{
	struct feed_tok *ft = (struct feed_tok *)tok;
	ft->feed->sqlite_x.xDelete(ft->inner);
	sqlite3_free(ft);
}

/* The offered run for this text, if any: the runs are offered in column
 * order, and a NULL column is never asked for, so the search goes forward
 * from the last run used.  Equal bytes make equal tokens, so a match on
 * the bytes alone is enough. */
static const struct pm_fts_run *offered(struct pm_fts_feed *f, const char *text, int len)
{
	if (!f->list)
		return NULL;
	for (size_t i = f->next; i < f->n; i++) {
		const struct pm_fts_run *r = &f->list->runs[f->first + i];
		if (r->len == (size_t)len && (len == 0 || !memcmp(r->text, text, (size_t)len))) {
			f->next = i + 1;
			return r;
		}
	}
	return NULL;
}

static int feed_tokenize(Fts5Tokenizer *tok, void *ctx, int flags, const char *text, int len,
			 int (*emit)(void *, int, const char *, int, int, int))
{
	struct feed_tok *ft = (struct feed_tok *)tok;
	struct pm_fts_feed *f = ft->feed;
	const struct pm_fts_run *r = NULL;
	if (ft->same_args && flags == FTS5_TOKENIZE_DOCUMENT)
		r = offered(f, text, len);
	if (!r)
		return f->sqlite_x.xTokenize(ft->inner, ctx, flags, text, len, emit);
	f->replayed++;
	const char *p = f->list->bytes.data + r->from, *end = f->list->bytes.data + r->to;
	while (p < end) {
		struct rec h;
		memcpy(&h, p, sizeof(h));
		p += sizeof(h);
		int rc = emit(ctx, h.flags, p, h.len, h.start, h.end);
		p += h.len;
		/* As SQLite's tokenizers do: SQLITE_DONE stops without error. */
		if (rc != SQLITE_OK)
			return rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	return SQLITE_OK;
}

int pm_fts_feed_install(sqlite3 *db, struct pm_fts_feed **out, struct pm_error *err)
{
	*out = NULL;
	fts5_api *api = fts5_of(db);
	if (!api)
		return pm_error_set(err, PM_ERR_IO, "this SQLite has no FTS5");
	struct pm_fts_feed *f = calloc(1, sizeof(*f));
	if (!f)
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	if (api->xFindTokenizer(api, PM_FTS_TOKENIZER, &f->sqlite_ud, &f->sqlite_x) != SQLITE_OK) {
		free(f);
		return pm_error_set(err, PM_ERR_IO, "this SQLite's FTS5 has no %s tokenizer",
				    PM_FTS_TOKENIZER);
	}
	fts5_tokenizer x = { feed_create, feed_delete, feed_tokenize };
	/* FTS5 looks tokenizers up newest first: this one hides SQLite's
	 * "porter" on this connection only.  db frees f when it closes. */
	if (api->xCreateTokenizer(api, PM_FTS_TOKENIZER, f, &x, free) != SQLITE_OK) {
		free(f);
		return pm_error_set(err, PM_ERR_NOMEM, "out of memory");
	}
	*out = f;
	return 0;
}

void pm_fts_feed_offer(struct pm_fts_feed *f, const struct pm_fts_list *l, size_t first,
		       size_t n)
{
	f->list = l;
	f->first = first;
	f->n = n;
	f->next = 0;
}

void pm_fts_feed_clear(struct pm_fts_feed *f)
{
	f->list = NULL;
	f->n = f->next = 0;
}

uint64_t pm_fts_feed_replayed(const struct pm_fts_feed *f)
{
	return f->replayed;
}
