/* units — memory and duration units: the one table of their spellings and
 * the three ways Nextflow reads them. Both the evaluator (eval.c: unit
 * literals, `as MemoryUnit`/`as Duration`) and the option schema (schema.c)
 * ask here, so they cannot disagree.
 *
 * Sources (nextflow-io/nextflow, modules/nf-commons/src/main/):
 *   - number literals `2.GB`, `10.m`, `1.hour`:
 *     groovy/runtime/metaclass/NumberDelegatingMetaClass: the property name
 *     lowercased is a Duration unit, else uppercased a MemoryUnit unit;
 *   - strings as durations: nextflow/util/Duration(String): one or more
 *     `<digits>[.<digits>]<blanks><unit>` groups, unit names case-sensitive
 *     (ms milli millis / s sec second seconds / m min minute minutes /
 *     h hour hours / d day days: no "secs", no "mins", no "H"), or hh:mm:ss;
 *   - strings as memory: nextflow/util/MemoryUnit(String): the whole text is
 *     `[0-9.]+<blanks><one non-blank>?B?`; the letter is read in any case and
 *     a missing 'B' is added (B, KB, MB, GB, TB, PB, EB, ZB): "8 G", "8 GB",
 *     "8 kB" are memory, "8 gb" is not (the optional B is upper case only).
 * Nothing here allocates. */
#ifndef NFP_UNITS_H
#define NFP_UNITS_H
#include <stddef.h>

typedef enum UnitKind { UNIT_NONE = 0, UNIT_DURATION, UNIT_MEMORY } UnitKind;

enum {
    UNITS_OK = 0,
    UNITS_INVALID,    /* Nextflow refuses the text / the name is no unit */
    UNITS_OVERFLOW    /* valid, but the amount does not fit 64 bits (e.g. 16 EB, 1 ZB) */
};

/* What a number-literal suffix names (`GB` in `2.GB`): UNIT_DURATION is
 * tried first, so `m` is minutes. UNIT_NONE when neither. */
UnitKind units_suffix(const char *name, size_t len);

/* `number.name` in milliseconds or bytes into *out, *kind set. The number is
 * `i` when is_int, else `d` (fractions are truncated). UNITS_INVALID when
 * the name is no unit. */
int units_scale(const char *name, size_t len, int is_int, long long i, double d, UnitKind *kind,
                long long *out);

/* Duration(String) and MemoryUnit(String) on `len` bytes: UNITS_OK with the
 * amount in *out (ms or bytes; out may be NULL), UNITS_OVERFLOW, or
 * UNITS_INVALID. No trimming: callers that read config values trim first,
 * as Nextflow's TaskConfig does. */
int units_parse_duration(const char *s, size_t len, long long *out);
int units_parse_memory(const char *s, size_t len, long long *out);

#endif
