/* syntax — names of the tree's node kinds (syntax.h). */
#include "syntax.h"

static const char *const kind_names[N__COUNT] = {
    "file", "assign", "path", "segment", "block", "selector", "include", "command",
    "if", "body", "try", "catch", "var", "func", "param", "import", "return", "throw",
    "assert", "loop", "expr-stmt", "empty", "int", "float", "string", "bool", "null",
    "gstring", "ident", "prop", "index", "call", "named-arg", "list", "map", "map-entry",
    "closure", "unary", "postfix", "binary", "ternary", "elvis", "cast", "instanceof",
    "new", "paren", "error",
};

const char *node_kind_name(NodeKind k)
{
    return (unsigned)k < N__COUNT ? kind_names[k] : "?";
}
