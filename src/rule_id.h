/* rule_id — RuleId, one enumerator per rule of rules.def (RULE_SYNTAX_ERROR,
 * RULE_WAVE_NOT_ENABLED, ...). Its own header so that diag.h can name rules
 * without the catalogue's documentation types. */
#ifndef NFP_RULE_ID_H
#define NFP_RULE_ID_H

typedef enum RuleId {
#define RULE(sym, id, name, sev, fixable, summary, explain, predicts, checked) RULE_##sym,
#include "rules.def"
#undef RULE
    RULE_COUNT                 /* number of rules; never a rule */
} RuleId;

#endif
