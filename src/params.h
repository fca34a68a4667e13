/* params — command-line params: `--params-file` (JSON or YAML) and
 * `--param name=value`, collected into one scope that the resolver lays over
 * config params (nextflow-config.md §4.7). */
#ifndef NFP_PARAMS_H
#define NFP_PARAMS_H
#include "arena.h"
#include "data.h"
#include "value.h"

/* Converts a JSON/YAML node to a value: objects become scopes. */
Value *params_from_data(Arena *a, const DataNode *node);
/* Merges the params in a JSON/YAML text into `params`. Returns 0, or -1 with
 * an np_malloc'd "NAME:LINE:COL: message" in *err. */
int params_merge_text(Arena *a, Value *params, const char *name, const char *text, size_t len, char **err);
int params_merge_file(Arena *a, Value *params, const char *path, char **err);

#endif
