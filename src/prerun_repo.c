/* prerun_repo — see prerun_repo.h. */
#define _GNU_SOURCE
#include "prerun_repo.h"
#include "alloc.h"
#include "http.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

/* ---------------- untrusted input ---------------- */

static int has_prefix_ci(const char *s, const char *p)
{
    return strncasecmp(s, p, strlen(p)) == 0;
}

/* A revision git is given as an argument: a branch, tag or commit id.
 * Nothing that could read as an option or a refspec with a colon, no
 * control characters, bounded. */
static int revision_ok(const char *rev)
{
    size_t n = strlen(rev);
    if (n == 0 || n > 255 || rev[0] == '-' || strstr(rev, "..") || strchr(rev, ':')) return 0;
    /* no empty or "." segment: the revision is a path in a raw URL too */
    if (rev[0] == '/' || rev[n - 1] == '/' || strstr(rev, "//") || !strcmp(rev, ".") || !strncmp(rev, "./", 2) ||
        strstr(rev, "/./") || (n >= 2 && !strcmp(rev + n - 2, "/.")))
        return 0;
    for (const unsigned char *p = (const unsigned char *)rev; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '\\' || *p == '~' || *p == '^' || *p == '?' || *p == '*' ||
            *p == '[')
            return 0;
    return 1;
}

/* A host nothing in a launch should point git at without the operator's
 * leave: loopback, link-local (cloud metadata), unspecified. Only literals
 * can be seen here; a name that resolves there is git's to reach. */
static int local_host(const char *host)
{
    return !strcmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "::1") ||
           !strncmp(host, "169.254.", 8) || !strcmp(host, "0.0.0.0") || !strncasecmp(host, "fe80:", 5) ||
           !strcmp(host, "::");
}

/* The URL git is given, or NULL with *why: https:// always; file:// (where
 * --depth applies, unlike a plain path) only when allowed. */
static char *git_url(const RepoFetch *f, const char **why)
{
    const char *u = f->url;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p == 0x7f) { *why = "it contains spaces or control characters"; return NULL; }
    if (has_prefix_ci(u, "https://")) {
        char *host = http_url_host(u);
        if (!host) { *why = "it names no host"; return NULL; }
        int local = local_host(host);
        np_free(host);
        if (local && !f->allow_local) {
            *why = "it names a loopback or link-local host (allowed with --allow-local-repository)";
            return NULL;
        }
        return np_strdup(u);
    }
    if (has_prefix_ci(u, "file://")) {
        /* Nextflow clones a file: URL as a repository (a plain path it runs
         * as it is: prerun_local_pipeline) */
        if (!f->allow_local) {
            *why = "it is a local repository (allowed with --allow-local-repository)";
            return NULL;
        }
        return np_strdup(u);
    }
    *why = "only https:// repositories are fetched";
    return NULL;
}

/* ---------------- the temporary directory and its guardian ---------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (flag == FTW_DP) rmdir(path);
    else unlink(path);
    return 0;
}

static void remove_tree(const char *dir)
{
    /* git's own children may still be writing for a moment after a kill */
    for (int pass = 0; pass < 5; pass++) {
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        struct stat st;
        if (lstat(dir, &st) != 0) return;
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
}

/* Forks the guardian: it waits for the pipe to close (nf-preflight ended,
 * however) and removes `dir`. Called while nf-preflight is single-threaded
 * (before the check starts its read-ahead thread). 0 when it cannot run:
 * the directory is then removed by repo_checkout_free only. */
static int start_guardian(RepoCheckout *c)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return 0;
    pid_t pid = fork();
    if (pid < 0) { close(fds[0]); close(fds[1]); return 0; }
    if (pid == 0) {
        /* the terminal's ^C and a kill of the group must not stop it first */
        signal(SIGINT, SIG_IGN); signal(SIGTERM, SIG_IGN); signal(SIGHUP, SIG_IGN); signal(SIGQUIT, SIG_IGN);
        close(fds[1]);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) { dup2(null, 0); dup2(null, 1); dup2(null, 2); if (null > 2) close(null); }
        /* nf-preflight writes the process group of the git it runs (0 once
         * it ended); at the end of the pipe that group is killed, so that
         * git's helpers (git-remote-https) do not outlive it */
        pid_t group = 0, msg;
        for (;;) {
            ssize_t r = read(fds[0], &msg, sizeof msg);
            if (r == (ssize_t)sizeof msg) group = msg;
            else if (r == 0 || (r < 0 && errno != EINTR)) break;
        }
        if (group > 0) kill(-group, SIGKILL);
        remove_tree(c->root);
        _exit(0);
    }
    close(fds[0]);
    c->guard_fd = fds[1];
    c->guardian = pid;
    return 1;
}

void repo_checkout_free(RepoCheckout *c)
{
    if (!c) return;
    if (c->root) remove_tree(c->root);
    if (c->guard_fd >= 0) close(c->guard_fd);
    if (c->guardian > 0) while (waitpid(c->guardian, NULL, 0) < 0 && errno == EINTR) {}
    np_free(c->root);
    np_free(c->dir);
    np_free(c->raw_base);
    np_free(c->root_config);
    np_free(c->read_error);
    memset(c, 0, sizeof *c);
    c->guard_fd = -1;
}

/* ---------------- running git ---------------- */

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

char *repo_find_git(void)
{
    const char *path = getenv("PATH");
    if (!path || !*path) return NULL;
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, ":");
        if (n) {
            StrBuf b = STRBUF_INIT;
            strbuf_append(&b, p, n);
            strbuf_puts(&b, "/git");
            char *cand = strbuf_take(&b);
            if (cand && access(cand, X_OK) == 0) return cand;
            np_free(cand);
        }
        p += n;
        if (*p == ':') p++;
    }
    return NULL;
}

/* The environment git runs with: nothing of the operator's git or curl
 * set-up (no GIT_DIR, config, credential helpers or ~/.netrc), only the
 * network settings (proxies, CA bundle). */
static char **git_env(const RepoCheckout *c)
{
    static const char *const kept[] = {"PATH", "http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                                       "no_proxy", "NO_PROXY"};
    size_t nk = sizeof kept / sizeof kept[0];
    char **env = np_calloc(nk + 12, sizeof *env);
    if (!env) return NULL;
    size_t n = 0;
    StrBuf b = STRBUF_INIT;
    for (size_t i = 0; i < nk; i++) {
        const char *v = getenv(kept[i]);
        if (!v) continue;
        strbuf_printf(&b, "%s=%s", kept[i], v);
        env[n++] = strbuf_take(&b);
    }
    strbuf_printf(&b, "HOME=%s/home", c->root);
    env[n++] = strbuf_take(&b);
    strbuf_printf(&b, "XDG_CONFIG_HOME=%s/home", c->root);
    env[n++] = strbuf_take(&b);
    const char *ca = getenv("SSL_CERT_FILE");
    if (ca && *ca) {
        /* git's libcurl may be built on GnuTLS, which does not read SSL_CERT_FILE */
        strbuf_printf(&b, "GIT_SSL_CAINFO=%s", ca);
        env[n++] = strbuf_take(&b);
    }
    static const char *const fixed[] = {"GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
                                        "GIT_ASKPASS=/bin/false", "SSH_ASKPASS=/bin/false", "LC_ALL=C",
                                        "GIT_PROTOCOL_FROM_USER=0"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) env[n++] = np_strdup(fixed[i]);
    int ok = 1;
    for (size_t i = 0; i < n; i++) ok &= env[i] != NULL;
    if (!ok) {
        for (size_t i = 0; i < n; i++) np_free(env[i]);
        np_free(env);
        return NULL;
    }
    return env;
}

static void free_strv(char **v)
{
    if (!v) return;
    for (size_t i = 0; v[i]; i++) np_free(v[i]);
    np_free(v);
}

/* Runs git with `args` (after the fixed -c options) in `cwd`, until
 * `deadline` (monotonic ms). 0 on success; else -1 with *err saying why,
 * with the end of git's own message. */
/* Tells the guardian which process group to kill should nf-preflight die. */
static void tell_guardian(const RepoCheckout *c, pid_t group)
{
    if (c->guard_fd < 0) return;
    while (write(c->guard_fd, &group, sizeof group) < 0 && errno == EINTR) {}
}

static int run_git(const char *git, const RepoFetch *f, const RepoCheckout *c, const char *cwd,
                   const char *const *args, long deadline, char **err)
{
    const char *fixed[] = {"git", "-c", "protocol.allow=never", "-c", "protocol.https.allow=always",
                           "-c", f->allow_local ? "protocol.file.allow=always" : "protocol.file.allow=never",
                           "-c", "credential.helper=", "-c", "core.hooksPath=/dev/null", "-c", "core.symlinks=false",
                           "-c", "core.fsmonitor=false", "-c", "submodule.recurse=false",
                           "-c", "advice.detachedHead=false", "-c", f->insecure ? "http.sslVerify=false" : "http.sslVerify=true"};
    size_t nf = sizeof fixed / sizeof fixed[0], na = 0;
    while (args[na]) na++;
    const char **argv = np_calloc(nf + na + 1, sizeof *argv);
    char **env = git_env(c);
    int out[2] = {-1, -1};
    if (!argv || !env || pipe2(out, O_CLOEXEC) != 0) {
        np_free(argv);
        free_strv(env);
        if (out[0] >= 0) { close(out[0]); close(out[1]); }
        *err = np_strdup("git could not be started (out of memory or file descriptors)");
        return -1;
    }
    memcpy(argv, fixed, nf * sizeof *argv);
    memcpy(argv + nf, args, na * sizeof *argv);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);   /* a time-out kills git's helpers with it */
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
        struct rlimit lim = {(rlim_t)REPO_MAX_FILE_BYTES, (rlim_t)REPO_MAX_FILE_BYTES};
        setrlimit(RLIMIT_FSIZE, &lim);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0) dup2(null, 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        if (chdir(cwd) != 0) _exit(127);
        execve(git, (char *const *)argv, env);
        _exit(127);
    }
    close(out[1]);
    np_free(argv);
    free_strv(env);
    if (pid > 0) {
        setpgid(pid, pid);   /* as the child does: no window before the guardian knows it */
        tell_guardian(c, pid);
    }
    if (pid < 0) {
        close(out[0]);
        *err = np_strdup("git could not be started (fork failed)");
        return -1;
    }
    /* keep the last 300 bytes of what git says, for the message */
    char tail[301];
    size_t tlen = 0;
    int timed_out = 0, open_out = 1;
    while (open_out) {
        long left = deadline - mono_ms();
        if (left <= 0) { timed_out = 1; break; }
        struct pollfd pfd = {out[0], POLLIN, 0};
        int pr = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
        if (pr < 0 && errno != EINTR) break;
        if (pr <= 0) continue;
        char buf[512];
        ssize_t r = read(out[0], buf, sizeof buf);
        if (r <= 0) { if (r < 0 && errno == EINTR) continue; open_out = 0; break; }
        for (ssize_t i = 0; i < r; i++) {
            if (tlen == sizeof tail - 1) { memmove(tail, tail + 1, tlen - 1); tlen--; }
            tail[tlen++] = buf[i] == '\n' || buf[i] == '\r' || (unsigned char)buf[i] < 0x20 ? ' ' : buf[i];
        }
    }
    close(out[0]);
    int status = 0;
    if (timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    /* helpers that outlived git itself go with it */
    kill(-pid, SIGKILL);
    tell_guardian(c, 0);
    tail[tlen] = '\0';
    while (tlen && tail[tlen - 1] == ' ') tail[--tlen] = '\0';
    StrBuf m = STRBUF_INIT;
    if (timed_out) strbuf_printf(&m, "git %s did not finish within %ld s", args[0], (f->timeout_ms > 0 ? f->timeout_ms : REPO_TIMEOUT_MS) / 1000);
    else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXFSZ)
        strbuf_printf(&m, "git %s stopped: a file exceeded %ld MiB", args[0], REPO_MAX_FILE_BYTES >> 20);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        strbuf_printf(&m, "git %s failed%s%s", args[0], tlen ? ": " : "", tail);
    else return 0;
    *err = strbuf_take(&m);
    return -1;
}

/* ---------------- the HTTPS way ---------------- */

/* Appends `path` with each segment percent-encoded and the slashes kept
 * (a branch "feature/x" or a file "conf/base.config"). 0 when memory ran out. */
static int append_escaped_path(StrBuf *b, const char *path)
{
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        char *seg = np_strndup(p, n);
        char *esc = seg ? http_url_escape(seg) : NULL;
        np_free(seg);
        if (!esc) return 0;
        strbuf_puts(b, esc);
        np_free(esc);
        p += n;
        if (*p == '/') { strbuf_putc(b, '/'); p++; }
    }
    return !strbuf_failed(b);
}

char *repo_raw_base(const char *url, const char *revision, int *nomem)
{
    *nomem = 0;
    /* where each host serves a file at a revision: before and after "owner/name" */
    static const struct { const char *prefix, *raw, *at; } hosts[] = {
        {"https://github.com/", "https://raw.githubusercontent.com/", "/"},
        {"https://gitlab.com/", "https://gitlab.com/", "/-/raw/"},
        {"https://bitbucket.org/", "https://bitbucket.org/", "/raw/"},
    };
    if (!url || !revision || !revision_ok(revision)) return NULL;
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++) {
        size_t pl = strlen(hosts[i].prefix);
        if (strncasecmp(url, hosts[i].prefix, pl) != 0) continue;
        const char *path = url + pl;
        size_t n = strlen(path);
        while (n && path[n - 1] == '/') n--;
        if (n > 4 && !strncmp(path + n - 4, ".git", 4)) n -= 4;
        /* owner/name (GitLab: groups/…/name): safe characters only */
        if (!n || path[0] == '/' || memchr(path, '?', n) || memchr(path, '#', n) || memchr(path, '%', n) ||
            strstr(path, ".."))
            return NULL;
        StrBuf b = STRBUF_INIT;
        strbuf_puts(&b, hosts[i].raw);
        strbuf_append(&b, path, n);
        strbuf_puts(&b, hosts[i].at);
        if (!append_escaped_path(&b, revision)) { strbuf_free(&b); *nomem = 1; return NULL; }
        strbuf_putc(&b, '/');
        char *r = strbuf_take(&b);
        if (!r) *nomem = 1;
        return r;
    }
    return NULL;
}

/* Reads `rel` (a path inside the repository) at raw_base over HTTPS.
 * REPO_OK with the text in *body and *len; REPO_UNAVAILABLE with *why (np_malloc'd) and
 * *missing set on a 404; REPO_NOMEM. */
static int read_raw(const RepoCheckout *c, const char *rel, char **body, size_t *len, int *missing, char **why)
{
    *body = NULL;
    *len = 0;
    *missing = 0;
    *why = NULL;
    StrBuf u = STRBUF_INIT;
    strbuf_puts(&u, c->raw_base);
    if (!append_escaped_path(&u, rel)) { strbuf_free(&u); return REPO_NOMEM; }
    char *url = strbuf_take(&u);
    if (!url) return REPO_NOMEM;
    HttpRequest req;
    memset(&req, 0, sizeof req);
    req.url = url;
    req.max_body = REPO_MAX_CONFIG_BYTES;
    req.insecure = c->insecure;
    HttpResponse resp;
    char *herr = NULL;
    int hc = http_get(&req, &resp, &herr);
    int code = REPO_OK;
    StrBuf m = STRBUF_INIT;
    if (hc == HTTP_ERR_NOMEM) code = REPO_NOMEM;
    else if (hc != HTTP_OK) { code = REPO_UNAVAILABLE; strbuf_puts(&m, herr ? herr : http_error_name(hc)); }
    else if (resp.status != 200) {
        code = REPO_UNAVAILABLE;
        *missing = resp.status == 404;
        strbuf_printf(&m, "%s answered HTTP %ld", url, resp.status);
    } else {
        *body = resp.body;
        *len = resp.body_len;
        resp.body = NULL;
    }
    if (code == REPO_UNAVAILABLE && !(*why = strbuf_take(&m))) code = REPO_NOMEM;
    strbuf_free(&m);
    np_free(herr);
    http_response_free(&resp);
    np_free(url);
    return code;
}

Source *repo_load(void *ctx, const char *path, const char *name, int *err)
{
    RepoCheckout *c = ctx;
    size_t dl = c && c->dir ? strlen(c->dir) : 0;
    if (!c || !c->raw_base || strncmp(path, c->dir, dl) != 0 || path[dl] != '/')
        return source_load(path, name, err);
    const char *rel = path + dl + 1;
    const char *shown = name ? name : path;
    if (c->root_config && !strcmp(rel, "nextflow.config")) {
        /* read by repo_fetch already */
        Source *src = source_from_memory(shown, path, c->root_config, c->root_config_len);
        if (!src) *err = SOURCE_ENOMEM;
        return src;
    }
    char *body = NULL, *why = NULL;
    size_t len = 0;
    int missing = 0;
    int rc = read_raw(c, rel, &body, &len, &missing, &why);
    Source *src = NULL;
    if (rc == REPO_NOMEM) *err = SOURCE_ENOMEM;
    else if (rc != REPO_OK) {
        /* a 404 is the repository's own missing file (Nextflow fails on it
         * too); any other failure is the network's: the caller must not
         * report what follows from it (read_error) */
        *err = missing ? SOURCE_ENOENT : SOURCE_EIO;
        if (!missing && !c->read_error) { c->read_error = why; why = NULL; }
    } else if (!(src = source_from_memory(shown, path, body, len))) *err = SOURCE_ENOMEM;
    np_free(why);
    np_free_wiped(body, len);
    return src;
}

/* ---------------- repo_fetch ---------------- */

/* *err = `what` (": " `why`); code, or REPO_NOMEM when that cannot be said. */
static int fail(char **err, int code, const char *what, const char *why)
{
    StrBuf m = STRBUF_INIT;
    strbuf_printf(&m, "%s%s%s", what, why ? ": " : "", why ? why : "");
    *err = strbuf_take(&m);
    return *err ? code : REPO_NOMEM;
}

/* Makes root (0700), root/home (git's HOME) and root/<leaf>. */
static int make_dirs(RepoCheckout *c, const char *leaf)
{
    const char *tmp = getenv("TMPDIR");
    StrBuf b = STRBUF_INIT;
    strbuf_printf(&b, "%s/nfp-repo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    char *root = strbuf_take(&b);
    if (!root) return 0;
    if (!mkdtemp(root)) { np_free(root); return -1; }
    c->root = root;
    strbuf_printf(&b, "%s/home", root);
    char *home = strbuf_take(&b);
    strbuf_printf(&b, "%s/%s", root, leaf);
    c->dir = strbuf_take(&b);
    int ok = home && c->dir && mkdir(home, 0700) == 0 && mkdir(c->dir, 0700) == 0;
    np_free(home);
    if (!home || !c->dir) return 0;
    return ok ? 1 : -1;
}

int repo_fetch(const RepoFetch *f, RepoCheckout *out, char **err)
{
    memset(out, 0, sizeof *out);
    out->guard_fd = -1;
    out->insecure = f->insecure;
    *err = NULL;
    const char *why = NULL;
    if (!f->url || !*f->url) return fail(err, REPO_REFUSED, "the launch names no repository", NULL);
    StrBuf what = STRBUF_INIT;
    char *shown = http_url_for_display(f->url);
    strbuf_printf(&what, "the repository '%.200s'", shown ? shown : "?");
    np_free(shown);
    if (f->revision && !revision_ok(f->revision)) {
        strbuf_printf(&what, " is not fetched at revision '%.80s'", f->revision);
        int rc = fail(err, REPO_REFUSED, strbuf_cstr(&what), "it is not a plain branch, tag or commit id");
        strbuf_free(&what);
        return rc;
    }
    char *url = git_url(f, &why);
    if (!url) {
        strbuf_puts(&what, " is not fetched");
        int rc = why ? fail(err, REPO_REFUSED, strbuf_cstr(&what), why) : REPO_NOMEM;
        strbuf_free(&what);
        return rc;
    }
    if (f->revision) strbuf_printf(&what, " (revision %s)", f->revision);
    if (strbuf_failed(&what)) { np_free(url); strbuf_free(&what); return REPO_NOMEM; }

    char *git = f->no_git ? NULL : f->git ? np_strdup(f->git) : repo_find_git();
    int code = REPO_OK;
    if (git) {
        int md = make_dirs(out, "pipeline");
        if (md <= 0) {
            code = md == 0 ? REPO_NOMEM : fail(err, REPO_UNAVAILABLE, "no private temporary directory for the clone", strerror(errno));
            goto done;
        }
        start_guardian(out);
        long deadline = mono_ms() + (f->timeout_ms > 0 ? f->timeout_ms : REPO_TIMEOUT_MS);
        /* init + a depth-1 fetch of the one revision + checkout: works alike
         * for a branch, a tag and a commit id (a clone --branch takes no
         * commit id) */
        const char *rev = f->revision ? f->revision : "HEAD";
        const char *init[] = {"init", "-q", "--template=", ".", NULL};
        const char *fetch[] = {"fetch", "-q", "--depth", "1", "--no-tags", "--no-recurse-submodules", "--", url, rev, NULL};
        const char *checkout[] = {"checkout", "-q", "--detach", "FETCH_HEAD", NULL};
        char *gerr = NULL;
        if (run_git(git, f, out, out->dir, init, deadline, &gerr) != 0 ||
            run_git(git, f, out, out->dir, fetch, deadline, &gerr) != 0 ||
            run_git(git, f, out, out->dir, checkout, deadline, &gerr) != 0) {
            strbuf_puts(&what, " could not be cloned");
            code = gerr && !strbuf_failed(&what) ? fail(err, REPO_UNAVAILABLE, strbuf_cstr(&what), gerr) : REPO_NOMEM;
            np_free(gerr);
            goto done;
        }
        out->via_git = 1;
    } else {
        int nomem = 0;
        char *raw = repo_raw_base(f->url, f->revision ? f->revision : "HEAD", &nomem);
        if (!raw) {
            strbuf_puts(&what, " was not fetched: git is not on PATH, and its configuration cannot be read over "
                               "HTTPS either");
            code = nomem || strbuf_failed(&what)
                       ? REPO_NOMEM
                       : fail(err, REPO_UNAVAILABLE, strbuf_cstr(&what),
                              "only GitHub, GitLab.com and Bitbucket repositories are read that way");
            goto done;
        }
        out->raw_base = raw;
        int md = make_dirs(out, "pipeline");
        if (md <= 0) {
            code = md == 0 ? REPO_NOMEM : fail(err, REPO_UNAVAILABLE, "no private temporary directory", strerror(errno));
            goto done;
        }
        /* nextflow.config first: a revision that does not exist (or has no
         * config) is said here, not taken for a pipeline without one */
        char *why2 = NULL;
        int missing = 0;
        int rr = read_raw(out, "nextflow.config", &out->root_config, &out->root_config_len, &missing, &why2);
        if (rr != REPO_OK) {
            strbuf_puts(&what, missing ? " has no nextflow.config at that revision (or no such revision) over HTTPS"
                                       : " could not be read over HTTPS");
            code = rr == REPO_NOMEM || strbuf_failed(&what) ? REPO_NOMEM
                                                            : fail(err, REPO_UNAVAILABLE, strbuf_cstr(&what), why2);
        }
        np_free(why2);
        /* the stand-in directory holds the pipeline's nextflow.config as
         * well, so that it is a pipeline directory to whoever looks (the
         * check does, before reading through repo_load) */
        if (code == REPO_OK) {
            StrBuf fp = STRBUF_INIT;
            strbuf_printf(&fp, "%s/nextflow.config", out->dir);
            int fd = strbuf_failed(&fp) ? -1 : open(strbuf_cstr(&fp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            int wrote = fd >= 0 && write(fd, out->root_config, out->root_config_len) == (ssize_t)out->root_config_len;
            if (fd >= 0) close(fd);
            strbuf_free(&fp);
            if (!wrote) code = fail(err, REPO_UNAVAILABLE, "the configuration could not be kept in the temporary directory",
                                    strerror(errno));
        }
    }
done:
    strbuf_free(&what);
    np_free(git);
    np_free(url);
    return code;
}
