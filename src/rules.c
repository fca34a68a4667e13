#include "rules.h"
#include <string.h>

/* Generated from rules.def, in RuleId order. */
const Rule rule_table[] = {
#define RULE(sym, id, name, sev, fixable, summary, explain, predicts, checked) \
    [RULE_##sym] = {id, name, sev, fixable, summary, explain, predicts, checked},
#include "rules.def"
#undef RULE
};

const size_t rule_count = RULE_COUNT;

const Rule *rule_find(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < rule_count; i++)
        if (!strcmp(rule_table[i].name, name) || !strcmp(rule_table[i].id, name))
            return &rule_table[i];
    return NULL;
}

RuleId rule_id_of(const char *name)
{
    const Rule *r = rule_find(name);
    return r ? (RuleId)(r - rule_table) : RULE_COUNT;
}
