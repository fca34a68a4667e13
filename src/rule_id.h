/* rule_id — RuleId, one enumerator per rule of rules.def (RULE_SYNTAX_ERROR,
 * RULE_WAVE_NOT_ENABLED, ...), and Severity, which a rule has by default and a
 * diagnostic has as reported. Its own header so that diag.h and rules.h can
 * both name them without including each other. */
#ifndef NFP_RULE_ID_H
#define NFP_RULE_ID_H

typedef enum Severity {
    SEV_NONE = -1,     /* "off" in settings */
    SEV_INFO = 0,
    SEV_WARNING = 1,
    SEV_ERROR = 2
} Severity;

typedef enum RuleId {
#define RULE(sym, id, name, sev, fixable, summary, explain, predicts, checked) RULE_##sym,
#include "rules.def"
#undef RULE
    RULE_COUNT                 /* number of rules; never a rule */
} RuleId;

#endif
