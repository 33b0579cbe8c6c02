-- The pmtool index: one SQLite file, by default .pmtool/index.db under the
-- docs root.  Version 2 (PRAGMA user_version).  docs/pmtool-index.1.scd
-- documents every table; point sqlite3 or Datasette at the file freely.
--
-- Rows that come from one document reference documents(path) (ON DELETE
-- CASCADE, for deletes by hand); pmtool updates a changed document's row
-- in place and rewrites its other rows as a difference (src/core/rowdiff.h).  links and
-- the corpus-wide diagnostics depend on several documents and are worked
-- out again from refs on every update (links: only changed rows written).

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE documents (
	path             TEXT PRIMARY KEY,	-- relative to the docs root
	id               TEXT NOT NULL,
	type             TEXT,
	title            TEXT,
	status           TEXT,
	severity         TEXT,
	date             TEXT,			-- date, effective_date, or started_at's date
	started_at       TEXT,			-- as written
	resolved_at      TEXT,
	started_epoch    INTEGER,		-- seconds since 1970, UTC
	resolved_epoch   INTEGER,
	duration_minutes INTEGER,		-- resolved - started, rounded
	hash             TEXT NOT NULL,		-- xxh3-64 of the bytes, hex
	size             INTEGER NOT NULL,
	mtime_ns         INTEGER NOT NULL,
	parsed           INTEGER NOT NULL,	-- 1 when frontmatter and body loaded
	frontmatter      TEXT,			-- the frontmatter as JSON
	body             TEXT NOT NULL		-- the Markdown after the frontmatter
);
CREATE INDEX documents_id ON documents (id);
CREATE INDEX documents_type ON documents (type, status);
-- What an update reads of every document (is it unchanged? the graph's
-- nodes), without the rows themselves: a row holds the body, so a scan of
-- the table reads every page of the file (400 MB at 100,000 documents).
CREATE INDEX documents_scan ON documents (path, id, type, size, mtime_ns, hash);

-- Every frontmatter value: one row per scalar, one per item of a list.
CREATE TABLE fields (
	doc   TEXT NOT NULL REFERENCES documents (path) ON DELETE CASCADE,
	key   TEXT NOT NULL,
	item  INTEGER,				-- index in a list, NULL for a scalar
	value TEXT,
	type  TEXT NOT NULL,			-- null, bool, integer, float, string, sequence, mapping
	line  INTEGER NOT NULL,
	col   INTEGER NOT NULL
);
CREATE INDEX fields_doc ON fields (doc);
CREATE INDEX fields_key ON fields (key, value);

-- Relation values (and values of ref fields) as written: the input of
-- links, which the same resolution as lint's builds from them.
CREATE TABLE refs (
	doc         TEXT NOT NULL REFERENCES documents (path) ON DELETE CASCADE,
	key         TEXT NOT NULL,		-- caused_by, triggers, ...
	ref         TEXT NOT NULL,		-- "ADR-001" or "./adr-001.md", as written
	target_path TEXT,			-- a path ref, resolved from doc's folder
	line        INTEGER NOT NULL,
	col         INTEGER NOT NULL,
	kind        TEXT NOT NULL		-- the YAML kind: string, integer, ...
);
CREATE INDEX refs_doc ON refs (doc);

-- Both directions of every relation: declared rows as written, derived rows
-- for the inverse (INC-001 caused_by ADR-001 gives ADR-001 triggers INC-001).
CREATE TABLE links (
	source      TEXT NOT NULL,		-- ID
	source_path TEXT NOT NULL,
	relation    TEXT NOT NULL,
	target      TEXT NOT NULL,		-- ID, or the ref as written when unresolved
	target_path TEXT,			-- NULL when unresolved
	declared    INTEGER NOT NULL,		-- 1 declared, 0 derived as an inverse
	declared_in TEXT NOT NULL,		-- path of the declaring document
	line        INTEGER NOT NULL,
	col         INTEGER NOT NULL
);
CREATE INDEX links_source ON links (source, relation);
CREATE INDEX links_target ON links (target, relation);

-- Sections with their own text (not their subsections'); level 0 is what
-- precedes the first heading, with the document's title, and its line is
-- the title's line.  Feeds the full-text index.
CREATE TABLE sections (
	doc      TEXT NOT NULL REFERENCES documents (path) ON DELETE CASCADE,
	title    TEXT,				-- the document's title, on the level-0 row only
	heading  TEXT NOT NULL,
	path     TEXT NOT NULL,			-- "Consequences > Positive"
	level    INTEGER NOT NULL,
	line     INTEGER NOT NULL,
	end_line INTEGER NOT NULL,
	text     TEXT NOT NULL
);
CREATE INDEX sections_doc ON sections (doc);

-- incident, title and severity repeat the document's: the question asked
-- most, "which items are open, across every postmortem", is then answered
-- from the small partial index below alone, with no join (30,000 open
-- items of 700,000 in a 100,000-document corpus).  They cannot go stale:
-- a document's items are rewritten whenever the document is.
CREATE TABLE action_items (
	doc      TEXT NOT NULL REFERENCES documents (path) ON DELETE CASCADE,
	row      INTEGER NOT NULL,		-- 1-based
	action   TEXT NOT NULL,
	owner    TEXT,
	due      TEXT,				-- YYYY-MM-DD as written
	due_day  INTEGER,			-- the same as days since 1970-01-01,
						-- NULL when due is not a date
	status   TEXT,
	line     INTEGER NOT NULL,
	open     INTEGER NOT NULL,		-- 1 unless status is in the rule's closed list
	incident TEXT NOT NULL,			-- the document's id
	title    TEXT,				-- the document's title
	severity TEXT				-- the document's severity
);
CREATE INDEX action_items_doc ON action_items (doc);
CREATE INDEX action_items_owner ON action_items (owner);
-- In the order of `pmtool query actions --open` (due first, undated last),
-- so that query reads it front to back and sorts nothing.
CREATE INDEX action_items_open ON action_items
	(due IS NULL, due, incident, line, action, owner, status, title, severity, doc, open,
	 due_day)
	WHERE open;

CREATE TABLE timeline (
	doc      TEXT NOT NULL REFERENCES documents (path) ON DELETE CASCADE,
	row      INTEGER NOT NULL,
	time     TEXT NOT NULL,			-- as written: "14:32" or a datetime
	at       TEXT,				-- resolved instant, ISO 8601 UTC
	at_epoch INTEGER,			-- the same in seconds
	event    TEXT,
	actor    TEXT,
	line     INTEGER NOT NULL
);
CREATE INDEX timeline_doc ON timeline (doc);

-- Lint findings.  scope 'document': the document's own (parse, fields,
-- sections, tables, incident rules); scope 'corpus': duplicate IDs and
-- unresolved refs, rebuilt on every update.  Findings that depend on the
-- date (overdue items, policies past review) are left out: queries compute
-- them against --today.
CREATE TABLE diagnostics (
	doc      TEXT NOT NULL,
	line     INTEGER NOT NULL,
	col      INTEGER NOT NULL,
	severity TEXT NOT NULL,
	code     TEXT NOT NULL,
	message  TEXT NOT NULL,
	hint     TEXT,
	scope    TEXT NOT NULL
);
CREATE INDEX diagnostics_doc ON diagnostics (doc);

CREATE TABLE users (
	handle TEXT PRIMARY KEY,
	kind   TEXT NOT NULL			-- user or team
);

-- Full text of titles and sections, kept in step with sections by pmtool
-- itself (no triggers: the index is opened with trusted_schema off, which
-- forbids virtual tables in triggers, so a hostile file cannot use them).
-- search.rowid is sections.rowid.
CREATE VIRTUAL TABLE search USING fts5 (
	title, heading, text,
	content = 'sections', content_rowid = 'rowid',
	tokenize = 'porter unicode61'
);
-- FTS5 keeps the terms of the rows written in memory (hashsize, 1 MiB by
-- default) and writes them out as a segment when that fills up; it merges
-- segments of one size once there are automerge of them (4 by default).
-- A rebuild of 100,000 documents writes 280 MB of terms: with segments
-- twice as big and merges of 16 at a time, each term is rewritten about
-- twice instead of four times, and the rebuild spends a quarter less time
-- in SQLite (docs/performance.md).  A search reads at most 16 segments of
-- each size instead of 4, which it does not notice.  A rebuild ends by
-- setting crisismerge to 64 (src/core/index.c says why).
INSERT INTO search (search, rank) VALUES ('automerge', 16);
INSERT INTO search (search, rank) VALUES ('hashsize', 2097152);
