/* syntax — the tree the parser builds. One node struct for every production;
 * every node has the byte span of the text it came from. Nodes live in the
 * parse arena and are never freed one by one. */
#ifndef NFP_SYNTAX_H
#define NFP_SYNTAX_H
#include <stddef.h>
#include <stdint.h>
#include "lex.h"
#include "source.h"
#include "strbuf.h"

typedef enum NodeKind {
    /* statements (config level) */
    N_FILE,         /* kids: statements */
    N_ASSIGN,       /* a: N_PATH target, b: value; op: TK_ASSIGN or a compound operator */
    N_PATH,         /* kids: N_SEGMENT (text = decoded name) */
    N_SEGMENT,
    N_BLOCK,        /* text: name (last segment); a: N_PATH of the name; kids: statements */
    N_SELECTOR,     /* text: kind (withName/withLabel); a: N_SEGMENT target; kids: statements */
    N_INCLUDE,      /* a: expression */
    N_COMMAND,      /* paren-less call as a statement: a: callee expr, kids: args (`id 'x'`, `cpus 4`) */
    /* statements (legacy / closure code) */
    N_IF,           /* a: condition, b: then (N_BODY), c: else (N_BODY, N_IF or NULL) */
    N_BODY,         /* kids: statements of a braced body or one statement */
    N_TRY,          /* a: body, kids: N_CATCH, c: finally body or NULL */
    N_CATCH,        /* text: variable name, a: body */
    N_VAR,          /* text: name, a: initial value or NULL; flags: NF_TYPED */
    N_FUNC,         /* text: name, kids: N_PARAM, a: body */
    N_PARAM,        /* text: name, a: default or NULL */
    N_IMPORT,       /* text: the imported name */
    N_RETURN,       /* a: value or NULL */
    N_THROW,        /* a: value */
    N_ASSERT,       /* a: condition, b: message or NULL */
    N_LOOP,         /* for/while/switch: a: header expression if any, b: body */
    N_EXPR_STMT,    /* a: expression */
    N_EMPTY,
    /* expressions */
    N_INT, N_FLOAT, N_STRING, N_BOOL, N_NULL,   /* text: decoded literal / value text */
    N_GSTRING,      /* kids: N_STRING text parts and expressions, in order */
    N_IDENT,        /* text: name */
    N_PROP,         /* a: object, text: property name; flags NF_SAFE / NF_SPREAD */
    N_INDEX,        /* a: object, kids: index expressions */
    N_CALL,         /* a: callee (N_IDENT or N_PROP for methods), kids: args (N_NAMED_ARG or expr) */
    N_NAMED_ARG,    /* text: name, a: value */
    N_LIST,         /* kids */
    N_MAP,          /* kids: N_MAP_ENTRY */
    N_MAP_ENTRY,    /* a: key (N_STRING for bare names, else expression), b: value */
    N_CLOSURE,      /* kids: N_PARAM, a: N_BODY */
    N_UNARY,        /* op, a */
    N_POSTFIX,      /* op (++/--), a */
    N_BINARY,       /* op, a, b */
    N_TERNARY,      /* a ? b : c */
    N_ELVIS,        /* a ?: b */
    N_CAST,         /* a: expression, text: type name */
    N_INSTANCEOF,   /* a: expression, text: type name; flags NF_NEGATED */
    N_NEW,          /* text: type name, kids: args */
    N_PAREN,        /* a: inner expression */
    N_ERROR,        /* placeholder where an expression failed to parse */
    N__COUNT
} NodeKind;

#define NF_SAFE      1u   /* ?. */
#define NF_SPREAD    2u   /* *. */
#define NF_NEGATED   4u
#define NF_TYPED     8u   /* `String x = …` rather than `def x = …` */
#define NF_LEGACY   16u   /* a construct the strict (v2) parser rejects */
#define NF_TRIPLE   32u   /* triple-quoted string */
#define NF_SLASHY   64u   /* slashy or dollar-slashy string */
#define NF_QUOTED  128u   /* segment or key written as a string literal */
#define NF_TRAILING_CLOSURE 256u /* call whose last argument is a closure after `)` */
#define NF_CHAINED 512u  /* `a.b = …` assignment written with dots (vs inside blocks) */

typedef struct Node Node;
/* Kept small (64 bytes): a config has about one node per token, and memory
 * traffic is most of the parser's cost. Sources are at most 4 GiB (the lexer
 * window refuses larger), so spans and lengths fit 32 bits. */
struct Node {
    unsigned char kind;        /* NodeKind */
    unsigned char op;          /* TokKind of the operator, 0 when none */
    unsigned short flags;      /* NF_* */
    uint32_t start, end;       /* byte span */
    uint32_t textlen;
    uint32_t nkids;
    const char *text;          /* decoded name or literal value (NUL-terminated, may hold NULs) */
    Node    *a, *b, *c;
    Node   **kids;
};

const char *node_kind_name(NodeKind k);

#endif
