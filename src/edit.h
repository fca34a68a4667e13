/* edit — byte edits on text: splicing replacements into the original bytes,
 * newline and indentation conventions of a file, a small unified diff, and
 * the atomic file replacement that `fix --write` uses.
 *
 * The atomic write goes temp file (same directory) → write → chmod → fsync →
 * close → re-check the original → rename. A test hook can fail any step (or
 * change the file under our feet) to prove that the original survives. */
#ifndef NFP_EDIT_H
#define NFP_EDIT_H
#include <stddef.h>
#include <sys/stat.h>
#include "diag.h"
#include "strbuf.h"

/* Applies `n` edits (byte spans of `text`, sorted by start, not overlapping)
 * and appends the result to `out`. Returns 0, or -1 when the edits are out of
 * order / out of range or memory ran out. */
int edit_splice(const char *text, size_t len, const Edit *edits, size_t n, StrBuf *out);

/* The line terminator a text uses: "\r\n" when its first line ends in CRLF,
 * else "\n" (also for text without any line break). */
const char *edit_newline(const char *text, size_t len);
/* 1 when the text ends in a line break (or is empty). */
int edit_has_final_newline(const char *text, size_t len);
/* One indentation step as the file uses it: "\t" when indented lines start
 * with tabs, otherwise the smallest space indentation found (2..8), default
 * four spaces. Returns a static string. */
const char *edit_indent_unit(const char *text, size_t len);
/* Offset of the first byte of the line holding `offset`. */
size_t edit_line_start(const char *text, size_t offset);

/* Appends a unified diff (3 lines of context) of a → b to out, with headers
 * "--- name_a" / "+++ name_b". Nothing when the texts are equal. Returns 0 or
 * -1 when memory ran out. */
int edit_unified_diff(const char *name_a, const char *a, size_t alen,
                      const char *name_b, const char *b, size_t blen, StrBuf *out);

/* Reads a whole regular file (following symlinks) into an np_malloc'd
 * NUL-terminated buffer, with the stat taken before reading. A FIFO, device
 * or socket is refused without blocking, and so is a file over
 * SOURCE_MAX_BYTES. 0, or -1 with *err (NULL *err: out of memory). */
int edit_read_file(const char *path, char **text, size_t *len, struct stat *st, char **err);

/* Replaces the file at `path` (the file a symlink points to, when it is one)
 * by `data`, atomically. `expect`/`expect_len` and `expect_st` are what the
 * caller read (edit_read_file): when the file no longer has that content,
 * size and modification time the write is refused and nothing changes.
 * The new file keeps the original's mode, owner and group. Refused unless
 * `force`: a read-only file, a file with other hard links (a rename would
 * cut them off), an owner or group that cannot be kept. With force, *notice
 * (when not NULL) receives an np_malloc'd note about hard links cut off.
 * SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGXFSZ are held while the temporary
 * file exists, so neither they nor an error leave it behind.
 * Returns 0, or -1 with an np_malloc'd message in *err (NULL: out of memory);
 * on failure the original file is untouched. */
int edit_write_atomic(const char *path, const char *expect, size_t expect_len,
                      const struct stat *expect_st, const char *data, size_t len,
                      int force, char **notice, char **err);

/* Steps of edit_write_atomic, in order; a hook sees each before it runs. */
typedef enum EditStep {
    EDIT_STEP_RESOLVE,      /* following a symlink to its target */
    EDIT_STEP_OPEN_TEMP,    /* creating the temporary file */
    EDIT_STEP_WRITE,        /* writing the new bytes */
    EDIT_STEP_CHOWN,        /* giving it the original's owner and group */
    EDIT_STEP_CHMOD,        /* giving it the original's mode */
    EDIT_STEP_FSYNC,
    EDIT_STEP_CLOSE,
    EDIT_STEP_RECHECK,      /* comparing the original with what was read */
    EDIT_STEP_RENAME,
    EDIT_STEP_COUNT
} EditStep;

/* Test hook: called before each step with `ctx`; a non-zero return makes the
 * step fail as if the system call had failed with EIO. NULL removes it. */
typedef int (*EditStepHook)(EditStep step, void *ctx);
void edit_set_step_hook(EditStepHook hook, void *ctx);
const char *edit_step_name(EditStep step);

#endif
