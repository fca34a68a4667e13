/* data — one tree for JSON and YAML documents (launch payloads, params files,
 * tool settings, credential inventories), with exact byte positions.
 *
 * JSON is read by our own strict RFC 8259 parser; YAML through libyaml's event
 * API, typed with the YAML 1.2 core schema. Both produce the same DataNode tree.
 * Every node carries the byte span [start, end) it came from in the input, and
 * every object member the span of its key, so callers can point diagnostics
 * and fixes at the exact bytes. All memory of a document lives in one arena and
 * is released by data_doc_free. */
#ifndef NFP_DATA_H
#define NFP_DATA_H
#include <stddef.h>
#include "arena.h"

typedef enum DataFormat {
    DATA_AUTO = 0,   /* JSON when the text starts with '{' or '[' and parses as JSON, else YAML */
    DATA_JSON,
    DATA_YAML
} DataFormat;

typedef enum DataKind {
    DATA_NULL = 0,
    DATA_BOOL,
    DATA_INT,
    DATA_FLOAT,
    DATA_STRING,
    DATA_ARRAY,
    DATA_OBJECT
} DataKind;

/* Return codes of data_parse. */
enum {
    DATA_OK = 0,
    DATA_ESYNTAX,    /* not valid JSON / YAML */
    DATA_ELIMIT,     /* nesting deeper than DATA_MAX_DEPTH or alias expansion over the cap */
    DATA_ENOMEM
};

/* Containers nested deeper than this are refused (both formats), so that
 * recursive consumers of the tree cannot overflow the stack either. */
#define DATA_MAX_DEPTH 512
/* YAML aliases may add at most this many nodes to the expanded tree (sum of the
 * sizes of all aliased subtrees); protects consumers from "billion laughs". */
#define DATA_MAX_ALIAS_EXPANSION 1000000u

typedef struct DataNode DataNode;

typedef struct DataMember {
    const char *key;          /* NUL-terminated; may also contain NULs (see key_len) */
    size_t key_len;
    size_t key_start, key_end;   /* byte span of the key in the input (quotes included) */
    DataNode *value;
} DataMember;

struct DataNode {
    DataKind kind;
    size_t start, end;        /* byte span [start, end) in the input */
    /* Scalars: the text of the value (decoded for strings; the literal as
     * written for numbers, booleans and null, e.g. "1.50", "~", "True").
     * NULL for arrays and objects. */
    const char *text;
    size_t text_len;
    int boolean;              /* DATA_BOOL */
    long long integer;        /* DATA_INT */
    double number;            /* DATA_FLOAT; also set for DATA_INT */
    DataNode **items;         /* DATA_ARRAY: len items */
    DataMember *members;      /* DATA_OBJECT: len members in document order */
    size_t len;
    /* YAML alias: the anchored node this one repeats (its span is the alias's
     * own `*name`; items/members are shared with the anchored node). */
    const DataNode *alias_of;
    size_t weight;            /* nodes in the subtree with aliases expanded */
};

typedef struct DataDoc {
    Arena *arena;
    DataNode *root;
    DataFormat format;        /* DATA_JSON or DATA_YAML: what was actually parsed */
} DataDoc;

/* Parses `len` bytes of `text` (need not be NUL-terminated). On success stores
 * the document in *out and returns DATA_OK. On failure returns a DATA_E* code,
 * *out is NULL and *err (if err is non-NULL) receives a message starting with
 * "line:col: " (1-based, column in bytes) that the caller frees with np_free;
 * *err may be NULL when memory ran out. */
int data_parse(const char *text, size_t len, DataFormat fmt, DataDoc **out, char **err);
/* As data_parse, and also stores the byte offset of the error in *err_offset
 * (when non-NULL) so that callers can build a diagnostic span. */
int data_parse_at(const char *text, size_t len, DataFormat fmt, DataDoc **out,
                  char **err, size_t *err_offset);
void data_doc_free(DataDoc *doc);
/* Overwrites every string, key and scalar text in the document with zero bytes
 * (used before freeing documents that held secrets). */
void data_doc_wipe(DataDoc *doc);

/* Object member lookup; the last member wins when a key repeats (as in most
 * JSON readers). NULL when `node` is not an object or the key is absent. */
DataNode *data_get(const DataNode *node, const char *key);
const DataMember *data_get_member(const DataNode *node, const char *key);
/* Dotted path: "a.b.c"; a segment of digits indexes an array ("list.0.name"). */
DataNode *data_path(const DataNode *node, const char *path);
/* Array item or NULL. */
DataNode *data_at(const DataNode *node, size_t i);

/* Typed accessors: return 1 and store the value when `node` has the kind,
 * else return 0 (NULL node included). data_float accepts ints too. */
int data_bool(const DataNode *node, int *out);
int data_int(const DataNode *node, long long *out);
int data_float(const DataNode *node, double *out);
/* The string of a DATA_STRING node, else NULL. */
const char *data_str(const DataNode *node);
/* data_str(data_get(node, key)). */
const char *data_get_str(const DataNode *node, const char *key);
int data_is(const DataNode *node, DataKind kind);
const char *data_kind_name(DataKind kind);

/* 1-based line and byte column of `offset` in text; line breaks are LF, CRLF
 * and a lone CR (the same rule as source.c). */
void data_linecol(const char *text, size_t len, size_t offset, unsigned *line, unsigned *col);

#endif
