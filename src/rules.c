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

int rule_selected(const Rule *r, const char *selector)
{
    size_t n = strlen(selector);
    if (!n) return 0;
    if (!strcmp(selector, "ALL")) return 1;
    if (!strncmp(r->name, selector, n)) return 1;
    if (n > strlen(r->id)) return 0;
    for (size_t i = 0; i < n; i++) {
        char c = selector[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c != r->id[i]) return 0;
    }
    return 1;
}
