/* secretname — which option names hold secrets (tower.accessToken,
 * aws.secretKey, azure.*.accountKey, TOWER_ACCESS_TOKEN in env { } …), so
 * that printers redact their values and the hardcoded-secret rule finds them.
 * A low-level predicate on purpose: the resolver's printers use it too. */
#ifndef NFP_SECRETNAME_H
#define NFP_SECRETNAME_H
#include <stddef.h>

int secret_option_name(const char *name, size_t len);

/* What printers show instead of a secret value. */
#define SECRET_REDACTED "<redacted>"

#endif
