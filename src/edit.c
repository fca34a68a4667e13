#include "edit.h"
#include "alloc.h"
#include "source.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---------------- splicing and conventions ---------------- */

int edit_splice(const char *text, size_t len, const Edit *edits, size_t n, StrBuf *out)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const Edit *e = &edits[i];
        if (e->start < at || e->end < e->start || e->end > len) return -1;
        strbuf_append(out, text + at, e->start - at);
        if (e->text) strbuf_puts(out, e->text);
        at = e->end;
    }
    strbuf_append(out, text + at, len - at);
    return strbuf_failed(out) ? -1 : 0;
}

const char *edit_newline(const char *text, size_t len)
{
    const char *nl = len ? memchr(text, '\n', len) : NULL;
    return nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n";
}

int edit_has_final_newline(const char *text, size_t len)
{
    return len == 0 || text[len - 1] == '\n' || text[len - 1] == '\r';
}

const char *edit_indent_unit(const char *text, size_t len)
{
    static const char *const spaces[] = {"  ", "   ", "    ", "     ", "      ", "       ", "        "};
    size_t best = 0;
    size_t i = 0;
    while (i < len) {
        size_t ls = i, sp = 0;
        while (i < len && text[i] == ' ') { i++; sp++; }
        if (i < len && text[i] == '\t' && i == ls) return "\t";
        /* a line with content after the spaces counts; comment continuation
         * lines (" * ...") are indented by one and do not */
        if (sp >= 2 && i < len && text[i] != '\n' && text[i] != '\r' && text[i] != '*' && (!best || sp < best))
            best = sp;
        while (i < len && text[i] != '\n') i++;
        i++;
    }
    if (best < 2) return "    ";
    if (best > 8) best = 8;
    return spaces[best - 2];
}

size_t edit_line_start(const char *text, size_t offset)
{
    while (offset > 0 && text[offset - 1] != '\n' && text[offset - 1] != '\r') offset--;
    return offset;
}

/* ---------------- unified diff ---------------- */

typedef struct Line {
    const char *p;
    size_t len;        /* including the terminator */
} Line;

static Line *split_lines(const char *t, size_t len, size_t *n)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if (t[i] == '\n') count++;
    Line *v = np_malloc((count + 1) * sizeof *v);
    if (!v) return NULL;
    size_t k = 0, start = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '\n') {
            v[k].p = t + start;
            v[k].len = i + 1 - start;
            k++;
            start = i + 1;
        }
    }
    if (start < len) {
        v[k].p = t + start;
        v[k].len = len - start;
        k++;
    }
    *n = k;
    return v;
}

static int line_eq(const Line *a, const Line *b)
{
    return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* One line of the edit script: ' ' kept, '-' removed, '+' added. */
typedef struct Op {
    char kind;
    size_t ai, bi;     /* line index in a (for ' ' and '-') and b (for ' ' and '+') */
} Op;

#define DIFF_MAX_D 400

/* Myers' greedy O((N+M)D) algorithm over the middle part (after trimming the
 * common prefix and suffix). Fills ops for the middle; returns the count or
 * (size_t)-1 when memory ran out. Past DIFF_MAX_D differences it gives up and
 * emits "remove all, add all", which is still a correct diff. */
static size_t myers(const Line *a, size_t n, const Line *b, size_t m, size_t aoff, size_t boff, Op *ops)
{
    size_t max = n + m;
    size_t width = 2 * max + 1;
    size_t dmax = max < DIFF_MAX_D ? max : DIFF_MAX_D;
    /* keep the trace under ~32 MB whatever the file size */
    size_t cap = ((size_t)4 << 20) / width;
    if (cap == 0) cap = 1;
    if (dmax + 1 > cap) dmax = cap - 1;
    long *trace = np_malloc((dmax + 1) * width * sizeof *trace);
    size_t k_ops = 0;
    long found_d = -1;
    if (!trace) return (size_t)-1;
    long *v = np_malloc(width * sizeof *v);
    if (!v) { np_free(trace); return (size_t)-1; }
    for (size_t i = 0; i < width; i++) v[i] = 0;
    long off = (long)max;
    for (long d = 0; d <= (long)dmax && found_d < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x;
            if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
            else x = v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && line_eq(&a[x], &b[y])) { x++; y++; }
            v[off + k] = x;
            if (x >= (long)n && y >= (long)m) { found_d = d; break; }
        }
        memcpy(trace + (size_t)d * width, v, width * sizeof *v);
    }
    np_free(v);
    if (found_d < 0) {
        np_free(trace);
        for (size_t i = 0; i < n; i++) ops[k_ops++] = (Op){'-', aoff + i, 0};
        for (size_t j = 0; j < m; j++) ops[k_ops++] = (Op){'+', 0, boff + j};
        return k_ops;
    }
    /* backtrack from the end; ops come out reversed */
    long x = (long)n, y = (long)m;
    for (long d = found_d; d > 0; d--) {
        const long *pv = trace + (size_t)(d - 1) * width;
        long k = x - y;
        long pk = (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1])) ? k + 1 : k - 1;
        long px = pv[off + pk], py = px - pk;
        while (x > px && y > py) { x--; y--; ops[k_ops++] = (Op){' ', aoff + (size_t)x, boff + (size_t)y}; }
        if (x == px) { y--; ops[k_ops++] = (Op){'+', 0, boff + (size_t)y}; }
        else { x--; ops[k_ops++] = (Op){'-', aoff + (size_t)x, 0}; }
    }
    while (x > 0 && y > 0) { x--; y--; ops[k_ops++] = (Op){' ', aoff + (size_t)x, boff + (size_t)y}; }
    np_free(trace);
    for (size_t i = 0; i < k_ops / 2; i++) {
        Op t = ops[i];
        ops[i] = ops[k_ops - 1 - i];
        ops[k_ops - 1 - i] = t;
    }
    return k_ops;
}

static void hunk_range(StrBuf *out, size_t start, size_t count)
{
    /* GNU style: "l" for one line, "l,c" otherwise, "l-1,0" for an empty range */
    if (count == 1) strbuf_printf(out, "%zu", start + 1);
    else strbuf_printf(out, "%zu,%zu", count ? start + 1 : start, count);
}

static void diff_line(StrBuf *out, char kind, const Line *l)
{
    strbuf_putc(out, kind);
    strbuf_append(out, l->p, l->len);
    if (!l->len || l->p[l->len - 1] != '\n') strbuf_puts(out, "\n\\ No newline at end of file\n");
}

int edit_unified_diff(const char *name_a, const char *a, size_t alen,
                      const char *name_b, const char *b, size_t blen, StrBuf *out)
{
    if (alen == blen && memcmp(a, b, alen) == 0) return 0;
    size_t n = 0, m = 0;
    Line *la = split_lines(a, alen, &n);
    Line *lb = split_lines(b, blen, &m);
    Op *ops = la && lb ? np_malloc((n + m + 1) * sizeof *ops) : NULL;
    if (!ops) { np_free(la); np_free(lb); return -1; }
    size_t pre = 0;
    while (pre < n && pre < m && line_eq(&la[pre], &lb[pre])) pre++;
    size_t suf = 0;
    while (suf < n - pre && suf < m - pre && line_eq(&la[n - 1 - suf], &lb[m - 1 - suf])) suf++;
    size_t nops = 0;
    for (size_t i = 0; i < pre; i++) ops[nops++] = (Op){' ', i, i};
    size_t mid = myers(la + pre, n - pre - suf, lb + pre, m - pre - suf, pre, pre, ops + nops);
    if (mid == (size_t)-1) { np_free(ops); np_free(la); np_free(lb); return -1; }
    nops += mid;
    for (size_t i = 0; i < suf; i++) ops[nops++] = (Op){' ', n - suf + i, m - suf + i};

    strbuf_printf(out, "--- %s\n+++ %s\n", name_a, name_b);
    const size_t ctx = 3;
    size_t i = 0;
    while (i < nops) {
        while (i < nops && ops[i].kind == ' ') i++;
        if (i >= nops) break;
        /* a hunk: from ctx lines before this change to ctx lines after the
         * last change that is closer than 2*ctx kept lines */
        size_t hs = i >= ctx ? i - ctx : 0;
        size_t he = i;
        for (;;) {
            while (he < nops && ops[he].kind != ' ') he++;
            size_t keep = 0;
            while (he + keep < nops && ops[he + keep].kind == ' ') keep++;
            if (he + keep < nops && keep <= 2 * ctx) { he += keep; continue; }
            he += keep < ctx ? keep : ctx;
            break;
        }
        size_t astart = 0, acount = 0, bstart = 0, bcount = 0;
        int aset = 0, bset = 0;
        for (size_t k = hs; k < he; k++) {
            if (ops[k].kind != '+') { if (!aset) { astart = ops[k].ai; aset = 1; } acount++; }
            if (ops[k].kind != '-') { if (!bset) { bstart = ops[k].bi; bset = 1; } bcount++; }
        }
        if (!aset) {     /* pure insertion: the range sits after the a-line before it */
            astart = 0;
            for (size_t k = hs; k-- > 0;) if (ops[k].kind != '+') { astart = ops[k].ai + 1; break; }
        }
        if (!bset) {
            bstart = 0;
            for (size_t k = hs; k-- > 0;) if (ops[k].kind != '-') { bstart = ops[k].bi + 1; break; }
        }
        strbuf_puts(out, "@@ -");
        hunk_range(out, astart, acount);
        strbuf_puts(out, " +");
        hunk_range(out, bstart, bcount);
        strbuf_puts(out, " @@\n");
        for (size_t k = hs; k < he; k++) {
            if (ops[k].kind == '+') diff_line(out, '+', &lb[ops[k].bi]);
            else diff_line(out, ops[k].kind, &la[ops[k].ai]);
        }
        i = he;
    }
    np_free(ops);
    np_free(la);
    np_free(lb);
    return strbuf_failed(out) ? -1 : 0;
}

/* ---------------- files ---------------- */

static EditStepHook step_hook;
static void *step_hook_ctx;

void edit_set_step_hook(EditStepHook hook, void *ctx)
{
    step_hook = hook;
    step_hook_ctx = ctx;
}

const char *edit_step_name(EditStep step)
{
    static const char *const names[] = {"resolve", "open-temp", "write", "chown", "chmod", "fsync",
                                        "close", "recheck", "rename"};
    return (unsigned)step < EDIT_STEP_COUNT ? names[step] : "?";
}

/* 0 to go on; -1 (errno = EIO) when the test hook fails this step. */
static int step(EditStep s)
{
    if (step_hook && step_hook(s, step_hook_ctx)) {
        errno = EIO;
        return -1;
    }
    return 0;
}

static char *msg(const char *what, const char *path, int err)
{
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s %s: %s", what, path, strerror(err));
    return strbuf_take(&b);
}

int edit_read_file(const char *path, char **text, size_t *len, struct stat *st, char **err)
{
    int rc = source_read_file(path, text, len, st);
    *err = NULL;
    if (rc == SOURCE_OK || rc == SOURCE_ENOMEM) return rc ? -1 : 0;
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "cannot read %s: %s", path, source_strerror(rc));
    *err = strbuf_take(&b);
    return -1;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* 1 when the file at `path` still has the content and stat we read. */
static int unchanged(const char *path, const char *expect, size_t expect_len, const struct stat *st)
{
    char *now = NULL, *err = NULL;
    size_t len = 0;
    struct stat st2;
    if (edit_read_file(path, &now, &len, &st2, &err) != 0) { np_free(err); return 0; }
    int same = len == expect_len && memcmp(now, expect, len) == 0 && st2.st_size == st->st_size &&
               st2.st_mtim.tv_sec == st->st_mtim.tv_sec && st2.st_mtim.tv_nsec == st->st_mtim.tv_nsec &&
               st2.st_ino == st->st_ino && st2.st_dev == st->st_dev;
    np_free(now);
    return same;
}

/* The signals that would end the process while a temporary file exists.
 * They stay blocked from its creation until it is renamed or removed, so a
 * Ctrl-C, a kill or a file-size limit never leaves one behind: a pending
 * SIGINT/SIGTERM/SIGHUP/SIGQUIT takes effect right after, SIGXFSZ is
 * dropped (the write already failed with EFBIG and says so). */
static void guarded_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
    sigaddset(set, SIGXFSZ);
}

static void release_signals(const sigset_t *old)
{
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGXFSZ)) {
        struct sigaction ign, prev;
        memset(&ign, 0, sizeof ign);
        ign.sa_handler = SIG_IGN;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGXFSZ, &ign, &prev);    /* ignoring discards the pending one */
        sigaction(SIGXFSZ, &prev, NULL);
    }
    sigprocmask(SIG_SETMASK, old, NULL);
}

static char *refusal(const char *path, const char *why)
{
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s %s; not written (--force writes it anyway)", path, why);
    return strbuf_take(&b);
}

int edit_write_atomic(const char *path, const char *expect, size_t expect_len,
                      const struct stat *expect_st, const char *data, size_t len,
                      int force, char **notice, char **err)
{
    *err = NULL;
    if (notice) *notice = NULL;
    char target[PATH_MAX];
    if (step(EDIT_STEP_RESOLVE) != 0 || !realpath(path, target)) {
        *err = msg("cannot resolve", path, errno);
        return -1;
    }
    /* what the rename would silently change: refused unless forced */
    if (!force && ((expect_st->st_mode & 0222) == 0 || access(target, W_OK) != 0)) {
        *err = refusal(path, "is read-only");
        return -1;
    }
    if (expect_st->st_nlink > 1) {
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "has %lu hard links: replacing it gives this name the new text and leaves the "
                      "other names with the old one", (unsigned long)expect_st->st_nlink);
        if (strbuf_failed(&b)) { strbuf_free(&b); return -1; }
        const char *what_links = strbuf_cstr(&b);
        if (!force) {
            *err = refusal(path, what_links);
            strbuf_free(&b);
            return -1;
        }
        if (notice) {
            StrBuf nb = STRBUF_INIT;
            strbuf_printf(&nb, "%s %s", path, what_links);
            *notice = strbuf_take(&nb);
        }
        strbuf_free(&b);
    }
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) : 0;
    const char *base = slash ? slash + 1 : target;
    StrBuf tb = STRBUF_INIT;
    strbuf_printf(&tb, "%.*s/.%s.nfp-XXXXXX", (int)dirlen, target, base);
    char *tmp = strbuf_take(&tb);
    if (!tmp) goto fail_nomem;

    sigset_t guard, old;
    guarded_signals(&guard);
    sigprocmask(SIG_BLOCK, &guard, &old);
    int fd = -1;
    const char *what = "cannot create a temporary file next to";
    if (step(EDIT_STEP_OPEN_TEMP) != 0 || (fd = mkstemp(tmp)) < 0) goto fail_noclean;
    what = "cannot write a temporary file next to";
    if (step(EDIT_STEP_WRITE) != 0 || write_all(fd, data, len) != 0) goto fail;
    /* owner and group before the mode: chown may clear set-id bits */
    {
        struct stat tst;
        what = "cannot keep the owner and group of";
        if (step(EDIT_STEP_CHOWN) != 0 || fstat(fd, &tst) != 0) goto fail;
        if ((tst.st_uid != expect_st->st_uid || tst.st_gid != expect_st->st_gid) &&
            fchown(fd, expect_st->st_uid, expect_st->st_gid) != 0 && !force) {
            int e = errno;
            close(fd);
            unlink(tmp);
            release_signals(&old);
            np_free(tmp);
            StrBuf b = STRBUF_INIT;
            strbuf_printf(&b, "%s: cannot keep its owner and group (%s); not written "
                          "(--force writes it anyway, owned by you)", path, strerror(e));
            *err = strbuf_take(&b);
            return -1;
        }
    }
    what = "cannot set the mode of a temporary file next to";
    if (step(EDIT_STEP_CHMOD) != 0 || fchmod(fd, expect_st->st_mode & 07777) != 0) goto fail;
    what = "cannot flush a temporary file next to";
    if (step(EDIT_STEP_FSYNC) != 0 || fsync(fd) != 0) goto fail;
    what = "cannot close a temporary file next to";
    {
        int hook_failed = step(EDIT_STEP_CLOSE) != 0;
        int rc = close(fd);
        fd = -1;
        if (hook_failed || rc != 0) goto fail;
    }
    if (step(EDIT_STEP_RECHECK) != 0 || !unchanged(target, expect, expect_len, expect_st)) {
        unlink(tmp);
        release_signals(&old);
        np_free(tmp);
        StrBuf b = STRBUF_INIT;
        strbuf_printf(&b, "%s changed while nf-preflight was working on it; not written", path);
        *err = strbuf_take(&b);
        return -1;
    }
    what = "cannot replace";
    if (step(EDIT_STEP_RENAME) != 0 || rename(tmp, target) != 0) goto fail;
    release_signals(&old);
    /* make the rename itself durable; a failure here does not undo anything */
    {
        StrBuf db = STRBUF_INIT;
        strbuf_printf(&db, "%.*s", (int)(dirlen ? dirlen : 1), dirlen ? target : "/");
        const char *dir = strbuf_cstr(&db);
        int dfd = strbuf_failed(&db) ? -1 : open(dir, O_RDONLY);
        if (dfd >= 0) { fsync(dfd); close(dfd); }
        strbuf_free(&db);
    }
    np_free(tmp);
    return 0;

fail: {
        int e = errno;
        if (fd >= 0) close(fd);
        unlink(tmp);
        errno = e;
    }
fail_noclean: {
        int e = errno;
        release_signals(&old);
        np_free(tmp);
        *err = msg(what, path, e);
        return -1;
    }
fail_nomem:
    if (notice) { np_free(*notice); *notice = NULL; }
    return -1;
}
