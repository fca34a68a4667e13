/* dump — the debug dumps of a tree and of a token stream (dump.h). Above
 * redact on purpose: the dumps are output, and what a report would mask is
 * not echoed. */
#include "dump.h"
#include "redact.h"

static void dump_text(StrBuf *out, const char *s, size_t n)
{
    strbuf_json_str(out, s, n);
}

/* The dumps are output too: what a report snippet would mask
 * (redact_mask_source: a secret assigned in the file, a token-shaped
 * literal, a URL password) is not echoed. */
static void dump_node(StrBuf *out, const Node *n, int indent, const DiagList *masks, const Source *src)
{
    /* Iterative depth is bounded by the parser's limit, so recursion is safe here. */
    for (int i = 0; i < indent; i++) strbuf_puts(out, "  ");
    if (!n) { strbuf_puts(out, "(null)\n"); return; }
    strbuf_printf(out, "%s @%zu..%zu", node_kind_name(n->kind), (size_t)n->start, (size_t)n->end);
    if (n->op) strbuf_printf(out, " op=%s", n->op == TK_LSHIFT_ASSIGN ? "<<" :
                             n->op == TK_RSHIFT_ASSIGN ? ">>" : tok_kind_name(n->op));
    if (n->text && redact_overlaps_mask(masks, src, n->start, n->end)) strbuf_puts(out, " \"" SECRET_REDACTED "\"");
    else if (n->text) { strbuf_putc(out, ' '); dump_text(out, n->text, n->textlen); }
    if (n->flags & NF_SAFE) strbuf_puts(out, " safe");
    if (n->flags & NF_SPREAD) strbuf_puts(out, " spread");
    if (n->flags & NF_NEGATED) strbuf_puts(out, " negated");
    if (n->flags & NF_TYPED) strbuf_puts(out, " typed");
    if (n->flags & NF_QUOTED) strbuf_puts(out, " quoted");
    if (n->flags & NF_SLASHY) strbuf_puts(out, " slashy");
    if (n->flags & NF_TRIPLE) strbuf_puts(out, " triple");
    strbuf_putc(out, '\n');
    if (n->a) dump_node(out, n->a, indent + 1, masks, src);
    if (n->b) dump_node(out, n->b, indent + 1, masks, src);
    if (n->c) dump_node(out, n->c, indent + 1, masks, src);
    for (size_t i = 0; i < n->nkids; i++) dump_node(out, n->kids[i], indent + 1, masks, src);
}

void dump_tree(StrBuf *out, const Source *src, const Node *root)
{
    DiagList masks = {0};
    if (!redact_mask_source(&masks, src)) out->failed = 1;
    else dump_node(out, root, 0, &masks, src);
    diag_list_free(&masks);
}

void dump_tokens(StrBuf *out, const Source *src)
{
    DiagList masks = {0};
    if (!redact_mask_source(&masks, src)) { out->failed = 1; diag_list_free(&masks); return; }
    Lexer lx;
    lex_init(&lx, src->text, 0, src->len);
    for (;;) {
        Token t = lex_next(&lx);
        if (t.kind == TK_EOF) break;
        unsigned line, col;
        source_linecol(src, t.start, &line, &col);
        strbuf_printf(out, "%u:%u %s ", line, col, tok_kind_name(t.kind));
        if (redact_overlaps_mask(&masks, src, t.start, t.end)) strbuf_puts(out, "\"" SECRET_REDACTED "\"");
        else dump_text(out, src->text + t.start, t.end - t.start);
        if (t.err) strbuf_printf(out, " error=\"%s\"", t.err);
        strbuf_putc(out, '\n');
    }
    diag_list_free(&masks);
}
