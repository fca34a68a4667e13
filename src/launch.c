/* Placeholder until the launch reader lands. */
#include "launch.h"
#include "alloc.h"
#include <string.h>

int launch_parse(const char *name, const char *text, size_t len, LaunchInfo *out, char **err)
{
    (void)text; (void)len;
    memset(out, 0, sizeof *out);
    size_t n = strlen(name) + 64;
    *err = np_malloc(n);
    if (*err) { strcpy(*err, name); strcat(*err, ": launch files are not supported yet"); }
    return -1;
}

int launch_read(const char *path, LaunchInfo *out, char **err)
{
    return launch_parse(path, "", 0, out, err);
}

void launch_info_free(LaunchInfo *info) { (void)info; }
