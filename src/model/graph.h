/* graph — the fully qualified names Nextflow gives the processes of a
 * pipeline, from its workflow include graph.
 *
 * A process invoked in workflow W, itself invoked as W under the entry
 * workflow, is called W:NAME, where each segment is the name the invoking
 * file knows the component by (its include alias, else its own name); in the
 * entry workflow a process keeps its simple name (BindableDef.invoke_a:
 * prefix + ':' + name, with no prefix in the entry workflow). Every mention
 * of a component in a workflow body counts as an invocation, whatever branch
 * it is in, so the names found are every name a run can give; a run that
 * skips a branch gives fewer.
 *
 * The graph is known only when every include of the files reached resolves
 * to a scanned .nf file (or is a plugin's: functions only), every include
 * path is a plain string, every workflow body was read, and the main script
 * has an entry workflow; otherwise graph_invocations says why not and gives
 * nothing, and callers must not guess. Nothing here prints. */
#ifndef NFP_MODEL_GRAPH_H
#define NFP_MODEL_GRAPH_H
#include <stddef.h>
#include "arena.h"
#include "pipeline.h"

typedef struct GraphInvocation {
    size_t proc;            /* index into PipelineScan.procs */
    const char *simple;     /* the name the invoking file uses (alias, else the declared name) */
    const char *qualified;  /* the fully qualified name (arena) */
} GraphInvocation;

/* Fills *out (arena array) with every invocation reachable from the entry
 * workflow of `main_script` (a path relative to `dir`, the directory the scan
 * walked) and returns 1; 0 when the graph is not fully known (*why, static or
 * arena text, says why); -1 when memory ran out. */
int graph_invocations(const PipelineScan *scan, const char *dir, const char *main_script, Arena *a,
                      GraphInvocation **out, size_t *n, const char **why);

#endif
