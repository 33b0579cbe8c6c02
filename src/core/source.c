/* source.c - file bytes and line maps. */
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int index_lines(struct pm_source *s, struct pm_arena *a)
{
	size_t cap = 0, n = 0;
	uint32_t *starts = NULL;
	if (s->len > UINT32_MAX)
		return PM_ERR_LIMIT;
	if (!PM_ARENA_PUSH(a, starts, n, cap))
		return PM_ERR_NOMEM;
	starts[n++] = 0;
	const char *d = s->data;
	/* Most files have no CR: memchr finds their line ends at memory speed. */
	if (!memchr(d, '\r', s->len)) {
		for (const char *p = d, *end = d + s->len; (p = memchr(p, '\n', (size_t)(end - p)));) {
			if (++p >= end)
				break;	/* a final line end starts no line */
			if (!PM_ARENA_PUSH(a, starts, n, cap))
				return PM_ERR_NOMEM;
			starts[n++] = (uint32_t)(p - d);
		}
		s->line_starts = starts;
		s->nlines = (uint32_t)n;
		return 0;
	}
	for (size_t i = 0; i < s->len; i++) {
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 >= s->len || d[i + 1] != '\n'))) {
			if (i + 1 >= s->len)
				break;	/* a final line end starts no line */
			if (!PM_ARENA_PUSH(a, starts, n, cap))
				return PM_ERR_NOMEM;
			starts[n++] = (uint32_t)(i + 1);
		}
	}
	s->line_starts = starts;
	s->nlines = (uint32_t)n;
	return 0;
}

static int finish(struct pm_source *out, struct pm_arena *a, const char *path,
		  char *buf, size_t len)
{
	buf[len] = '\0';
	out->path = pm_arena_strdup(a, path);
	if (!out->path)
		return PM_ERR_NOMEM;
	out->data = buf;
	out->len = len;
	out->bom = (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) ? 3 : 0;
	return index_lines(out, a);
}

int pm_source_from_memory(struct pm_source *out, struct pm_arena *a,
			  const char *path, const char *data, size_t len)
{
	memset(out, 0, sizeof(*out));
	char *buf = pm_arena_alloc(a, len + 1);
	if (!buf)
		return PM_ERR_NOMEM;
	if (len)
		memcpy(buf, data, len);
	return finish(out, a, path, buf, len);
}

int pm_source_read(struct pm_source *out, struct pm_arena *a, const char *path,
		   size_t max_size, struct pm_error *err)
{
	memset(out, 0, sizeof(*out));
	/* O_NONBLOCK: opening a FIFO named *.md must not hang the walk. */
	char ebuf[128];
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return pm_error_set(err, PM_ERR_IO, "cannot open: %s",
				    pm_errno_text(errno, ebuf, sizeof(ebuf)));
	int rc = 0;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		rc = pm_error_set(err, PM_ERR_IO, "cannot stat: %s",
				  pm_errno_text(errno, ebuf, sizeof(ebuf)));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = pm_error_set(err, PM_ERR_INVALID, "not a regular file");
		goto out;
	}
	if ((unsigned long long)st.st_size > max_size) {
		rc = pm_error_set(err, PM_ERR_LIMIT,
				  "file is %lld bytes, over the limit of %zu",
				  (long long)st.st_size, max_size);
		goto out;
	}
	size_t size = (size_t)st.st_size;
	char *buf = pm_arena_alloc(a, size + 1);
	if (!buf) {
		rc = pm_error_set(err, PM_ERR_NOMEM, "out of memory");
		goto out;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = pm_error_set(err, PM_ERR_IO, "cannot read: %s",
					  pm_errno_text(errno, ebuf, sizeof(ebuf)));
			goto out;
		}
		if (r == 0)
			break;	/* the file shrank while we read it */
		got += (size_t)r;
	}
	rc = finish(out, a, path, buf, got);
	if (rc)
		pm_error_set(err, rc, rc == PM_ERR_LIMIT ? "file too large" : "out of memory");
out:
	close(fd);
	return rc;
}

static uint32_t line_of(const struct pm_source *s, size_t off)
{
	uint32_t lo = 0, hi = s->nlines;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (s->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static uint32_t count_chars(const char *p, size_t n)
{
	uint32_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xC0) != 0x80;
	return c;
}

void pm_source_position(const struct pm_source *src, size_t offset,
			uint32_t *line, uint32_t *col)
{
	if (offset > src->len)
		offset = src->len;
	uint32_t l = line_of(src, offset);
	size_t start = src->line_starts[l];
	if (l == 0 && src->bom && offset >= src->bom)
		start = src->bom;	/* the BOM is not a character anyone sees */
	*line = l + 1;
	*col = count_chars(src->data + start, offset - start) + 1;
}

size_t pm_source_line_offset(const struct pm_source *src, uint32_t line)
{
	if (line == 0 || line > src->nlines)
		return src->len;
	return src->line_starts[line - 1];
}

const char *pm_source_line(const struct pm_source *src, uint32_t line,
			   size_t *len)
{
	if (line == 0 || line > src->nlines)
		return NULL;
	size_t start = src->line_starts[line - 1];
	if (line == 1)
		start += src->bom;
	size_t end = line < src->nlines ? src->line_starts[line] : src->len;
	while (end > start && (src->data[end - 1] == '\n' || src->data[end - 1] == '\r'))
		end--;
	*len = end - start;
	return src->data + start;
}

uint32_t pm_source_char_col(const struct pm_source *src, uint32_t line,
			    uint32_t byte_col)
{
	size_t len;
	const char *p = pm_source_line(src, line, &len);
	if (!p || byte_col == 0)
		return byte_col;
	size_t n = byte_col - 1;
	if (n > len)
		return (uint32_t)(count_chars(p, len) + (n - len) + 1);
	return count_chars(p, n) + 1;
}

bool pm_utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		/* ASCII eight bytes at a time: most text is all ASCII. */
		uint64_t w;
		while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080u)))
			i += 8;
		if (i >= len)
			break;
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			goto fail;
		}
		if (i + need >= len)
			goto fail;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += need + 1;
	}
	return true;
fail:
	if (bad)
		*bad = i;
	return false;
}
