/* fix and edit: the injection shapes on text layers, the unified diff, and
 * fix --write's atomic replacement failing at every step (the original must
 * survive each failure, and no temporary file may be left behind). */
#include "alloc.h"
#include "edit.h"
#include "fix.h"
#include "tap.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static ResolveOptions clean_opts(void)
{
    ResolveOptions o;
    memset(&o, 0, sizeof o);
    o.clean_env = 1;
    return o;
}

/* fix_config_text on one text layer; returns the patched text (static) or
 * NULL when refused. *rc gets the exit code. */
static char *fix_text(const char *text, const char *const *profiles, size_t np, int *rc, FixHow *how)
{
    static char buf[8192];
    Layer L;
    memset(&L, 0, sizeof L);
    L.text = text;
    L.len = strlen(text);
    L.name = "t.config";
    L.base_dir = ".";
    ResolveOptions o = clean_opts();
    o.profiles = profiles;
    o.nprofiles = np;
    o.profiles_given = np > 0;
    DiagList d = {0};
    FixResult r;
    char *err = NULL;
    *rc = fix_config_text(&L, 1, 0, &o, &r, &d, &err);
    np_free(err);
    diag_list_free(&d);
    if (*rc != 0) return NULL;
    if (how) *how = r.how;
    snprintf(buf, sizeof buf, "%.*s", (int)r.len, r.text);
    fix_result_free(&r);
    return buf;
}

static void test_shapes(void)
{
    int rc;
    FixHow how;
    /* no wave block: appended after a blank line, final newline kept */
    CHECK_STR(fix_text("process.cpus = 2\n", NULL, 0, &rc, &how),
              "process.cpus = 2\n\nwave {\n    enabled = true\n}\n");
    CHECK(how == FIX_HOW_APPEND);
    /* block without enabled: inserted with the block's indentation */
    CHECK_STR(fix_text("wave {\n  strategy = 'conda'\n}\n", NULL, 0, &rc, &how),
              "wave {\n  strategy = 'conda'\n  enabled = true\n}\n");
    CHECK(how == FIX_HOW_INSERT);
    /* enabled = false flipped in place, comment kept */
    CHECK_STR(fix_text("wave.enabled = false // off\n", NULL, 0, &rc, &how), "wave.enabled = true // off\n");
    CHECK(how == FIX_HOW_FLIP);
    /* the string 'true' becomes the boolean */
    CHECK_STR(fix_text("wave { enabled = 'true' }\n", NULL, 0, &rc, NULL), "wave { enabled = true }\n");
    /* no final newline stays without one; CRLF stays CRLF */
    CHECK_STR(fix_text("a = 1", NULL, 0, &rc, NULL), "a = 1\n\nwave {\n    enabled = true\n}");
    CHECK_STR(fix_text("a = 1\r\n", NULL, 0, &rc, NULL), "a = 1\r\n\r\nwave {\r\n    enabled = true\r\n}\r\n");
    /* empty text */
    CHECK_STR(fix_text("", NULL, 0, &rc, NULL), "wave {\n    enabled = true\n}\n");
    /* tabs */
    CHECK_STR(fix_text("wave {\n\t// later\n}\n", NULL, 0, &rc, NULL), "wave {\n\t// later\n\tenabled = true\n}\n");
    /* false set later in the file: the later assignment is the one flipped */
    CHECK_STR(fix_text("wave { enabled = true }\nwave.enabled = false\n", NULL, 0, &rc, NULL),
              "wave { enabled = true }\nwave.enabled = true\n");
    /* disabled in the selected profile */
    const char *prof[] = {"off"};
    CHECK_STR(fix_text("wave.enabled = true\nprofiles { off { wave.enabled = false } }\n", prof, 1, &rc, NULL),
              "wave.enabled = true\nprofiles { off { wave.enabled = true } }\n");
    /* a computed false is overridden by a block at the end, not rewritten */
    CHECK_STR(fix_text("params.w = false\nwave.enabled = params.w\n", NULL, 0, &rc, &how),
              "params.w = false\nwave.enabled = params.w\n\nwave {\n    enabled = true\n}\n");
    CHECK(how == FIX_HOW_APPEND);
    /* already on: unchanged text, exit 0 */
    CHECK_STR(fix_text("wave.enabled = true\n", NULL, 0, &rc, NULL), "wave.enabled = true\n");
    CHECK(rc == 0);
    /* refused: syntax errors, and values only known at run time */
    CHECK(fix_text("wave {\n", NULL, 0, &rc, NULL) == NULL && rc == 1);
    CHECK(fix_text("wave.enabled = someName\n", NULL, 0, &rc, NULL) == NULL && rc == 1);
    /* `wave = true` cannot take a block without changing another key */
    CHECK(fix_text("wave = true\n", NULL, 0, &rc, NULL) == NULL && rc == 1);
}

static void test_fixed_point(void)
{
    /* a second fix of every output is a no-op */
    const char *inputs[] = {"a = 1\n", "wave {\n}\n", "wave.enabled = 'yes'\n", "wave { strategy = 'conda' }\n"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        int rc;
        char *once = fix_text(inputs[i], NULL, 0, &rc, NULL);
        CHECK(once != NULL);
        if (!once) continue;
        char copy[8192];
        snprintf(copy, sizeof copy, "%s", once);
        char *twice = fix_text(copy, NULL, 0, &rc, NULL);
        CHECK_STR(twice, copy);
    }
}

static void test_splice_and_diff(void)
{
    Edit e[2] = {{2, 3, "XY"}, {5, 5, "!"}};
    StrBuf b = STRBUF_INIT;
    CHECK(edit_splice("abcdef", 6, e, 2, &b) == 0);
    CHECK_STR(strbuf_cstr(&b), "abXYde!f");
    strbuf_free(&b);
    Edit bad[2] = {{4, 5, "x"}, {1, 2, "y"}};        /* out of order */
    CHECK(edit_splice("abcdef", 6, bad, 2, &b) == -1);
    strbuf_free(&b);

    const char *a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    const char *c = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
    CHECK(edit_unified_diff("f", a, strlen(a), "f", c, strlen(c), &b) == 0);
    CHECK_STR(strbuf_cstr(&b), "--- f\n+++ f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
    strbuf_free(&b);
    /* appending to a file without a final newline */
    CHECK(edit_unified_diff("f", "a", 1, "f", "a\nb\n", 4, &b) == 0);
    CHECK_STR(strbuf_cstr(&b), "--- f\n+++ f\n@@ -1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n");
    strbuf_free(&b);
    /* two far-apart changes make two hunks */
    const char *d = "one\n2\n3\n4\n5\n6\n7\n8\n9\nten\n";
    CHECK(edit_unified_diff("f", a, strlen(a), "f", d, strlen(d), &b) == 0);
    CHECK_STR(strbuf_cstr(&b), "--- f\n+++ f\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -7,4 +7,4 @@\n 7\n 8\n 9\n-10\n+ten\n");
    strbuf_free(&b);
    CHECK(edit_unified_diff("f", a, strlen(a), "f", a, strlen(a), &b) == 0 && b.len == 0);
    strbuf_free(&b);

    CHECK_STR(edit_newline("a\r\nb\n", 5), "\r\n");
    CHECK_STR(edit_newline("a\nb\r\n", 5), "\n");
    CHECK_STR(edit_indent_unit("a {\n  b {\n    c = 1\n  }\n}\n", 26), "  ");
    CHECK_STR(edit_indent_unit("a {\n\tb = 1\n}\n", 12), "\t");
    CHECK_STR(edit_indent_unit("a = 1\n", 6), "    ");
}

/* ---------------- atomic writes ---------------- */

static char dir[256];

static int fail_step = -1;
static int hook_fail(EditStep s, void *ctx)
{
    (void)ctx;
    return (int)s == fail_step;
}

/* Changes the target behind our back just before the re-check. */
static int hook_meddle(EditStep s, void *ctx)
{
    if (s == EDIT_STEP_RECHECK) {
        FILE *f = fopen((const char *)ctx, "ab");
        if (f) { fputs("// someone else\n", f); fclose(f); }
    }
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    char *t = NULL, *err = NULL;
    struct stat st;
    if (edit_read_file(path, &t, len, &st, &err) != 0) { np_free(err); return NULL; }
    return t;
}

static int count_entries(const char *d)
{
    int n = 0;
    DIR *dp = opendir(d);
    if (!dp) return -1;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(dp);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) { fputs(text, f); fclose(f); }
}

static void test_atomic_write(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/nextflow.config", dir);
    const char *orig = "process.cpus = 2\n";
    const char *neu = "process.cpus = 2\n\nwave {\n    enabled = true\n}\n";
    for (int s = 0; s < EDIT_STEP_COUNT; s++) {
        write_file(path, orig);
        chmod(path, 0640);
        size_t len;
        struct stat st;
        char *have = NULL, *err = NULL;
        CHECK(edit_read_file(path, &have, &len, &st, &err) == 0);
        fail_step = s;
        edit_set_step_hook(hook_fail, NULL);
        int rc = edit_write_atomic(path, have, len, &st, neu, strlen(neu), 0, NULL, &err);
        edit_set_step_hook(NULL, NULL);
        CHECK_MSG(rc == -1 && err != NULL, "step %s should fail", edit_step_name((EditStep)s));
        np_free(err);
        np_free(have);
        size_t l2;
        char *now = slurp(path, &l2);
        CHECK_MSG(now && !strcmp(now, orig), "original intact after failing %s", edit_step_name((EditStep)s));
        np_free(now);
        CHECK_MSG(count_entries(dir) == 1, "no temporary file left after failing %s", edit_step_name((EditStep)s));
    }
    /* success: content, mode kept */
    write_file(path, orig);
    chmod(path, 0640);
    size_t len;
    struct stat st;
    char *have = NULL, *err = NULL;
    CHECK(edit_read_file(path, &have, &len, &st, &err) == 0);
    CHECK(edit_write_atomic(path, have, len, &st, neu, strlen(neu), 0, NULL, &err) == 0);
    np_free(have);
    char *now = slurp(path, &len);
    CHECK_STR(now, neu);
    np_free(now);
    struct stat st2;
    CHECK(stat(path, &st2) == 0 && (st2.st_mode & 07777) == 0640);
    CHECK(count_entries(dir) == 1);

    /* a change while we work is refused, and the other writer's bytes stay */
    write_file(path, orig);
    CHECK(edit_read_file(path, &have, &len, &st, &err) == 0);
    edit_set_step_hook(hook_meddle, path);
    CHECK(edit_write_atomic(path, have, len, &st, neu, strlen(neu), 0, NULL, &err) == -1);
    edit_set_step_hook(NULL, NULL);
    CHECK(err && strstr(err, "changed while"));
    np_free(err);
    err = NULL;
    np_free(have);
    now = slurp(path, &len);
    CHECK_STR(now, "process.cpus = 2\n// someone else\n");
    np_free(now);
    CHECK(count_entries(dir) == 1);

    /* a symlink: the file it points to is replaced, the link stays a link */
    char link[512];
    snprintf(link, sizeof link, "%s/link.config", dir);
    write_file(path, orig);
    CHECK(symlink("nextflow.config", link) == 0);
    CHECK(edit_read_file(link, &have, &len, &st, &err) == 0);
    CHECK(edit_write_atomic(link, have, len, &st, neu, strlen(neu), 0, NULL, &err) == 0);
    np_free(have);
    struct stat lst;
    CHECK(lstat(link, &lst) == 0 && S_ISLNK(lst.st_mode));
    now = slurp(path, &len);
    CHECK_STR(now, neu);
    np_free(now);
    unlink(link);
}


/* reads `path` and tries to replace it by `neu`; returns edit_write_atomic's
 * result, *err / *notice as it left them */
static int try_write(const char *path, const char *neu, int force, char **notice, char **err)
{
    char *have = NULL;
    size_t len;
    struct stat st;
    *err = NULL;
    if (edit_read_file(path, &have, &len, &st, err) != 0) return -2;
    int rc = edit_write_atomic(path, have, len, &st, neu, strlen(neu), force, notice, err);
    np_free(have);
    return rc;
}

static int raise_at_write(EditStep s, void *ctx)
{
    if (s == EDIT_STEP_WRITE) raise(*(int *)ctx);
    return 0;
}

/* The safety rules of --write: read-only and hard-linked files refused unless
 * forced, owner/group/mode kept, no temporary file after a signal or a
 * file-size limit, a FIFO never opened for good. */
static void test_write_safety(void)
{
    char path[512], link2[512], fifo[512];
    snprintf(path, sizeof path, "%s/safe.config", dir);
    snprintf(link2, sizeof link2, "%s/other-name.config", dir);
    snprintf(fifo, sizeof fifo, "%s/pipe.config", dir);
    const char *orig = "process.cpus = 2\n";
    const char *neu = "wave.enabled = true\n";
    char *err = NULL, *notice = NULL;
    int before = count_entries(dir);

    /* read-only: refused, untouched; --force writes and keeps the mode */
    write_file(path, orig);
    chmod(path, 0444);
    CHECK(try_write(path, neu, 0, &notice, &err) == -1 && err && strstr(err, "read-only") && strstr(err, "--force"));
    np_free(err);
    char *now = slurp(path, &(size_t){0});
    CHECK_STR(now, orig);
    np_free(now);
    CHECK(try_write(path, neu, 1, &notice, &err) == 0 && !notice);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0444);
    now = slurp(path, &(size_t){0});
    CHECK_STR(now, neu);
    np_free(now);
    chmod(path, 0644);

    /* a hard link: refused; forced, the note says the other name keeps the old text */
    write_file(path, orig);
    CHECK(link(path, link2) == 0);
    CHECK(try_write(path, neu, 0, &notice, &err) == -1 && err && strstr(err, "2 hard links"));
    np_free(err);
    now = slurp(link2, &(size_t){0});
    CHECK_STR(now, orig);
    np_free(now);
    CHECK(try_write(path, neu, 1, &notice, &err) == 0 && notice && strstr(notice, "hard links"));
    np_free(notice);
    notice = NULL;
    unlink(link2);

    /* owner and group kept (only root can give a file away) */
    if (geteuid() == 0) {
        write_file(path, orig);
        CHECK(chown(path, 65534, 65534) == 0);
        chmod(path, 0664);
        CHECK(try_write(path, neu, 0, &notice, &err) == 0);
        CHECK(stat(path, &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534 && (st.st_mode & 07777) == 0664);
        CHECK(chown(path, 0, 0) == 0);
    } else {
        printf("skip: owner and group kept: needs root to give the file away\n");
    }

    /* a signal in the middle: the process dies, after the temporary file is gone */
    int sigs[] = {SIGTERM, SIGINT};
    for (size_t i = 0; i < 2; i++) {
        write_file(path, orig);
        pid_t pid = fork();
        if (pid == 0) {
            signal(sigs[i], SIG_DFL);
            edit_set_step_hook(raise_at_write, &sigs[i]);
            char *e2 = NULL;
            try_write(path, neu, 0, NULL, &e2);
            _exit(0);   /* not reached: the held signal ends the process after the rename */
        }
        int ws = 0;
        waitpid(pid, &ws, 0);
        CHECK_MSG(WIFSIGNALED(ws) && WTERMSIG(ws) == sigs[i], "signal %d ends the write", sigs[i]);
        CHECK_MSG(count_entries(dir) == before + 1, "no temporary file left by signal %d", sigs[i]);
    }
    /* a file-size limit: the write fails with a message, nothing is left */
    write_file(path, orig);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit rl = {4, 4};
        setrlimit(RLIMIT_FSIZE, &rl);
        char *e2 = NULL;
        int rc = try_write(path, "wave.enabled = true // longer than four bytes\n", 0, NULL, &e2);
        _exit(rc == -1 && e2 && strstr(e2, "cannot write") ? 7 : 1);
    }
    int ws = 0;
    waitpid(pid, &ws, 0);
    CHECK_MSG(WIFEXITED(ws) && WEXITSTATUS(ws) == 7, "SIGXFSZ: a failed write, not a killed process (status %d)", ws);
    CHECK(count_entries(dir) == before + 1);
    now = slurp(path, &(size_t){0});
    CHECK_STR(now, orig);
    np_free(now);

    /* a FIFO is refused at once instead of waiting for a writer */
    CHECK(mkfifo(fifo, 0600) == 0);
    char *t = NULL;
    size_t len;
    CHECK(edit_read_file(fifo, &t, &len, &st, &err) == -1 && err && strstr(err, "is a FIFO, socket or device"));
    np_free(err);
    unlink(fifo);
    unlink(path);
}

/* fix_command --write end to end, failing the rename: the file is untouched. */
static void test_command_write(void)
{
    char path[512];
    snprintf(path, sizeof path, "%s/cmd.config", dir);
    const char *orig = "wave.enabled = false\n";
    write_file(path, orig);
    Layer L;
    memset(&L, 0, sizeof L);
    L.path = path;
    L.base_dir = dir;
    ResolveOptions o = clean_opts();
    FixRequest req = {&L, 1, 0, NULL, &o, 1, 0, 0, NULL, NULL, NULL};
    StrBuf out = STRBUF_INIT;
    DiagList d = {0};
    char *err = NULL;
    fail_step = EDIT_STEP_RENAME;
    edit_set_step_hook(hook_fail, NULL);
    CHECK(fix_command(&req, &out, &d, &err) == 3);
    edit_set_step_hook(NULL, NULL);
    CHECK(err != NULL);
    np_free(err);
    err = NULL;
    size_t len;
    char *now = slurp(path, &len);
    CHECK_STR(now, orig);
    np_free(now);
    /* without the failure it writes, prints nothing, and a second run has nothing to do */
    CHECK(fix_command(&req, &out, &d, &err) == 0 && out.len == 0);
    now = slurp(path, &len);
    CHECK_STR(now, "wave.enabled = true\n");
    np_free(now);
    struct stat st1, st2;
    stat(path, &st1);
    CHECK(fix_command(&req, &out, &d, &err) == 0);
    stat(path, &st2);
    CHECK(st1.st_ino == st2.st_ino);          /* not rewritten */
    diag_list_free(&d);
    strbuf_free(&out);
    unlink(path);
}

/* Every allocation in fix_config_text may fail: the result is then exit 3 (or
 * a clean refusal), never a crash or a leak (valgrind/ASan runs catch leaks). */
static void test_alloc_failures(void)
{
    int completed = 0;
    for (unsigned long n = 1; n < 4000 && !completed; n++) {
        Layer L;
        memset(&L, 0, sizeof L);
        L.text = "process.cpus = 2\nwave {\n    strategy = 'conda'\n}\n";
        L.len = strlen(L.text);
        L.name = "t.config";
        ResolveOptions o = clean_opts();
        DiagList d = {0};
        FixResult r;
        char *err = NULL;
        alloc_fail_at(n);
        int rc = fix_config_text(&L, 1, 0, &o, &r, &d, &err);
        int failed = alloc_failed();
        alloc_fail_at(0);
        if (!failed) {
            completed = 1;
            CHECK(rc == 0 && r.changed);
        } else {
            CHECK_MSG(rc == 3 || rc == 1 || rc == 0, "alloc %lu: rc %d", n, rc);
        }
        if (rc == 0) fix_result_free(&r);
        np_free(err);
        diag_list_free(&d);
    }
    CHECK(completed);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/nfp-fix-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    test_shapes();
    test_fixed_point();
    test_splice_and_diff();
    test_atomic_write();
    test_write_safety();
    test_command_write();
    test_alloc_failures();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    TEST_MAIN_END();
}
