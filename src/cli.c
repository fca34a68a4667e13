#include "cli.h"
#include "alloc.h"
#include "arena.h"
#include "diag.h"
#include "parse.h"
#include "report.h"
#include "rules.h"
#include "source.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct Options {
    const char *command;
    const char **paths;
    int npaths;
    const char *stdin_filename;
    const char *format;
    const char *color;
    const char *output;
    int dump_tokens, dump_tree;
    int exit_zero;
    Severity fail_on;
} Options;

static const char usage_text[] =
    "usage: nf-preflight COMMAND [OPTIONS] PATH...\n"
    "\n"
    "Checks Nextflow configuration before a launch: syntax, Wave, container images\n"
    "and registry credentials.\n"
    "\n"
    "commands:\n"
    "  check PATH... | -     report problems (default command)\n"
    "  parse FILE            dump tokens (--tokens) or the syntax tree (--tree)\n"
    "  rules                 list every rule\n"
    "  explain RULE          describe one rule\n"
    "\n"
    "options:\n"
    "  --format FMT          text, gcc, json, sarif or github\n"
    "  --color WHEN          auto, always or never\n"
    "  -o, --output FILE     write the report to FILE\n"
    "  --stdin-filename NAME name to show for standard input\n"
    "  --fail-on LEVEL       error (default), warning or info\n"
    "  --exit-zero           exit 0 even with findings\n"
    "  --version, --help\n"
    "\n"
    "exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error,\n"
    "3 could not read or write something.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "nf-preflight: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'nf-preflight --help'.\n");
    return EXIT_USAGE;
}

/* Writes the whole buffer to -o FILE or stdout. */
static int write_output(const Options *o, StrBuf *b)
{
    if (strbuf_failed(b)) {
        fprintf(stderr, "nf-preflight: out of memory\n");
        return EXIT_IO;
    }
    FILE *f = stdout;
    if (o->output) {
        f = fopen(o->output, "wb");
        if (!f) {
            perror(o->output);
            return EXIT_IO;
        }
    }
    size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
    int bad = n != b->len;
    if (o->output) bad |= fclose(f) != 0;
    else bad |= fflush(f) != 0;
    if (bad) {
        fprintf(stderr, "nf-preflight: could not write %s\n", o->output ? o->output : "output");
        return EXIT_IO;
    }
    return EXIT_CLEAN;
}

static int cmd_parse(Options *o)
{
    if (o->npaths != 1) return usage_error("%s", "parse takes exactly one FILE");
    int err;
    Source *src = source_load(o->paths[0], strcmp(o->paths[0], "-") ? NULL : o->stdin_filename, &err);
    if (!src) {
        fprintf(stderr, "nf-preflight: %s: %s\n", o->paths[0], source_strerror(err));
        return EXIT_IO;
    }
    StrBuf out = STRBUF_INIT;
    DiagList diags = {0};
    Arena *arena = arena_new();
    int rc = EXIT_CLEAN;
    if (!arena) { rc = EXIT_IO; goto done; }
    if (o->dump_tokens) parse_dump_tokens(&out, src);
    if (o->dump_tree || !o->dump_tokens) {
        Node *root = parse_config(arena, src, &diags, NULL);
        if (root) parse_dump_tree(&out, src, root);
        diag_sort(&diags);
        report_emit(&out, REPORT_GCC, &diags, NULL);
    }
    rc = write_output(o, &out);
    if (rc == EXIT_CLEAN && diag_count(&diags, SEV_ERROR)) rc = EXIT_FINDINGS;
done:
    arena_free(arena);
    diag_list_free(&diags);
    strbuf_free(&out);
    source_free(src);
    return rc;
}

static int severity_reached(const DiagList *d, Severity level)
{
    for (size_t i = 0; i < d->len; i++)
        if (d->items[i].sev >= level) return 1;
    return 0;
}

static int cmd_check(Options *o)
{
    if (o->npaths == 0) return usage_error("%s", "check needs a PATH (or - for standard input)");
    ReportFormat fmt = isatty(1) && !o->output ? REPORT_TEXT : REPORT_GCC;
    if (o->format && !report_format_parse(o->format, &fmt))
        return usage_error("unknown format '%s'", o->format);
    int color = report_color_decide(o->color, isatty(1) && !o->output);
    if (color < 0) return usage_error("unknown --color value '%s'", o->color);

    DiagList diags = {0};
    Source **sources = np_calloc((size_t)o->npaths, sizeof *sources);
    Arena *arena = arena_new();
    int rc = EXIT_CLEAN;
    if (!sources || !arena) { rc = EXIT_IO; goto done; }
    for (int i = 0; i < o->npaths; i++) {
        int err;
        const char *path = o->paths[i];
        sources[i] = source_load(path, strcmp(path, "-") ? NULL : o->stdin_filename, &err);
        if (!sources[i]) {
            fprintf(stderr, "nf-preflight: %s: %s\n", path, source_strerror(err));
            rc = EXIT_IO;
            continue;
        }
        parse_config(arena, sources[i], &diags, NULL);
    }
    diag_sort(&diags);
    StrBuf out = STRBUF_INIT;
    ReportOptions ropt = {color, NULL};
    report_emit(&out, fmt, &diags, &ropt);
    int wrc = write_output(o, &out);
    strbuf_free(&out);
    if (diags.oom) { fprintf(stderr, "nf-preflight: out of memory\n"); rc = EXIT_IO; }
    if (wrc) rc = wrc;
    if (rc == EXIT_CLEAN && !o->exit_zero && severity_reached(&diags, o->fail_on)) rc = EXIT_FINDINGS;
done:
    if (sources)
        for (int i = 0; i < o->npaths; i++) source_free(sources[i]);
    np_free(sources);
    arena_free(arena);
    diag_list_free(&diags);
    return rc;
}

static int cmd_rules(Options *o)
{
    StrBuf out = STRBUF_INIT;
    report_rules_list(&out);
    int rc = write_output(o, &out);
    strbuf_free(&out);
    return rc;
}

static int cmd_explain(Options *o)
{
    if (o->npaths != 1) return usage_error("%s", "explain takes one RULE name or id");
    const Rule *r = rule_find(o->paths[0]);
    if (!r) return usage_error("unknown rule '%s' (see 'nf-preflight rules')", o->paths[0]);
    StrBuf out = STRBUF_INIT;
    report_rule_explain(&out, r);
    int rc = write_output(o, &out);
    strbuf_free(&out);
    return rc;
}

/* Option value: `--opt value` or `--opt=value`. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) == 0 && a[n] == '=') return a + n + 1;
    if (*i + 1 >= argc) return NULL;
    return argv[++*i];
}

static int is_opt(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int cli_main(int argc, char **argv)
{
    Options o = {0};
    o.fail_on = SEV_ERROR;
    const char **paths = np_calloc((size_t)argc + 1, sizeof *paths);
    if (!paths) return EXIT_IO;
    o.paths = paths;
    int i = 1;
    o.command = "check";
    if (argc > 1 && argv[1][0] != '-') {
        const char *c = argv[1];
        if (!strcmp(c, "check") || !strcmp(c, "parse") || !strcmp(c, "rules") || !strcmp(c, "explain")) {
            o.command = c;
            i = 2;
        }
    }
    int rc = -1;
    for (; i < argc && rc < 0; i++) {
        const char *a = argv[i];
        const char *v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            rc = EXIT_CLEAN;
        } else if (!strcmp(a, "--version")) {
            printf("nf-preflight %s\n", NFP_VERSION);
            rc = EXIT_CLEAN;
        } else if (!strcmp(a, "--tokens")) o.dump_tokens = 1;
        else if (!strcmp(a, "--tree")) o.dump_tree = 1;
        else if (!strcmp(a, "--exit-zero")) o.exit_zero = 1;
        else if (is_opt(a, "--format")) {
            if (!(o.format = opt_value(argc, argv, &i, "--format"))) rc = usage_error("%s needs a value", a);
        } else if (is_opt(a, "--color")) {
            if (!(o.color = opt_value(argc, argv, &i, "--color"))) rc = usage_error("%s needs a value", a);
        } else if (!strcmp(a, "-o") || is_opt(a, "--output")) {
            if (!(o.output = opt_value(argc, argv, &i, !strcmp(a, "-o") ? "-o" : "--output")))
                rc = usage_error("%s needs a value", a);
        } else if (is_opt(a, "--stdin-filename")) {
            if (!(o.stdin_filename = opt_value(argc, argv, &i, "--stdin-filename")))
                rc = usage_error("%s needs a value", a);
        } else if (is_opt(a, "--fail-on")) {
            v = opt_value(argc, argv, &i, "--fail-on");
            if (!v || !severity_parse(v, &o.fail_on) || o.fail_on == SEV_NONE)
                rc = usage_error("--fail-on takes error, warning or info, not '%s'", v ? v : "");
        } else if (!strcmp(a, "-")) {
            paths[o.npaths++] = a;
        } else if (a[0] == '-') {
            rc = usage_error("unknown option '%s'", a);
        } else {
            paths[o.npaths++] = a;
        }
    }
    if (rc < 0) {
        if (!strcmp(o.command, "parse")) rc = cmd_parse(&o);
        else if (!strcmp(o.command, "rules")) rc = cmd_rules(&o);
        else if (!strcmp(o.command, "explain")) rc = cmd_explain(&o);
        else rc = cmd_check(&o);
    }
    np_free(paths);
    return rc;
}
