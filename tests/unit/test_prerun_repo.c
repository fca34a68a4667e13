/* prerun_repo: where a repository's files are read over HTTPS at a
 * revision (GitHub, GitLab.com, Bitbucket raw layouts), and what is never
 * turned into such a URL (other hosts, option-like or refspec revisions,
 * paths that could leave the repository). */
#include "alloc.h"
#include "prerun_repo.h"
#include "tap.h"

#include <string.h>

static void expect(const char *url, const char *rev, const char *want)
{
    int nomem = 1;
    char *got = repo_raw_base(url, rev, &nomem);
    CHECK_MSG(nomem == 0, "%s", url);
    if (want) CHECK_MSG(got && !strcmp(got, want), "%s @ %s: got %s, want %s", url, rev, got ? got : "NULL", want);
    else CHECK_MSG(got == NULL, "%s @ %s: got %s, want none", url, rev, got ? got : "NULL");
    np_free(got);
}

int main(void)
{
    expect("https://github.com/nf-core/rnaseq", "3.14.0", "https://raw.githubusercontent.com/nf-core/rnaseq/3.14.0/");
    expect("https://github.com/nf-core/rnaseq.git", "dev", "https://raw.githubusercontent.com/nf-core/rnaseq/dev/");
    expect("https://github.com/nf-core/rnaseq/", "HEAD", "https://raw.githubusercontent.com/nf-core/rnaseq/HEAD/");
    expect("https://GitHub.com/o/r", "feature/x", "https://raw.githubusercontent.com/o/r/feature/x/");
    expect("https://github.com/o/r", "v1+b#c", "https://raw.githubusercontent.com/o/r/v1%2Bb%23c/");
    expect("https://gitlab.com/group/sub/name", "v1", "https://gitlab.com/group/sub/name/-/raw/v1/");
    expect("https://bitbucket.org/o/r", "main", "https://bitbucket.org/o/r/raw/main/");
    /* hosts whose layout is not known, and what could leave the repository */
    expect("https://git.example.org/o/r", "main", NULL);
    expect("http://github.com/o/r", "main", NULL);
    expect("https://github.com/o/../../x", "main", NULL);
    expect("https://github.com/o/r?x=1", "main", NULL);
    expect("https://github.com/o/r%2F..", "main", NULL);
    expect("https://github.com/", "main", NULL);
    /* revisions git or a URL could read as something else */
    expect("https://github.com/o/r", "--upload-pack=x", NULL);
    expect("https://github.com/o/r", "a:b", NULL);
    expect("https://github.com/o/r", "a..b", NULL);
    expect("https://github.com/o/r", "a b", NULL);
    expect("https://github.com/o/r", "", NULL);
    expect("https://github.com/o/r", "/x", NULL);
    expect("https://github.com/o/r", "a//b", NULL);
    expect("https://github.com/o/r", "a/./b", NULL);
    expect("https://github.com/o/r", ".", NULL);
    TEST_MAIN_END();
}
