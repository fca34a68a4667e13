/* bench_parse — in-process lex+parse throughput.
 *
 *   bench_parse [--lex-only] [--repeat N] FILE...
 *
 * Loads every FILE into memory first, then lexes and parses all of them
 * (parse_config builds the full syntax tree and diagnostics), N times
 * (default: until at least 1 s has been spent), and prints the best pass:
 *   bytes=… files=… seconds=… mb_per_s=… syntax_errors=…
 * MB here is 10^6 bytes. The work of one pass is in lex_parse_all(), which
 * bench/run.sh names in `valgrind --tool=callgrind --toggle-collect=` to
 * count instructions per byte of exactly this work. Built by bench/run.sh
 * against build/libnfp.a. */
#include "arena.h"
#include "diag.h"
#include "lex.h"
#include "parse.h"
#include "source.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keeps results alive so the compiler cannot drop the work. */
static volatile size_t sink;

int lex_parse_all(Source **srcs, size_t n, int lex_only);

__attribute__((noinline)) int lex_parse_all(Source **srcs, size_t n, int lex_only)
{
    int errors_total = 0;
    for (size_t i = 0; i < n; i++) {
        if (lex_only) {
            Lexer lx;
            lex_init(&lx, srcs[i]->text, 0, srcs[i]->len);
            size_t count = 0;
            for (;;) {
                Token t = lex_next(&lx);
                if (t.kind == TK_EOF) break;
                count++;
            }
            sink += count;
            continue;
        }
        Arena *arena = arena_new();
        DiagList diags = {0};
        int errors = 0;
        Node *root = parse_config(arena, srcs[i], &diags, &errors);
        sink += (size_t)(root != NULL) + diags.len;
        errors_total += errors;
        diag_list_free(&diags);
        arena_free(arena);
    }
    return errors_total;
}

int main(int argc, char **argv)
{
    int lex_only = 0;
    long repeat = 0;
    int first = 1;
    while (first < argc && argv[first][0] == '-' && argv[first][1] == '-') {
        if (!strcmp(argv[first], "--lex-only")) lex_only = 1;
        else if (!strcmp(argv[first], "--repeat") && first + 1 < argc) repeat = atol(argv[++first]);
        else { fprintf(stderr, "bench_parse: unknown option %s\n", argv[first]); return 2; }
        first++;
    }
    size_t n = (size_t)(argc - first);
    if (n == 0) { fprintf(stderr, "usage: bench_parse [--lex-only] [--repeat N] FILE...\n"); return 2; }
    Source **srcs = calloc(n, sizeof *srcs);
    if (!srcs) return 3;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        int err = 0;
        srcs[i] = source_load(argv[first + (int)i], NULL, &err);
        if (!srcs[i]) { fprintf(stderr, "bench_parse: %s: %s\n", argv[first + (int)i], source_strerror(err)); return 3; }
        bytes += srcs[i]->len;
    }
    double best = 1e30, spent = 0;
    int errors = 0;
    for (long pass = 0; repeat ? pass < repeat : (spent < 1.0 || pass < 3); pass++) {
        double t0 = now();
        errors = lex_parse_all(srcs, n, lex_only);
        double dt = now() - t0;
        spent += dt;
        if (dt < best) best = dt;
    }
    printf("bytes=%zu files=%zu seconds=%.6f mb_per_s=%.1f syntax_errors=%d\n",
           bytes, n, best, best > 0 ? (double)bytes / 1e6 / best : 0.0, errors);
    for (size_t i = 0; i < n; i++) source_free(srcs[i]);
    free(srcs);
    return 0;
}
