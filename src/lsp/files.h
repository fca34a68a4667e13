/* files — what the language server knows of the file system: the buffers the
 * editor has open (their text wins over the disk) and a cache of files read
 * from disk, kept while their size, modification time and inode stay the
 * same, so a re-check after a keystroke reads no unchanged include again.
 * Also the resolver's load hook over both. */
#ifndef NFP_LSP_FILES_H
#define NFP_LSP_FILES_H
#include <stddef.h>
#include <time.h>
#include "arena.h"
#include "diag.h"
#include "source.h"
#include "syntax.h"

typedef struct OpenDoc {
    char *uri;
    char *path;              /* normalized absolute path, or NULL for non-file URIs */
    char *text;              /* np_malloc'd, NUL-terminated */
    size_t len;
    long long version;
    int published;           /* diagnostics were sent (so closing must clear them) */
} OpenDoc;

typedef struct CachedFile {
    char *path;
    char *text;
    size_t len;
    long long size, mtime_ns, ino, dev;
} CachedFile;

/* A parse kept for as long as its file's bytes stay the same: the tree, its
 * syntax error count and the diagnostics the parser gave (replayed onto the
 * Source of each run that uses it). */
typedef struct ParsedFile {
    char *path;
    char *text;
    size_t len;
    Arena *arena;
    Node *tree;
    int errors;
    DiagList diags;
} ParsedFile;

#define FILES_MAX_CACHED 512

typedef struct Files {
    OpenDoc *docs;
    size_t ndocs, capdocs;
    CachedFile *cache;
    size_t ncache, capcache;
    ParsedFile *parsed;
    size_t nparsed, capparsed;
    unsigned long disk_reads;    /* files read from disk */
    unsigned long parses;        /* sources parsed */
    unsigned long parse_hits;    /* parses answered from the cache */
    unsigned long cache_hits;    /* loads answered from the cache */
    unsigned long buffer_loads;  /* loads answered from an open buffer */
} Files;

OpenDoc *files_doc(Files *f, const char *uri);
OpenDoc *files_doc_by_path(Files *f, const char *path);   /* path: path_normalize'd */
/* Adds or replaces a document (text copied). NULL when memory ran out. */
OpenDoc *files_open(Files *f, const char *uri, const char *text, size_t len, long long version);
void files_close(Files *f, const char *uri);
/* Forgets the cached copy of a path (e.g. after didSave). */
void files_forget(Files *f, const char *path);
void files_free(Files *f);

/* ResolveLoad hook: the open buffer, else the cached copy, else the disk. */
Source *files_load(void *files, const char *path, const char *name, int *err);
/* ResolveParse hook: the kept parse of the same path and bytes, else a new
 * parse that is kept (sources without a path are parsed into `arena`). */
Node *files_parse(void *files, Arena *arena, const Source *src, DiagList *diags, int *errors);

#endif
