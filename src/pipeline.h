/* pipeline — the `container` directives of a pipeline's .nf files.
 *
 * The scanner walks a directory for *.nf files, finds `process NAME { … }`
 * bodies with the lossless lexer, and inside them every `container`
 * statement (also under `if (…) { … } else { … }`). Each directive's
 * expression is parsed with parse_expression_range and evaluated by a small
 * three-valued evaluator: string literals, GStrings, params (from the
 * resolved config), `workflow.containerEngine` comparisons (== != in), !, &&,
 * ||, ?:, ternaries and one-expression closures. Whatever it cannot know
 * (task.ext.*, method calls, unset params) is "unknown": a condition that is
 * unknown yields both branches, a string that depends on it is dynamic and
 * keeps its source text.
 *
 * The evaluation is done once per container engine (workflow.containerEngine
 * set to each name), so every candidate image carries the set of engines
 * that may use it: the nf-core ternary gives the https:// download for
 * singularity and the registry image for every engine (singularity only with
 * task.ext.singularity_pull_docker_container). Nothing here prints. */
#ifndef NFP_PIPELINE_H
#define NFP_PIPELINE_H
#include <stddef.h>
#include "arena.h"
#include "diag.h"
#include "source.h"
#include "syntax.h"
#include "value.h"

/* Bit (1u << ImageEngine) per engine; all seven engines of image.h. */
#define PIPE_ENGINES_ALL 0x7Fu
#define PIPE_MAX_CANDIDATES 16

/* One image a container expression can yield. Strings live in the arena
 * given to the evaluator. */
typedef struct PipeCandidate {
    const char *text;     /* the image; the expression's source text when dynamic */
    size_t len;
    int dynamic;
    const char *why;      /* dynamic: short reason ("task.ext.x", "method call") */
    unsigned engines;     /* engines that may use it (PIPE_ENGINES_ALL when unconditional) */
    size_t start, end;    /* span in the source: the literal it came from, else the expression */
    const char *null_param; /* the text holds "null" read from this unset param ("params.x") */
} PipeCandidate;

/* What a container expression is evaluated against. */
typedef struct PipeEvalEnv {
    const Value *params;      /* resolved params scope (may be NULL) */
    const Value *ext;         /* the process's task.ext (a scope; may be NULL = empty) */
    int ext_known;            /* 1: task.ext.* read from `ext` (missing keys are null) and a
                                 param set nowhere is null; 0: both are unknown */
    const Value *declared;    /* params the pipeline's scripts assign (a scope), or NULL */
    const Value *const *ext_maybe; /* ext scopes of selectors that may apply (qualified names
                                      not known): a key any of them sets is unknown */
    size_t next_maybe;
} PipeEvalEnv;

/* Evaluates a container expression (a parse_expression_range result) in src.
 * `params` is the resolved params scope (may be NULL). `guards`/`polarity`
 * (n of them, may be 0) are enclosing if-conditions that must be true
 * (polarity 1) or false (polarity 0) for the expression to apply.
 * Appends up to PIPE_MAX_CANDIDATES candidates to *out (arena array) and
 * returns their number, or -1 when memory ran out. */
int pipeline_eval(Arena *a, const Source *src, const Node *expr, const Value *params,
                  const Node *const *guards, const int *polarity, size_t nguards,
                  PipeCandidate **out);

/* pipeline_eval with task.ext and the set of declared params (see PipeEvalEnv). */
int pipeline_eval_env(Arena *a, const Source *src, const Node *expr, const PipeEvalEnv *env,
                      const Node *const *guards, const int *polarity, size_t nguards,
                      PipeCandidate **out);

/* One candidate image from a .nf file. */
typedef struct PipeImage {
    PipeCandidate c;
    const Source *src;    /* owned by the scan */
    const char *process;  /* process name (arena) */
    size_t directive;     /* offset of the `container` word */
    size_t proc;          /* index into PipelineScan.procs */
} PipeImage;

/* A process definition (recorded by every scan). */
typedef struct PipeProcess {
    const char *name;         /* as defined (arena) */
    const Source *src;
    size_t start, end;        /* the name in src */
    const char **labels;      /* literal `label 'x'` directives (arena) */
    size_t nlabels;
    int labels_unknown;       /* a label directive that is not a literal */
    int conda;                /* conda directive: 1 a text, 0 none or null, -1 cannot tell */
} PipeProcess;

/* A `container` directive kept for later evaluation (PipelineScan.defer). */
typedef struct PipeDirective {
    size_t process;           /* index into procs */
    const Source *src;
    size_t directive;         /* offset of the `container` word */
    const Node *expr;
    const Node **guards;      /* enclosing if-conditions (arena) */
    int *polarity;
    size_t nguards;
} PipeDirective;

/* `include { NAME [as ALIAS]; … } from 'PATH'` of a .nf file. */
typedef struct PipeInclude {
    const Source *src;        /* the including file */
    const char *name;         /* the name the module defines (arena) */
    const char *alias;        /* the name in the including file: ALIAS, else NAME */
    const char *path;         /* PATH as written (arena) */
} PipeInclude;

/* A `workflow [NAME] { … }` definition and the names its body mentions that
 * name an include or a process or workflow of the same file (the calls and
 * pipes that invoke them; over-approximated: a mention is an invocation). */
typedef struct PipeWorkflow {
    const Source *src;
    const char *name;         /* NULL: the entry workflow */
    const char **refs;        /* distinct names (arena) */
    size_t nrefs;
} PipeWorkflow;

typedef struct PipelineScan {
    Arena *arena;
    Source **sources;     /* every .nf file read, owned */
    size_t nsources, capsources;
    PipeImage *items;
    size_t len, cap;
    size_t nprocesses;    /* process bodies seen */
    int defer;            /* set before scanning: keep directives, evaluate with
                             pipeline_scan_evaluate (items stay empty until then) */
    PipeProcess *procs;
    size_t nprocs, capprocs;
    PipeDirective *dirs;
    size_t ndirs, capdirs;
    Value *declared;      /* scope: params assigned by the scripts (`params.x = …`) */
    const char **aliases; /* `include { A as B }`: every alias B (arena) */
    size_t naliases, capaliases;
    /* the workflow include graph (model/graph.h reads it) */
    PipeInclude *includes;    /* arena */
    size_t nincludes, capincludes;
    PipeWorkflow *workflows;  /* arena */
    size_t nworkflows, capworkflows;
    const char *graph_unknown;/* why the graph is not fully known (a static reason), or NULL */
    int capped;           /* PIPE_CAP_*: a walk stopped at a cap, so some .nf files were not read */
    char *first_unread;   /* with capped: the first file not read (np_malloc'd; later ones in
                             the walk's sorted order were not read either) */
} PipelineScan;

/* The caps of one walk: .nf files in number and their bytes in all (each file
 * is also capped at SOURCE_MAX_BYTES by source.c). The largest pipelines of
 * the corpus hold a few hundred files and under 1 MiB (sarek: 199 files, 0.7
 * MiB); `check` of 12.5 MiB (sarek's modules 44 times) takes 0.3 s of CPU. */
#define PIPE_MAX_FILES 20000
#define PIPE_MAX_TOTAL_BYTES ((size_t)32 << 20)
enum { PIPE_CAP_NONE = 0, PIPE_CAP_FILES, PIPE_CAP_BYTES };

#define PIPELINE_SCAN_INIT {0}

/* Evaluates every kept directive (defer mode) with envs[d.process] (nprocs
 * entries) and appends the candidates to items. Returns 0, -1 on OOM. */
int pipeline_scan_evaluate(PipelineScan *scan, const PipeEvalEnv *envs);

/* Scans one text (copied; `name` is its display name). Returns 0, or -1 when
 * memory ran out. */
int pipeline_scan_text(PipelineScan *scan, const char *name, const char *text, size_t len,
                       const Value *params);
/* Walks `dir` recursively (sorted, symlinked directories and dot-directories
 * and `work` skipped, depth bounded) and scans every *.nf file, up to
 * PIPE_MAX_FILES files and PIPE_MAX_TOTAL_BYTES bytes in all: the first file
 * past a cap ends the walk (scan->capped, scan->first_unread). Unreadable
 * files are skipped. Returns 0, -1 on OOM, -2 when `dir`
 * cannot be opened (*err, np_malloc'd, says why). */
int pipeline_scan_dir(PipelineScan *scan, const char *dir, const Value *params, char **err);
/* Reading ahead: the part of pipeline_scan_dir that needs no config (the
 * walk, reading each .nf file, lexing it, finding its process bodies and
 * parsing their container expressions) runs on a thread of its own while
 * the caller resolves the config; pipeline_scan_ahead then waits for it and
 * evaluates the directives with the params in the order they were found, so
 * a scan gives exactly what pipeline_scan_dir gives. The thread allocates through alloc.h too, with
 * its own counters (alloc.h): callers that count or fail allocations (the
 * allocation-failure test) do not read ahead. pipeline_read_start returns
 * NULL when memory ran out or no thread could be started: scan with
 * pipeline_scan_dir then. */
typedef struct PipelineRead PipelineRead;
PipelineRead *pipeline_read_start(const char *dir);
/* Same results as pipeline_scan_dir(scan, dir, params, err) for a scan
 * still at PIPELINE_SCAN_INIT, which then owns what was read; a second call,
 * or one with a scan already used, reads the directory again. */
int pipeline_scan_ahead(PipelineScan *scan, PipelineRead *ahead, const Value *params, char **err);
/* Waits for the thread and frees what no scan took. NULL is a no-op. */
void pipeline_read_free(PipelineRead *ahead);
/* Hands the Sources over to the caller (e.g. to outlive diagnostics): copies
 * the pointers into *out (np_malloc'd array) and forgets them. */
int pipeline_scan_take_sources(PipelineScan *scan, Source ***out, size_t *n);
void pipeline_scan_free(PipelineScan *scan);

#endif
