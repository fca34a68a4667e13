#include "secretname.h"
#include <string.h>

int secret_option_name(const char *s, size_t n)
{
    static const char *const names[] = {
        "accessToken", "secretKey", "accessKey", "accountKey", "password", "token", "apiKey",
        "sasToken", "secret", "clientSecret", "TOWER_ACCESS_TOKEN", "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID", "AWS_SESSION_TOKEN", "GITHUB_TOKEN", "NXF_GITHUB_TOKEN", "HF_TOKEN",
        "AZURE_STORAGE_KEY", "TOWER_REFRESH_TOKEN",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) return 1;
    return 0;
}
