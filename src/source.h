/* source — one loaded text (file, stdin, or a string from a launch payload),
 * its display name and its line map. Byte offsets are the currency of every
 * other module; line/column are computed here only when printing. */
#ifndef NFP_SOURCE_H
#define NFP_SOURCE_H
#include <stddef.h>

typedef struct Source {
    char   *name;     /* as shown in diagnostics (path as given, or --stdin-filename) */
    char   *path;     /* file system path or URL it came from; NULL for stdin/string */
    char   *text;     /* the bytes, NUL-terminated (the text may contain NULs too) */
    size_t  len;
    size_t *line_starts;   /* the line map, made on first use (NULL before): read lines */
    size_t  nlines;        /* through the functions below, not these two fields */
    size_t  base;     /* offset of this text inside an enclosing document, e.g. the
                         configText string of a launch JSON (0 for plain files) */
} Source;

enum { SOURCE_OK = 0, SOURCE_ENOENT, SOURCE_EIO, SOURCE_ENOMEM, SOURCE_EISDIR, SOURCE_ESPECIAL,
       SOURCE_ETOOBIG, SOURCE_EACCES };

/* The most bytes one input file (or standard input) may have: well above any
 * real configuration (the benchmarks parse 100 MB), far below what would
 * exhaust memory. Larger inputs are refused with SOURCE_ETOOBIG. */
#define SOURCE_MAX_BYTES ((size_t)128 << 20)
/* The most bytes of config and params text one launch reads in all: the
 * layers and params files the operator names (over it, the launch is refused:
 * prepare.c, resolve.c) and every include (over it, later includes are not
 * read). */
#define SOURCE_MAX_TOTAL_BYTES ((size_t)256 << 20)

/* Loads `path` (or stdin when path is "-"). `name` is the display name (NULL:
 * use path). Only regular files are read (and stdin through "-"): a FIFO,
 * socket or device (/dev/zero, /dev/tty, /dev/stdin on a terminal) is refused
 * without blocking, and so is anything over SOURCE_MAX_BYTES. On failure
 * returns NULL and sets *err to a SOURCE_* code. */
Source *source_load(const char *path, const char *name, int *err);
/* The reader under source_load, for a path (not "-"), and the one reader of
 * every file nf-preflight is given or finds: regular files only, opened
 * without blocking, at most SOURCE_MAX_BYTES. Sets *text (np_malloc'd,
 * NUL-terminated) and *len, and *st (when not NULL) from the opened file.
 * Returns SOURCE_OK or a SOURCE_* code. */
struct stat;
int source_read_file(const char *path, char **text, size_t *len, struct stat *st);
/* Copies `len` bytes of `text`. */
Source *source_from_memory(const char *name, const char *path, const char *text, size_t len);
void    source_free(Source *s);

/* 1-based line; 1-based column counted in bytes. Offsets past the end clamp. */
void source_linecol(const Source *s, size_t offset, unsigned *line, unsigned *col);
/* The text of 1-based line `line` without its terminator. */
const char *source_line(const Source *s, unsigned line, size_t *len);
/* How many lines the text has (an empty text has one), and where the 0-based
 * line `index` starts (len when there is no such line). These and the two
 * above make the line map the first time one of them runs, so that time
 * must not race with another of them on the same Source. */
size_t source_nlines(const Source *s);
size_t source_line_start(const Source *s, size_t index);
const char *source_strerror(int err);

#endif
