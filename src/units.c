/* units — memory and duration units. See units.h for the sources. */
#include "units.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Duration.UNITS with their length in milliseconds (MILLIS, SECONDS,
 * MINUTES, HOURS, DAYS lists of nextflow/util/Duration). */
static const struct { const char *name; long long ms; } duration_units[] = {
    {"ms", 1}, {"milli", 1}, {"millis", 1},
    {"s", 1000}, {"sec", 1000}, {"second", 1000}, {"seconds", 1000},
    {"m", 60000}, {"min", 60000}, {"minute", 60000}, {"minutes", 60000},
    {"h", 3600000}, {"hour", 3600000}, {"hours", 3600000},
    {"d", 86400000}, {"day", 86400000}, {"days", 86400000},
};

/* MemoryUnit.UNITS: the index is the power of 1024. */
static const char *const memory_units[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB", "ZB"};
#define MEMORY_UNITS (sizeof memory_units / sizeof memory_units[0])

/* Largest amount a Java long (and our long long) holds, as a double bound. */
#define AMOUNT_LIMIT 9.2233720368547758e18

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }
static char upper(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c; }
/* java.util.regex \s */
static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

/* Duration unit by exact (case-sensitive) name: its milliseconds, or 0. */
static long long duration_ms(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++)
        if (strlen(duration_units[i].name) == len && memcmp(duration_units[i].name, name, len) == 0)
            return duration_units[i].ms;
    return 0;
}

/* Memory unit by upper-case name: its power of 1024, or -1. */
static int memory_power(const char *name, size_t len)
{
    for (size_t i = 0; i < MEMORY_UNITS; i++)
        if (strlen(memory_units[i]) == len && memcmp(memory_units[i], name, len) == 0) return (int)i;
    return -1;
}

/* A suffix as NumberDelegatingMetaClass reads it: lower-cased for durations,
 * upper-cased for memory. *ms or *power says how much one unit is. */
static UnitKind suffix(const char *name, size_t len, long long *ms, int *power)
{
    char buf[16];
    if (!name || len == 0 || len >= sizeof buf) return UNIT_NONE;
    for (size_t i = 0; i < len; i++) buf[i] = lower(name[i]);
    if ((*ms = duration_ms(buf, len)) != 0) return UNIT_DURATION;
    for (size_t i = 0; i < len; i++) buf[i] = upper(name[i]);
    if ((*power = memory_power(buf, len)) >= 0) return UNIT_MEMORY;
    return UNIT_NONE;
}

UnitKind units_suffix(const char *name, size_t len)
{
    long long ms;
    int power;
    return suffix(name, len, &ms, &power);
}

int units_scale(const char *name, size_t len, int is_int, long long i, double d, UnitKind *kind,
                long long *out)
{
    long long ms = 0;
    int power = 0;
    *kind = suffix(name, len, &ms, &power);
    if (*kind == UNIT_NONE) return UNITS_INVALID;
    if (*kind == UNIT_MEMORY && power * 10 >= 63) {
        /* one ZB is 2^70 bytes: only nothing of it fits */
        if (is_int ? i != 0 : d != 0.0) return UNITS_OVERFLOW;
        *out = 0;
        return UNITS_OK;
    }
    long long mult = *kind == UNIT_MEMORY ? 1LL << (power * 10) : ms;
    if (is_int ? (i > LLONG_MAX / mult || i < -(LLONG_MAX / mult)) : !(fabs(d * (double)mult) < 9.2e18))
        return UNITS_OVERFLOW;
    *out = is_int ? i * mult : (long long)(d * (double)mult);
    return UNITS_OK;
}

/* Java's Math.round of a non-negative double into *out, or overflow. */
static int round_amount(double x, long long *out)
{
    if (!(x < AMOUNT_LIMIT)) return UNITS_OVERFLOW;
    if (out) *out = (long long)floor(x + 0.5);
    return UNITS_OK;
}

/* `<digits>[.<digits>]` at s[*i] (Duration's \d+\.?\d*) as a double. */
static int read_number(const char *s, size_t len, size_t *i, double *value)
{
    size_t start = *i, k = *i;
    while (k < len && is_digit(s[k])) k++;
    if (k == start) return 0;
    if (k < len && s[k] == '.') {
        k++;
        while (k < len && is_digit(s[k])) k++;
    }
    char buf[64];
    size_t n = k - start;
    if (n >= sizeof buf) {
        /* more digits than a double tells apart: only its size matters */
        *value = HUGE_VAL;
    } else {
        memcpy(buf, s + start, n);
        buf[n] = '\0';
        *value = strtod(buf, NULL);
    }
    *i = k;
    return 1;
}

/* Duration.parseLegacy: exactly hh:mm:ss with one or two digits each. */
static int legacy_duration(const char *s, size_t len, long long *out)
{
    long long part[3] = {0, 0, 0};
    size_t i = 0;
    for (int p = 0; p < 3; p++) {
        size_t start = i;
        while (i < len && is_digit(s[i]) && i - start < 3) part[p] = part[p] * 10 + (s[i++] - '0');
        if (i == start || i - start > 2) return UNITS_INVALID;
        if (p < 2 && (i >= len || s[i++] != ':')) return UNITS_INVALID;
    }
    if (i != len) return UNITS_INVALID;
    if (out) *out = part[0] * 3600000 + part[1] * 60000 + part[2] * 1000;
    return UNITS_OK;
}

int units_parse_duration(const char *s, size_t len, long long *out)
{
    /* Duration.parseSimple: groups `^(\d+\.?\d*)\s*([a-zA-Z]+)`, the rest
     * trimmed after each; the first must be at the very start. */
    double total = 0;
    size_t i = 0;
    int groups = 0;
    while (i < len) {
        double num;
        size_t at = i;
        if (!read_number(s, len, &i, &num)) break;
        while (i < len && is_space(s[i])) i++;
        size_t unit = i;
        while (i < len && is_alpha(s[i])) i++;
        if (i == unit) { i = at; break; }
        long long ms = duration_ms(s + unit, i - unit);
        if (!ms) return UNITS_INVALID;   /* an unknown unit name: no legacy retry */
        double part = num * (double)ms;
        if (!(part < AMOUNT_LIMIT)) return UNITS_OVERFLOW;
        total += floor(part + 0.5);
        groups++;
        while (i < len && (unsigned char)s[i] <= ' ') i++;   /* String.trim() */
    }
    if (groups > 0 && i == len) return round_amount(total, out);
    return legacy_duration(s, len, out);
}

int units_parse_memory(const char *s, size_t len, long long *out)
{
    /* MemoryUnit(String): the whole text is ([0-9.]+)\s*(\S)?B? */
    size_t i = 0;
    while (i < len && (is_digit(s[i]) || s[i] == '.')) i++;
    size_t numlen = i;
    if (numlen == 0) return UNITS_INVALID;
    while (i < len && is_space(s[i])) i++;
    size_t rest = len - i;
    char letter = 0;
    if (rest == 1 && !is_space(s[i])) letter = upper(s[i]);
    else if (rest == 2 && !is_space(s[i]) && s[i + 1] == 'B') letter = upper(s[i]);
    else if (rest != 0) return UNITS_INVALID;

    size_t dots = 0;
    for (size_t k = 0; k < numlen; k++) dots += s[k] == '.';
    if (letter == 0 || letter == 'B') {
        /* Long.parseLong: digits only, at most 19 of them and within range */
        if (dots || numlen > 19) return UNITS_INVALID;
        unsigned long long v = 0;
        for (size_t k = 0; k < numlen; k++) v = v * 10 + (unsigned long long)(s[k] - '0');
        if (v > (unsigned long long)LLONG_MAX) return UNITS_INVALID;
        if (out) *out = (long long)v;
        return UNITS_OK;
    }
    char name[3] = {letter, 'B', '\0'};
    int power = memory_power(name, 2);
    if (power < 0) return UNITS_INVALID;
    /* Double.parseDouble of digits and at most one '.', not "." alone */
    if (dots > 1 || numlen == dots) return UNITS_INVALID;
    size_t k = 0;
    double value;
    if (s[0] == '.') {
        /* ".5": strtod reads it, read_number does not */
        char buf[64];
        if (numlen >= sizeof buf) return UNITS_OVERFLOW;
        memcpy(buf, s, numlen);
        buf[numlen] = '\0';
        value = strtod(buf, NULL);
    } else if (!read_number(s, numlen, &k, &value)) {
        return UNITS_INVALID;
    }
    return round_amount(value * pow(1024.0, power), out);
}
