/* jsonw — a small streaming JSON writer over a StrBuf: it places the commas
 * and colons, so callers write values in order and cannot produce invalid
 * JSON by forgetting a separator. Strings are escaped per RFC 8259. Nesting
 * deeper than JSONW_MAX_DEPTH marks the buffer failed instead of overflowing.
 * Errors (out of memory, misuse) surface as strbuf_failed(out). */
#ifndef NFP_JSONW_H
#define NFP_JSONW_H
#include <stddef.h>
#include "strbuf.h"

#define JSONW_MAX_DEPTH 64

typedef struct JsonW {
    StrBuf *out;
    unsigned depth;
    unsigned char has_items[JSONW_MAX_DEPTH]; /* per open container: a value was written */
    int after_key;                            /* the next value completes a member */
} JsonW;

void jw_init(JsonW *w, StrBuf *out);
void jw_obj(JsonW *w);                 /* { */
void jw_obj_end(JsonW *w);             /* } */
void jw_arr(JsonW *w);                 /* [ */
void jw_arr_end(JsonW *w);             /* ] */
void jw_key(JsonW *w, const char *key);
void jw_str(JsonW *w, const char *s);  /* NULL writes null */
void jw_strn(JsonW *w, const char *s, size_t n);
void jw_int(JsonW *w, long long v);
void jw_bool(JsonW *w, int v);
void jw_null(JsonW *w);
/* Bytes that already are one JSON value (e.g. a request id copied from the
 * message it answers). */
void jw_raw(JsonW *w, const char *json, size_t n);

/* Member shorthands: key then value. */
void jw_kstr(JsonW *w, const char *key, const char *s);
void jw_kint(JsonW *w, const char *key, long long v);
void jw_kbool(JsonW *w, const char *key, int v);

#endif
