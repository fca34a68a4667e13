#include "source.h"
#include "alloc.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Line ends: LF, CRLF (once) and a lone CR (Nextflow's lexer agrees). */
static int is_line_end(const char *t, size_t len, size_t i)
{
    return t[i] == '\n' || (t[i] == '\r' && (i + 1 >= len || t[i + 1] != '\n'));
}

/* Text without CR, nearly all of it, takes the memchr path. */
static size_t scan_line_starts(const char *t, size_t len, size_t *starts)
{
    size_t k = 0;
    if (starts) starts[k] = 0;
    k++;
    if (!memchr(t, '\r', len)) {
        for (const char *p = t, *end = t + len; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++) {
            if (starts) starts[k] = (size_t)(p - t) + 1;
            k++;
        }
        return k;
    }
    for (size_t i = 0; i < len; i++) {
        if (is_line_end(t, len, i)) {
            if (starts) starts[k] = i + 1;
            k++;
        }
    }
    return k;
}

/* The line map, made by the first call that needs a line (most sources
 * have no finding, and making a map for every file read was 4% of a
 * whole-pipeline check); NULL when memory ran out, and the callers then
 * scan the text. Only the map is set: a cache, the text does not change. */
static const size_t *line_map(const Source *s)
{
    if (!s->line_starts) {
        size_t n = scan_line_starts(s->text, s->len, NULL);
        size_t *starts = np_malloc(n * sizeof *starts);
        if (!starts) return NULL;
        Source *cache = (Source *)s;
        cache->nlines = scan_line_starts(s->text, s->len, starts);
        cache->line_starts = starts;
    }
    return s->line_starts;
}

size_t source_nlines(const Source *s)
{
    return line_map(s) ? s->nlines : scan_line_starts(s->text, s->len, NULL);
}

size_t source_line_start(const Source *s, size_t index)
{
    const size_t *map = line_map(s);
    if (map) return index < s->nlines ? map[index] : s->len;
    size_t k = 0;
    for (size_t i = 0; i < s->len && k < index; i++)
        if (is_line_end(s->text, s->len, i) && ++k == index) return i + 1;
    return index == 0 ? 0 : s->len;
}

/* A Source that takes over `text` (NUL-terminated at len, np_malloc'd); on
 * failure the text is freed with everything else. */
static Source *source_adopt(const char *name, const char *path, char *text, size_t len)
{
    Source *s = np_calloc(1, sizeof *s);
    if (!s) { np_free(text); return NULL; }
    s->text = text;
    s->len = len;
    s->name = np_strdup(name ? name : "<input>");
    s->path = path ? np_strdup(path) : NULL;
    if (!s->name || (path && !s->path)) {
        source_free(s);
        return NULL;
    }
    return s;
}

Source *source_from_memory(const char *name, const char *path, const char *text, size_t len)
{
    char *copy = np_malloc(len + 1);
    if (!copy) return NULL;
    if (len) memcpy(copy, text, len);
    copy[len] = '\0';
    return source_adopt(name, path, copy, len);
}

/* Standard input, whose size is not known: read in growing chunks. */
static int read_stream(FILE *f, char **out, size_t *outlen)
{
    size_t cap = 64 * 1024, len = 0;
    char *buf = np_malloc(cap);
    if (!buf) return SOURCE_ENOMEM;
    for (;;) {
        if (len > SOURCE_MAX_BYTES) { np_free(buf); return SOURCE_ETOOBIG; }
        if (cap - len < 4096) {
            char *nb = np_realloc(buf, cap * 2);
            if (!nb) { np_free(buf); return SOURCE_ENOMEM; }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0) break;
    }
    if (ferror(f)) { np_free(buf); return SOURCE_EIO; }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return SOURCE_OK;
}

/* A regular file of `size` bytes (by fstat), with plain read(2)s into one
 * buffer: one read when the file is as large as fstat said (asking for one
 * byte more shows that it ends there). A file that grows meanwhile is read on
 * to its end; one that comes up short (a FUSE file system may split reads) is
 * read until read(2) says 0. */
static int read_regular(int fd, size_t size, char **out, size_t *outlen)
{
    size_t cap = size + 2, len = 0;   /* the byte past the size, and the NUL */
    char *buf = np_malloc(cap);
    if (!buf) return SOURCE_ENOMEM;
    for (;;) {
        if (cap - len < 2) {
            if (len > SOURCE_MAX_BYTES) { np_free(buf); return SOURCE_ETOOBIG; }
            size_t nc = cap < 32 * 1024 ? 64 * 1024 : cap * 2;
            char *nb = np_realloc(buf, nc);
            if (!nb) { np_free(buf); return SOURCE_ENOMEM; }
            buf = nb;
            cap = nc;
        }
        size_t want = cap - len - 1;
        ssize_t got = read(fd, buf + len, want);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) { np_free(buf); return SOURCE_EIO; }
        len += (size_t)got;
        if (got == 0 || ((size_t)got < want && len == size)) break;
    }
    if (len > SOURCE_MAX_BYTES) { np_free(buf); return SOURCE_ETOOBIG; }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return SOURCE_OK;
}

int source_read_file(const char *path, char **text, size_t *len, struct stat *st)
{
    *text = NULL;
    *len = 0;
    /* open without blocking and look at what was opened (not at the name,
     * which could be swapped between a stat and the open): a FIFO or socket
     * would block until a writer comes (an editor hook must not hang); a
     * device may never end (/dev/zero) or block (/dev/tty). O_NONBLOCK stays
     * set: it changes nothing for the regular files read past this check. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? SOURCE_ENOENT : errno == EISDIR ? SOURCE_EISDIR
             : errno == EACCES ? SOURCE_EACCES : SOURCE_EIO;
    struct stat own;
    if (!st) st = &own;
    int rc = fstat(fd, st) != 0 ? SOURCE_EIO
           : S_ISDIR(st->st_mode) ? SOURCE_EISDIR
           : !S_ISREG(st->st_mode) ? SOURCE_ESPECIAL
           : (unsigned long long)st->st_size > SOURCE_MAX_BYTES ? SOURCE_ETOOBIG
           : read_regular(fd, (size_t)st->st_size, text, len);
    close(fd);
    return rc;
}

Source *source_load(const char *path, const char *name, int *err)
{
    char *buf = NULL;
    size_t len = 0;
    *err = SOURCE_OK;
    if (strcmp(path, "-") == 0) {
        int rc = read_stream(stdin, &buf, &len);
        if (rc) { *err = rc; return NULL; }
        Source *s = source_adopt(name ? name : "<stdin>", NULL, buf, len);
        if (!s) *err = SOURCE_ENOMEM;
        return s;
    }
    int rc = source_read_file(path, &buf, &len, NULL);
    if (rc) { *err = rc; return NULL; }
    Source *s = source_adopt(name ? name : path, path, buf, len);
    if (!s) *err = SOURCE_ENOMEM;
    return s;
}

void source_free(Source *s)
{
    if (!s) return;
    np_free(s->name);
    np_free(s->path);
    np_free(s->text);
    np_free(s->line_starts);
    np_free(s);
}

void source_linecol(const Source *s, size_t offset, unsigned *line, unsigned *col)
{
    if (offset > s->len) offset = s->len;
    const size_t *map = line_map(s);
    size_t lo = 0, start = 0;
    if (map) {
        size_t hi = s->nlines;   /* find last line start <= offset */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (map[mid] <= offset) lo = mid; else hi = mid;
        }
        start = map[lo];
    } else {
        for (size_t i = 0; i < offset; i++)
            if (is_line_end(s->text, s->len, i)) { lo++; start = i + 1; }
    }
    *line = (unsigned)(lo + 1);
    *col = (unsigned)(offset - start + 1);
}

const char *source_line(const Source *s, unsigned line, size_t *len)
{
    size_t n = source_nlines(s);
    if (line < 1 || line > n) { *len = 0; return ""; }
    size_t start = source_line_start(s, line - 1);
    size_t end = line < n ? source_line_start(s, line) : s->len;
    while (end > start && (s->text[end - 1] == '\n' || s->text[end - 1] == '\r')) end--;
    *len = end - start;
    return s->text + start;
}

const char *source_strerror(int err)
{
    switch (err) {
    case SOURCE_OK: return "ok";
    case SOURCE_ENOENT: return "no such file";
    case SOURCE_EISDIR: return "is a directory";
    case SOURCE_EACCES: return "permission denied";
    case SOURCE_ESPECIAL: return "is a FIFO, socket or device, not a file (use - to read standard input)";
    case SOURCE_ETOOBIG: return "is larger than the 128 MiB cap for one input file";
    case SOURCE_ENOMEM: return "out of memory";
    default: return "read error";
    }
}
