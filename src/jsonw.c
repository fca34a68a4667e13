#include "jsonw.h"
#include <string.h>

void jw_init(JsonW *w, StrBuf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* The separator owed before a value or key at the current level. */
static void before_value(JsonW *w)
{
    if (w->after_key) { w->after_key = 0; return; }
    if (w->depth && w->has_items[w->depth - 1]) strbuf_putc(w->out, ',');
    if (w->depth) w->has_items[w->depth - 1] = 1;
}

static void begin(JsonW *w, char c)
{
    before_value(w);
    if (w->depth >= JSONW_MAX_DEPTH) { w->out->failed = 1; return; }
    strbuf_putc(w->out, c);
    w->has_items[w->depth++] = 0;
}

static void finish(JsonW *w, char c)
{
    if (!w->depth) { w->out->failed = 1; return; }
    w->depth--;
    strbuf_putc(w->out, c);
}

void jw_obj(JsonW *w) { begin(w, '{'); }
void jw_obj_end(JsonW *w) { finish(w, '}'); }
void jw_arr(JsonW *w) { begin(w, '['); }
void jw_arr_end(JsonW *w) { finish(w, ']'); }

void jw_key(JsonW *w, const char *key)
{
    before_value(w);
    strbuf_json_str(w->out, key, strlen(key));
    strbuf_putc(w->out, ':');
    w->after_key = 1;
}

void jw_strn(JsonW *w, const char *s, size_t n)
{
    before_value(w);
    strbuf_json_str(w->out, s, n);
}

void jw_str(JsonW *w, const char *s)
{
    if (!s) { jw_null(w); return; }
    jw_strn(w, s, strlen(s));
}

void jw_int(JsonW *w, long long v)
{
    before_value(w);
    strbuf_printf(w->out, "%lld", v);
}

void jw_bool(JsonW *w, int v)
{
    before_value(w);
    strbuf_puts(w->out, v ? "true" : "false");
}

void jw_null(JsonW *w)
{
    before_value(w);
    strbuf_puts(w->out, "null");
}

void jw_raw(JsonW *w, const char *json, size_t n)
{
    before_value(w);
    strbuf_append(w->out, json, n);
}

void jw_kstr(JsonW *w, const char *key, const char *s) { jw_key(w, key); jw_str(w, s); }
void jw_kint(JsonW *w, const char *key, long long v) { jw_key(w, key); jw_int(w, v); }
void jw_kbool(JsonW *w, const char *key, int v) { jw_key(w, key); jw_bool(w, v); }
