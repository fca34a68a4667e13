/* report (verdict and markdown): the verdict line (PASS / WARN (N warnings) / BLOCK (N errors):
 * first error) and the markdown table, whose cells untrusted text cannot
 * break out of. */
#include "alloc.h"
#include "diag.h"
#include "report.h"
#include "source.h"
#include "strbuf.h"
#include "tap.h"

#include <string.h>

static const char *verdict(const DiagList *l, StrBuf *b)
{
    b->len = 0;
    report_verdict_line(b, l, NULL);
    return strbuf_cstr(b);
}

int main(void)
{
    StrBuf b = STRBUF_INIT;
    DiagList l = {0};
    CHECK_STR(verdict(&l, &b), "nf-preflight: PASS");
    CHECK(report_verdict(&l) == VERDICT_PASS);

    /* a note is never a finding; an info does not change PASS */
    Diag *n = diag_add(&l, NULL, 0, 0, SEV_WARNING, RULE_WAVE_STATUS, "explained");
    CHECK(n != NULL);
    if (n) n->note = 1;
    diag_add(&l, NULL, 0, 0, SEV_INFO, RULE_DYNAMIC_VALUE, "dynamic");
    CHECK_STR(verdict(&l, &b), "nf-preflight: PASS");

    diag_add(&l, NULL, 0, 0, SEV_WARNING, RULE_WAVE_NOT_ENABLED, "Wave is off");
    CHECK_STR(verdict(&l, &b), "nf-preflight: WARN (1 warning)");
    diag_add(&l, NULL, 0, 0, SEV_WARNING, RULE_NOT_CHECKED, "two");
    CHECK_STR(verdict(&l, &b), "nf-preflight: WARN (2 warnings)");

    /* the first error's message, on one line, control characters escaped */
    diag_add(&l, NULL, 0, 0, SEV_ERROR, RULE_SYNTAX_ERROR, "bad\nthing\x1b[31m");
    diag_add(&l, NULL, 0, 0, SEV_ERROR, RULE_SYNTAX_ERROR, "second");
    CHECK_STR(verdict(&l, &b), "nf-preflight: BLOCK (2 errors): bad thing\\x1b[31m");
    CHECK(report_verdict(&l) == VERDICT_BLOCK);

    /* markdown: a message cannot end its cell, open a tag or run code */
    DiagList m = {0};
    Source *src = source_from_memory("a|b.config", NULL, "x = 1\n", 6);
    CHECK(src != NULL);
    diag_add(&m, src, 4, 5, SEV_ERROR, RULE_CONFIG_ERROR, "pipe | <script>alert(1)</script> `code` [l](u)\nnext");
    /* the verdict names where its error is, after the message (tester F9) */
    CHECK_STR(verdict(&m, &b), "nf-preflight: BLOCK (1 error): pipe | <script>alert(1)</script> `code` [l](u) next "
                               "(a|b.config:1:5)");
    b.len = 0;
    CHECK(report_markdown(&b, &m, NULL) == 0);
    const char *md = strbuf_cstr(&b);
    CHECK_MSG(strstr(md, "## nf-preflight: BLOCK (1 error): pipe \\| &lt;script&gt;") == md, "%s", md);
    CHECK_MSG(strstr(md, "| error | a\\|b.config:1:5 | config-error | pipe \\| &lt;script&gt;alert(1)&lt;/script&gt; "
                         "\\`code\\` \\[l\\](u) next |\n") != NULL, "%s", md);
    CHECK(strstr(md, "<script") == NULL);
    /* one table row per finding: header, separator, one row */
    size_t rows = 0;
    for (const char *p = md; (p = strstr(p, "\n|")); p++) rows++;
    CHECK_MSG(rows == 3, "%zu rows in %s", rows, md);

    /* the launch lines: one list item each, escaped like a cell, before the counts */
    b.len = 0;
    ReportOptions ro = {0};
    ro.launch_text = "launch: engine docker; Wave on (a|b.config:1)\nlaunch x: <b>\n";
    CHECK(report_markdown(&b, &m, &ro) == 0);
    md = strbuf_cstr(&b);
    CHECK_MSG(strstr(md, "\n\n- launch: engine docker; Wave on (a\\|b.config:1)\n- launch x: &lt;b&gt;\n\n1 error(s)") != NULL,
              "%s", md);

    /* --statistics: the count per rule instead of the findings, most first */
    diag_add(&m, src, 0, 1, SEV_WARNING, RULE_WAVE_NOT_ENABLED, "off");
    diag_add(&m, src, 0, 1, SEV_WARNING, RULE_WAVE_NOT_ENABLED, "off again");
    Diag *note = diag_add(&m, src, 0, 1, SEV_INFO, RULE_WAVE_STATUS, "a note is no finding");
    if (note) note->note = 1;
    b.len = 0;
    ro.launch_text = NULL;
    ro.statistics = 1;
    CHECK(report_markdown(&b, &m, &ro) == 0);
    md = strbuf_cstr(&b);
    CHECK_MSG(strstr(md, "| Count | Rule | Name | Fixable |\n|---:|---|---|---|\n"
                         "| 2 | NFP009 | wave-not-enabled | yes |\n| 1 | NFP008 | config-error |  |\n") != NULL,
              "%s", md);
    CHECK_MSG(strstr(md, "wave-status") == NULL && strstr(md, "off again") == NULL, "%s", md);

    diag_list_free(&m);
    source_free(src);
    diag_list_free(&l);
    strbuf_free(&b);
    TEST_MAIN_END();
}
