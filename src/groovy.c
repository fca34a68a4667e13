/* groovy — see groovy.h. */
#include "groovy.h"
#include "alloc.h"
#include "regex.h"
#include "strbuf.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Records why a method is not evaluated; the caller makes the value dynamic. */
static Value *fail(GroovyEnv *g, const char *why)
{
    g->why = why;
    return NULL;
}

int groovy_charge(GroovyEnv *g, long long units)
{
    if (units < 0 || units > g->max_work) units = g->max_work + 1;
    *g->work += units;
    return *g->work <= g->max_work;
}

static Value *to_string(GroovyEnv *g, const Value *v)
{
    StrBuf b = STRBUF_INIT;
    if (!value_to_string(&b, v)) { strbuf_free(&b); return fail(g, "no string form"); }
    Value *s = value_string(g->a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return s;
}

Value *groovy_list_minus(GroovyEnv *g, const Value *a, const Value *b)
{
    /* list - list removes every element equal to one of b; list - x removes x */
    if (!groovy_charge(g, (long long)a->nitems * (b->kind == V_LIST ? (long long)b->nitems : 1)))
        return fail(g, "too much work to evaluate before the run");
    Value *l = value_new(g->a, V_LIST);
    if (!l) return NULL;
    for (size_t i = 0; i < a->nitems; i++) {
        int drop = 0;
        size_t nb = b->kind == V_LIST ? b->nitems : 1;
        for (size_t k = 0; k < nb && !drop; k++) {
            int eq = value_equal(a->items[i], b->kind == V_LIST ? b->items[k] : b);
            if (eq < 0) return fail(g, "list difference");
            drop = eq;
        }
        if (!drop && !value_list_push(g->a, l, a->items[i])) return NULL;
    }
    return l;
}

Value *groovy_list_plus(GroovyEnv *g, const Value *a, Value *b)
{
    /* list + list appends the elements, list + x appends x; a new list */
    Value *l = value_new(g->a, V_LIST);
    if (!l || !groovy_charge(g, (long long)a->nitems)) return l ? fail(g, "too much work to evaluate before the run") : NULL;
    for (size_t i = 0; i < a->nitems; i++)
        if (!value_list_push(g->a, l, a->items[i])) return NULL;
    if (b && b->kind == V_LIST) {
        for (size_t i = 0; i < b->nitems; i++)
            if (!value_list_push(g->a, l, b->items[i])) return NULL;
    } else if (!value_list_push(g->a, l, b)) {
        return NULL;
    }
    return l;
}

/* The text Java's BigDecimal.toString gives a Groovy decimal literal
 * (digits, optional fraction and exponent, underscores already removed):
 * `1.2e7` is 1.2E+7, `1e-3` is 0.001, `2.5e1` is 25. Returns 0 when the
 * literal has another shape or does not fit, and the caller keeps its text. */
int groovy_decimal_text(const char *lit, char *out, size_t cap)
{
    char digits[64];
    size_t nd = 0;
    long frac = 0, exp = 0;
    int in_frac = 0;
    const char *p = lit;
    for (; *p && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') { if (in_frac) return 0; in_frac = 1; continue; }
        if (!isdigit((unsigned char)*p) || nd + 1 >= sizeof digits) return 0;
        if (nd == 0 && *p == '0') { frac += in_frac; continue; }   /* the unscaled value has no leading zeros */
        digits[nd++] = *p;
        frac += in_frac;
    }
    if (*p) {
        char *end;
        errno = 0;
        exp = strtol(p + 1, &end, 10);
        if (end == p + 1 || *end || errno || exp > 100000 || exp < -100000) return 0;
    }
    if (nd == 0) digits[nd++] = '0';
    digits[nd] = '\0';
    long scale = frac - exp;
    long adjusted = -scale + (long)(nd - 1);
    int n;
    if (scale == 0) {
        n = snprintf(out, cap, "%s", digits);
    } else if (scale > 0 && adjusted >= -6) {         /* plain: 12.5, 0.0015 */
        if ((long)nd > scale)
            n = snprintf(out, cap, "%.*s.%s", (int)((long)nd - scale), digits, digits + ((long)nd - scale));
        else                                           /* adjusted >= -6 keeps the zeros below 6 */
            n = snprintf(out, cap, "0.%.*s%s", (int)(scale - (long)nd), "000000", digits);
    } else {                                           /* scientific: 1.2E+7, 1E-7 */
        n = snprintf(out, cap, "%c%s%sE%+ld", digits[0], nd > 1 ? "." : "", digits + 1, adjusted);
    }
    return n > 0 && (size_t)n < cap;
}


static int arg_string(const Value *v) { return v && v->kind == V_STRING; }

/* String.replaceAll / replaceFirst. Java and PCRE2 regexes agree on what real
 * configs use; the replacement may use $1 (no backslash escapes). */
static Value *regex_replace_value(GroovyEnv *g, const Value *s, const Value *re, const Value *with, int global)
{
    /* every match may add the replacement, and a `$1` in it up to the whole
     * text: beyond the cap the answer is not worked out at all */
    size_t per_match = with->len + (memchr(with->s, '$', with->len) ? s->len : 0);
    if (per_match && (s->len + 1) > REGEX_MAX_OUTPUT / per_match) return fail(g, "string too long");
    if (!groovy_charge(g, (long long)(s->len / 64) + 1)) return fail(g, "too much work to evaluate before the run");
    int bad;
    Regex *rx = regex_new(re->s, re->len, &bad);
    size_t outlen = 0;
    char *out = rx ? regex_replace(rx, s->s, s->len, with->s, with->len, global, &outlen) : NULL;
    Value *res = out && outlen <= VALUE_MAX_STRING ? value_string(g->a, out, outlen) : NULL;
    np_free(out);
    regex_free(rx);
    return res ? res : fail(g, "regular expression");
}

/* Groovy's readLines splits at \n, \r\n and \r; returns the length of the
 * line at s[*pos] and moves *pos past its end. */
static size_t next_line(const char *s, size_t len, size_t *pos)
{
    size_t start = *pos, i = start;
    while (i < len && s[i] != '\n' && s[i] != '\r') i++;
    size_t n = i - start;
    if (i < len && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') i++;
    *pos = i < len ? i + 1 : len;
    return n;
}

static int all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) return 0;
    return 1;
}

/* String.stripIndent() (margin 0) and stripMargin() (margin '|') as Groovy
 * does them: every line rebuilt and joined with \n, the final newline kept
 * only when the text had one. */
static Value *strip_lines(GroovyEnv *g, const char *s, size_t len, char margin)
{
    size_t indent = (size_t)-1, pos = 0;
    if (!margin) {
        while (pos < len) {
            const char *line = s + pos;
            size_t n = next_line(s, len, &pos), k = 0;
            if (all_space(line, n)) continue;
            while (k < n && k < indent && isspace((unsigned char)line[k])) k++;
            indent = k;
        }
        if (indent == (size_t)-1) indent = 0;
    }
    StrBuf b = STRBUF_INIT;
    for (pos = 0; pos < len;) {
        const char *line = s + pos;
        size_t n = next_line(s, len, &pos);
        if (margin) {
            size_t k = 0;
            while (k < n && (unsigned char)line[k] <= ' ') k++;
            if (k < n && line[k] == margin) strbuf_append(&b, line + k + 1, n - k - 1);
            else strbuf_append(&b, line, n);
        } else if (!all_space(line, n)) {
            if (indent < n) strbuf_append(&b, line + indent, n - indent);
        }
        strbuf_putc(&b, '\n');
    }
    if (b.len && len && s[len - 1] != '\n') b.len--;
    Value *v = value_string(g->a, b.data ? b.data : "", b.len);
    strbuf_free(&b);
    return v;
}

/* `x instanceof T` for the Java types configs test against. -1 when the
 * type is not one of them. */
int groovy_instance_of(const Value *v, const char *type)
{
    static const struct { const char *name; unsigned kinds; } types[] = {
        {"String", 1u << V_STRING}, {"CharSequence", 1u << V_STRING}, {"GString", 1u << V_STRING},
        {"Integer", 1u << V_INT}, {"Long", 1u << V_INT}, {"BigDecimal", 1u << V_DECIMAL},
        {"Number", (1u << V_INT) | (1u << V_DECIMAL)}, {"Boolean", 1u << V_BOOL},
        {"List", 1u << V_LIST}, {"Collection", 1u << V_LIST}, {"Map", (1u << V_MAP) | (1u << V_SCOPE)},
        {"Closure", 1u << V_CLOSURE}, {"MemoryUnit", 1u << V_MEMORY}, {"Duration", 1u << V_DURATION},
        {"Path", 1u << V_PATH},
    };
    const char *dot = strrchr(type, '.');
    if (dot) type = dot + 1;          /* java.lang.String, nextflow.util.MemoryUnit */
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(type, types[i].name)) return v && ((1u << v->kind) & types[i].kinds) != 0;
    return -1;
}

/* Orders two list elements as Groovy's sort/min/max do, for lists of
 * integers or of strings only; 2 when they cannot be compared here. */
int groovy_order(const Value *a, const Value *b)
{
    if (a->kind == V_INT && b->kind == V_INT) return (a->i > b->i) - (a->i < b->i);
    if (a->kind == V_STRING && b->kind == V_STRING) {
        size_t m = a->len < b->len ? a->len : b->len;
        int cmp = memcmp(a->s, b->s, m);
        return cmp ? (cmp > 0) - (cmp < 0) : (a->len > b->len) - (a->len < b->len);
    }
    return 2;
}

static void flatten_into(GroovyEnv *g, Value *out, const Value *l, int depth)
{
    for (size_t i = 0; i < l->nitems; i++) {
        if (l->items[i] && l->items[i]->kind == V_LIST && depth < 64) flatten_into(g, out, l->items[i], depth + 1);
        else value_list_push(g->a, out, l->items[i]);
    }
}

/* first, last, toList, sort, unique, min, max, sum, flatten, reverse on a list;
 * NULL when the method or the elements are not ones evaluated here. */
static Value *list_method(GroovyEnv *g, Value *l, const char *m)
{
    size_t n = l->nitems;
    /* quadratic ones pay for it: past the budget the call stays dynamic */
    if (!groovy_charge(g, !strcmp(m, "unique") || !strcmp(m, "sort") ? (long long)n * (long long)n : (long long)n))
        return fail(g, "too much work to evaluate before the run");
    if (!strcmp(m, "first") || !strcmp(m, "last")) return n ? l->items[m[0] == 'f' ? 0 : n - 1] : NULL;
    if (!strcmp(m, "toList")) return l;
    if (!strcmp(m, "flatten")) {
        Value *out = value_new(g->a, V_LIST);
        if (out) flatten_into(g, out, l, 0);
        return out;
    }
    if (!strcmp(m, "reverse")) {
        Value *out = value_new(g->a, V_LIST);
        for (size_t i = n; out && i-- > 0;) value_list_push(g->a, out, l->items[i]);
        return out;
    }
    if (!strcmp(m, "unique")) {
        Value *out = value_new(g->a, V_LIST);
        for (size_t i = 0; out && i < n; i++) {
            int seen = 0;
            for (size_t k = 0; k < out->nitems && !seen; k++) {
                int eq = value_equal(out->items[k], l->items[i]);
                if (eq < 0) return NULL;
                seen = eq;
            }
            if (!seen) value_list_push(g->a, out, l->items[i]);
        }
        return out;
    }
    int sort = !strcmp(m, "sort"), min = !strcmp(m, "min"), max = !strcmp(m, "max"), sum = !strcmp(m, "sum");
    if (!sort && !min && !max && !sum) return NULL;
    for (size_t i = 0; i < n; i++)
        if (!l->items[i] || groovy_order(l->items[i], l->items[0]) == 2) return NULL;
    if (sum) {
        if (!n) return value_new(g->a, V_NULL);
        if (l->items[0]->kind == V_INT) {
            long long t = 0;
            for (size_t i = 0; i < n; i++)
                if (__builtin_add_overflow(t, l->items[i]->i, &t)) return NULL;
            return value_int(g->a, t);
        }
        StrBuf sb = STRBUF_INIT;
        for (size_t i = 0; i < n; i++) strbuf_append(&sb, l->items[i]->s, l->items[i]->len);
        Value *v = sb.failed ? NULL : value_string(g->a, sb.data ? sb.data : "", sb.len);
        strbuf_free(&sb);
        return v;
    }
    if (min || max) {
        if (!n) return value_new(g->a, V_NULL);
        Value *best = l->items[0];
        for (size_t i = 1; i < n; i++)
            if (groovy_order(l->items[i], best) == (max ? 1 : -1)) best = l->items[i];
        return best;
    }
    /* sort: a stable insertion sort of a copy (config lists are short) */
    Value *out = value_new(g->a, V_LIST);
    for (size_t i = 0; out && i < n; i++) {
        if (!value_list_push(g->a, out, l->items[i])) return NULL;
        for (size_t k = out->nitems - 1; k > 0 && groovy_order(out->items[k - 1], out->items[k]) > 0; k--) {
            Value *t = out->items[k]; out->items[k] = out->items[k - 1]; out->items[k - 1] = t;
        }
    }
    return out;
}

/* Methods on known values (nextflow-config.md §10.3 lists what real configs use). */
Value *groovy_method(GroovyEnv *g, Value *obj, const char *m, Value **args, size_t nargs)
{
    if (!obj || obj->kind == V_DYNAMIC) return fail(g, "method on a dynamic value");
    for (size_t i = 0; i < nargs; i++)
        if (args[i] && args[i]->kind == V_DYNAMIC) return fail(g, "dynamic argument");
    if (!strcmp(m, "toString") && nargs == 0) return to_string(g, obj);
    if (obj->kind == V_STRING || obj->kind == V_PATH) {
        const char *s = obj->s;
        size_t len = obj->len;
        if (nargs == 0) {
            if (!strcmp(m, "trim")) {
                while (len && isspace((unsigned char)*s)) { s++; len--; }
                while (len && isspace((unsigned char)s[len - 1])) len--;
                return value_string(g->a, s, len);
            }
            if (!strcmp(m, "toLowerCase") || !strcmp(m, "toUpperCase")) {
                Value *v = value_string(g->a, s, len);
                if (!v) return NULL;
                char *w = (char *)v->s;
                for (size_t i = 0; i < len; i++)
                    w[i] = (char)(m[2] == 'L' ? tolower((unsigned char)w[i]) : toupper((unsigned char)w[i]));
                return v;
            }
            if (!strcmp(m, "toInteger") || !strcmp(m, "toLong") || !strcmp(m, "toInt")) {
                char *end;
                const char *z = arena_strndup(g->a, obj->s, obj->len);
                if (!z) return NULL;
                long long x = strtoll(z, &end, 10);
                if (end == z || *end) return fail(g, "not an integer");
                return value_int(g->a, x);
            }
            if (!strcmp(m, "toBoolean")) {
                /* Groovy: true only for "true", "y" and "1" (case-insensitive, trimmed) */
                char buf[8] = {0};
                size_t k = 0;
                for (size_t i = 0; i < len && k < 7; i++)
                    if (!isspace((unsigned char)s[i])) buf[k++] = (char)tolower((unsigned char)s[i]);
                return value_bool(g->a, !strcmp(buf, "true") || !strcmp(buf, "y") || !strcmp(buf, "1"));
            }
            if (!strcmp(m, "isEmpty")) return value_bool(g->a, len == 0);
            if (!strcmp(m, "stripIndent")) return strip_lines(g, s, len, 0);
            if (!strcmp(m, "reverse")) {
                Value *v = value_string(g->a, s, len);
                if (!v) return NULL;
                char *w = (char *)v->s;
                for (size_t i = 0; i < len / 2; i++) { char t = w[i]; w[i] = w[len - 1 - i]; w[len - 1 - i] = t; }
                return v;
            }
            if (!strcmp(m, "capitalize")) {
                Value *v = value_string(g->a, s, len);
                if (v && len) ((char *)v->s)[0] = (char)toupper((unsigned char)s[0]);
                return v;
            }
            if (!strcmp(m, "stripMargin")) return strip_lines(g, s, len, '|');
            if (!strcmp(m, "size") || !strcmp(m, "length")) return value_int(g->a, (long long)len);
            if (!strcmp(m, "tokenize")) {
                args = NULL;
                Value *sep = value_string(g->a, " \t\n\r\f", 5);
                return groovy_method(g, obj, "tokenize", &sep, 1);
            }
        }
        if (nargs >= 1 && nargs <= 2 && args[0] && args[0]->kind == V_INT) {
            /* substring(a[, b]), take(n), drop(n), padLeft/padRight(n[, pad]) */
            long long x = args[0]->i, y = nargs == 2 && args[1] && args[1]->kind == V_INT ? args[1]->i : -1;
            if (!strcmp(m, "substring")) {
                if (nargs == 1) y = (long long)len;
                if (x < 0 || y < x || y > (long long)len) return fail(g, "substring out of range");
                return value_string(g->a, s + x, (size_t)(y - x));
            }
            if (nargs == 1 && (!strcmp(m, "take") || !strcmp(m, "drop"))) {
                size_t k = x < 0 ? 0 : (size_t)x > len ? len : (size_t)x;
                return m[0] == 't' ? value_string(g->a, s, k) : value_string(g->a, s + k, len - k);
            }
            if ((!strcmp(m, "padLeft") || !strcmp(m, "padRight")) && x <= 100000 &&
                (nargs == 1 || (args[1] && args[1]->kind == V_STRING && args[1]->len))) {
                const char *pad = nargs == 2 ? args[1]->s : " ";
                size_t plen = nargs == 2 ? args[1]->len : 1, want = x > (long long)len ? (size_t)x - len : 0;
                if (!groovy_charge(g, (long long)want / 64)) return fail(g, "too much work to evaluate before the run");
                StrBuf sb = STRBUF_INIT;
                if (m[3] == 'R') strbuf_append(&sb, s, len);
                for (size_t k = 0; k < want; k++) strbuf_putc(&sb, pad[k % plen]);
                if (m[3] == 'L') strbuf_append(&sb, s, len);
                Value *v = sb.failed ? NULL : value_string(g->a, sb.data ? sb.data : "", sb.len);
                strbuf_free(&sb);
                return v;
            }
        }
        if (nargs == 1 && arg_string(args[0])) {
            const Value *a0 = args[0];
            if (!strcmp(m, "indexOf") || !strcmp(m, "lastIndexOf")) {
                long long at = -1;
                for (size_t i = 0; i + a0->len <= len; i++)
                    if (!memcmp(s + i, a0->s, a0->len)) { at = (long long)i; if (m[0] == 'i') break; }
                return value_int(g->a, at);
            }
            if (!strcmp(m, "matches")) {
                int bad;
                Regex *re = regex_new(a0->s, a0->len, &bad);
                int mt = re ? regex_matches_whole(re, s, len) : -1;
                regex_free(re);
                return mt < 0 ? fail(g, "regular expression") : value_bool(g->a, mt);
            }
            if (!strcmp(m, "startsWith")) return value_bool(g->a, a0->len <= len && !memcmp(s, a0->s, a0->len));
            if (!strcmp(m, "endsWith")) return value_bool(g->a, a0->len <= len && !memcmp(s + len - a0->len, a0->s, a0->len));
            if (!strcmp(m, "contains")) {
                if (a0->len == 0) return value_bool(g->a, 1);
                for (size_t i = 0; i + a0->len <= len; i++)
                    if (!memcmp(s + i, a0->s, a0->len)) return value_bool(g->a, 1);
                return value_bool(g->a, 0);
            }
            if (!strcmp(m, "equals")) return value_bool(g->a, value_equal(obj, a0) == 1);
            if (!strcmp(m, "tokenize") || (!strcmp(m, "split") && a0->len == 1 && !strchr(".$|()[]{}^?*+\\", a0->s[0]))) {
                /* tokenize: any of the characters separates, empty tokens dropped;
                 * split with a one-character non-regex separator keeps inner empties */
                Value *l = value_new(g->a, V_LIST);
                if (!l) return NULL;
                int tok = m[0] == 't';
                size_t i = 0, startp = 0;
                for (; i <= len; i++) {
                    int is_sep = i == len || memchr(a0->s, s[i], a0->len) != NULL;
                    if (!is_sep) continue;
                    if (!tok || i > startp) value_list_push(g->a, l, value_string(g->a, s + startp, i - startp));
                    startp = i + 1;
                }
                if (!tok) while (l->nitems && l->items[l->nitems - 1]->len == 0) l->nitems--;
                return l;
            }
        }
        if (nargs == 2 && (!strcmp(m, "replaceAll") || !strcmp(m, "replaceFirst")) && arg_string(args[0]) &&
            arg_string(args[1]) && !memchr(args[1]->s, '\\', args[1]->len))
            return regex_replace_value(g, obj, args[0], args[1], m[7] == 'A');
        if (nargs == 2 && !strcmp(m, "replace") && arg_string(args[0]) && arg_string(args[1])) {
            const Value *from = args[0], *to = args[1];
            StrBuf b = STRBUF_INIT;
            for (size_t i = 0; i < len;) {
                if (b.len > VALUE_MAX_STRING) { strbuf_free(&b); return fail(g, "string too long"); }
                if (from->len && i + from->len <= len && !memcmp(s + i, from->s, from->len)) {
                    strbuf_append(&b, to->s, to->len);
                    i += from->len;
                } else {
                    strbuf_putc(&b, s[i++]);
                }
            }
            Value *v = value_string(g->a, b.data ? b.data : "", b.len);
            strbuf_free(&b);
            return v;
        }
    }
    if (obj->kind == V_INT || obj->kind == V_DECIMAL) {
        if (nargs == 0 && (!strcmp(m, "toInteger") || !strcmp(m, "toLong") || !strcmp(m, "intValue")))
            return value_int(g->a, obj->kind == V_INT ? obj->i : (long long)obj->f);
        if (nargs == 0 && (!strcmp(m, "toMemory") || !strcmp(m, "toDuration"))) {
            Value *v = value_new(g->a, m[2] == 'M' ? V_MEMORY : V_DURATION);
            if (v) v->i = obj->kind == V_INT ? obj->i : (long long)obj->f;
            return v;
        }
    }
    if (obj->kind == V_INT && nargs == 1 && args[0] && args[0]->kind == V_INT && !strcmp(m, "intdiv")) {
        if (!args[0]->i || (args[0]->i == -1 && obj->i == LLONG_MIN)) return fail(g, "division");
        return value_int(g->a, obj->i / args[0]->i);
    }
    if (obj->kind == V_INT && nargs == 0 && !strcmp(m, "abs") && obj->i != LLONG_MIN)
        return value_int(g->a, obj->i < 0 ? -obj->i : obj->i);
    if ((obj->kind == V_MEMORY || obj->kind == V_DURATION) && nargs == 0) {
        /* MemoryUnit.toGiga() …, Duration.toHours() …: whole units, truncated */
        static const struct { const char *name; ValueKind kind; long long div; } units[] = {
            {"toBytes", V_MEMORY, 1}, {"toKilo", V_MEMORY, 1LL << 10}, {"toMega", V_MEMORY, 1LL << 20},
            {"toGiga", V_MEMORY, 1LL << 30}, {"toMillis", V_DURATION, 1}, {"toSeconds", V_DURATION, 1000},
            {"toMinutes", V_DURATION, 60000}, {"toHours", V_DURATION, 3600000}, {"toDays", V_DURATION, 86400000},
        };
        for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
            if (units[k].kind == obj->kind && !strcmp(m, units[k].name)) return value_int(g->a, obj->i / units[k].div);
    }
    if (obj->kind == V_LIST && nargs == 0) {
        Value *l = list_method(g, obj, m);
        if (l || g->why) return l;
    }
    if (obj->kind == V_LIST && nargs == 1 && (!strcmp(m, "minus") || !strcmp(m, "plus"))) {
        return m[0] == 'm' ? groovy_list_minus(g, obj, args[0]) : groovy_list_plus(g, obj, args[0]);
    }
    if (obj->kind == V_BOOL && nargs == 0 && !strcmp(m, "toBoolean")) return obj;
    if ((obj->kind == V_LIST) && nargs == 1 && !strcmp(m, "contains")) {
        for (size_t i = 0; i < obj->nitems; i++) {
            int eq = value_equal(obj->items[i], args[0]);
            if (eq < 0) return fail(g, "membership");
            if (eq) return value_bool(g->a, 1);
        }
        return value_bool(g->a, 0);
    }
    if ((obj->kind == V_LIST) && nargs == 1 && !strcmp(m, "join") && arg_string(args[0])) {
        StrBuf b = STRBUF_INIT;
        for (size_t i = 0; i < obj->nitems; i++) {
            if (i) strbuf_append(&b, args[0]->s, args[0]->len);
            if (b.len > VALUE_MAX_STRING || !value_to_string(&b, obj->items[i])) { strbuf_free(&b); return fail(g, "join"); }
        }
        Value *v = value_string(g->a, b.data ? b.data : "", b.len);
        strbuf_free(&b);
        return v;
    }
    if ((obj->kind == V_LIST || obj->kind == V_MAP || obj->kind == V_SCOPE) && nargs == 0 &&
        (!strcmp(m, "size") || !strcmp(m, "isEmpty")))
        return m[0] == 's' ? value_int(g->a, (long long)(obj->kind == V_LIST ? obj->nitems : obj->nentries))
                           : value_bool(g->a, (obj->kind == V_LIST ? obj->nitems : obj->nentries) == 0);
    if ((obj->kind == V_MAP || obj->kind == V_SCOPE) && nargs == 0 && (!strcmp(m, "keySet") || !strcmp(m, "values"))) {
        Value *l = value_new(g->a, V_LIST);
        for (size_t i = 0; l && i < obj->nentries; i++) {
            const Entry *e = &obj->entries[i];
            if (!value_list_push(g->a, l, m[0] == 'k' ? value_string(g->a, e->key, e->keylen) : e->val)) return NULL;
        }
        return l;
    }
    if ((obj->kind == V_MAP || obj->kind == V_SCOPE) && nargs == 2 && arg_string(args[0]) &&
        (!strcmp(m, "get") || !strcmp(m, "getOrDefault"))) {
        Entry *e = value_entry(obj, args[0]->s, args[0]->len);
        if (e) return e->val;
        /* Groovy's get(key, default) also stores the default */
        if (m[3] == '\0' && !value_set(g->a, obj, args[0]->s, args[0]->len, args[1], NULL)) return NULL;
        return args[1];
    }
    if (obj->kind == V_LIST && nargs == 0 && !strcmp(m, "withIndex")) {
        Value *l = value_new(g->a, V_LIST);
        for (size_t i = 0; l && i < obj->nitems; i++) {
            Value *pair = value_new(g->a, V_LIST);
            if (!pair || !value_list_push(g->a, pair, obj->items[i]) ||
                !value_list_push(g->a, pair, value_int(g->a, (long long)i)) || !value_list_push(g->a, l, pair))
                return NULL;
        }
        return l;
    }
    if ((obj->kind == V_MAP || obj->kind == V_SCOPE) && nargs == 1 && arg_string(args[0])) {
        if (!strcmp(m, "containsKey")) return value_bool(g->a, value_entry(obj, args[0]->s, args[0]->len) != NULL);
        if (!strcmp(m, "get")) {
            Entry *e = value_entry(obj, args[0]->s, args[0]->len);
            return e ? e->val : value_new(g->a, V_NULL);
        }
    }
    return fail(g, "unsupported method");
}

