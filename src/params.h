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

/* The value of a command-line param as Nextflow types it.
 * v1 (nf-cli-v1 CmdRun.parseParamValue): `true`/`false` in any case become
 * booleans, `-?\d+(\.\d+)?` an integer or a decimal; anything else a string.
 * v2 (ConfigDsl.asDeclaredType): the text stays a string until the config
 * declares the param with `params.NAME = default`; then a boolean default
 * takes `true`/`false` in any case and a number default a number. */
Value *params_cli_value_v1(Arena *a, const char *text, size_t len);
/* The v2 conversion of `cli` (any value) to the type of `declared`: `cli`
 * itself when it is not a string or does not convert, else a new value. */
Value *params_as_declared_type(Arena *a, Value *cli, const Value *declared);

#endif
