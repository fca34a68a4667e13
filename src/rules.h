/* rules — the catalogue: every rule's stable id, kebab name, default severity,
 * whether a fix exists, and its documentation, generated from rules.def.
 * `nf-preflight rules`, `explain`, SARIF's tool.driver.rules and
 * docs/rules.md all come from here. rule_table[r] describes RuleId r. */
#ifndef NFP_RULES_H
#define NFP_RULES_H
#include <stddef.h>
#include "rule_id.h"

typedef struct Rule {
    const char *id;        /* stable: NFP001 ... never reused */
    const char *name;      /* kebab-case, the `rule` value in output */
    Severity    severity;  /* default */
    int         fixable;
    const char *summary;   /* one line */
    const char *explain;   /* paragraphs, with an example */
    const char *predicts;  /* the Nextflow or Wave behaviour the rule predicts ("" for the tool's own) */
    const char *checked_against; /* the source (repository, commit, file) it was checked against */
} Rule;

extern const Rule rule_table[];
extern const size_t rule_count;    /* RULE_COUNT */

/* By kebab name or NFP id (user input: settings, suppressions, explain);
 * NULL when there is none. */
const Rule *rule_find(const char *name_or_id);
/* The RuleId of a name or id, or RULE_COUNT when there is none. */
RuleId rule_id_of(const char *name_or_id);
/* 1 when `selector` (a --select/--ignore word) covers r: "ALL", or a prefix
 * of r's id (case-insensitive: "NFP0", "nfp009") or of its name ("wave-",
 * "wave-not-enabled"). An empty selector covers nothing. */
int rule_selected(const Rule *r, const char *selector);

#endif
