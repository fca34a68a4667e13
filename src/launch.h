/* launch — reading Platform launch payloads (a launch request, `tw pipelines
 * export` output, or a bare launch object; JSON or YAML): the config text,
 * profiles and params they carry, and where the config text sits in the
 * document so that it can be patched in place.
 *
 * Shapes (research/seqera-wave-credentials.md §4): `{"launch": {...}}` (the
 * POST /workflow/launch body and the GET …/launch answers), `{description,
 * icon, launch: {...}, version}` (tw pipelines export), or the launch object
 * itself with configText/configProfiles/paramsText at the top. */
#ifndef NFP_LAUNCH_H
#define NFP_LAUNCH_H
#include <stddef.h>
#include "strbuf.h"

typedef enum LaunchShape {
    LAUNCH_SHAPE_BARE = 0,       /* configText etc. at the top level */
    LAUNCH_SHAPE_WRAPPED         /* inside a "launch" object */
} LaunchShape;

/* How the configText value is written in the document. */
typedef enum LaunchTextStyle {
    LAUNCH_STYLE_NONE = 0,       /* absent (or null) */
    LAUNCH_STYLE_JSON,           /* JSON string literal */
    LAUNCH_STYLE_YAML_PLAIN,
    LAUNCH_STYLE_YAML_SINGLE,    /* 'single quoted' */
    LAUNCH_STYLE_YAML_DOUBLE,    /* "double quoted" */
    LAUNCH_STYLE_YAML_LITERAL,   /* | block */
    LAUNCH_STYLE_YAML_FOLDED,    /* > block */
    LAUNCH_STYLE_YAML_ALIAS      /* *anchor */
} LaunchTextStyle;

typedef struct LaunchInfo {
    char  *config_text;          /* decoded configText, or NULL when absent */
    size_t config_len;
    size_t text_start, text_end; /* byte span of the configText value (with quotes) in the document */
    char **profiles;             /* configProfiles */
    size_t nprofiles;
    char  *params_text;          /* paramsText (JSON or YAML), or NULL */
    size_t params_len;
    int    is_yaml;
    /* where things are, for patching */
    LaunchShape shape;
    LaunchTextStyle text_style;
    size_t obj_start, obj_end;   /* span of the launch object (the one holding configText) */
    int    obj_is_flow;          /* the object is written with braces (JSON or YAML flow) */
    size_t first_key_start;      /* span start of the object's first key (obj_start+1 when empty) */
    size_t nmembers;             /* members of the launch object */
} LaunchInfo;

/* 0 on success; -1 with an np_malloc'd "FILE:LINE:COL: message" in *err
 * (*err may be NULL when memory ran out). */
int  launch_read(const char *path, LaunchInfo *out, char **err);
int  launch_parse(const char *name, const char *text, size_t len, LaunchInfo *out, char **err);
void launch_info_free(LaunchInfo *info);

/* Appends to `out` the document `doc` (parsed into `info` by launch_parse)
 * with its configText replaced by (or, when absent, set to) `text`, every
 * other byte kept: JSON gets a JSON string literal over the old literal; YAML
 * keeps a literal block when the old value was a block and the text can be
 * one, else a double-quoted scalar. The result is parsed again and must hold
 * exactly `text` and the same profiles and params. 0, or -1 with *err
 * (np_malloc'd; NULL when memory ran out). */
int launch_patch_config_text(const char *name, const char *doc, size_t len, const LaunchInfo *info,
                             const char *text, size_t tlen, StrBuf *out, char **err);

/* A YAML double-quoted scalar for `s` (quotes included), for any bytes. */
void launch_yaml_quote(StrBuf *b, const char *s, size_t n);

#endif
