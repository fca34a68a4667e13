/* launch — reading Platform launch payloads (a launch request, `tw pipelines
 * export` output, or a bare launch object; JSON or YAML): the config text,
 * profiles and params they carry, and where the config text sits in the
 * document so that it can be patched in place. */
#ifndef NFP_LAUNCH_H
#define NFP_LAUNCH_H
#include <stddef.h>

typedef struct LaunchInfo {
    char  *config_text;          /* decoded configText, or NULL when absent */
    size_t config_len;
    size_t text_start, text_end; /* byte span of the configText value (with quotes) in the document */
    char **profiles;             /* configProfiles */
    size_t nprofiles;
    char  *params_text;          /* paramsText (JSON or YAML), or NULL */
    size_t params_len;
    int    is_yaml;
} LaunchInfo;

/* 0 on success; -1 with an np_malloc'd "FILE:LINE:COL: message" in *err. */
int  launch_read(const char *path, LaunchInfo *out, char **err);
int  launch_parse(const char *name, const char *text, size_t len, LaunchInfo *out, char **err);
void launch_info_free(LaunchInfo *info);

#endif
