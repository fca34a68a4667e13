/* mask — the part of redaction the layers below redact need: the floor under
 * which a secret is not searched for in text, and the in-place masking of a
 * known token (a bearer token, a registry password) in an error text. The
 * network client masks its own token with it before any text leaves it;
 * redact (layer 3) builds everything else on the same floor. */
#ifndef NFP_MASK_H
#define NFP_MASK_H
#include <stddef.h>

/* The floor: secret values shorter than this are not searched for in text
 * (not collected, not replaced by mask_token): they would match ordinary
 * words ("pro*y" for a one-letter token) and hide nothing worth hiding. A
 * secret-named value is still hidden whole where it is printed as a value
 * (redact_entry), and a source span or a URL password by its place. */
#define SECRET_MIN_LEN 8

/* Replaces, in place, each occurrence of secret in the NUL-terminated msg by
 * three `*` (never longer than the secret, so it fits). Returns the number
 * of occurrences; NULL arguments and a secret shorter than SECRET_MIN_LEN do
 * nothing. For error texts that may echo a bearer token (a URL, a server's
 * reply). */
size_t mask_token(char *msg, const char *secret);

#endif
