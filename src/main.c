/* Placeholder entry point; replaced by the CLI module. */
#include <stdio.h>
int main(void) { puts("nf-preflight " NFP_VERSION); return 0; }
