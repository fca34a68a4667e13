/* lsp — `nf-preflight lsp`: a Language Server Protocol 3.17 server over
 * stdio. A front end like the CLI (it writes protocol messages to its output
 * descriptor): diagnostics of open Nextflow configs from the check pipeline,
 * the Enable-Wave and suppression code actions, hover with each option's
 * resolved value and provenance, and a launch summary code lens.
 * docs/editors.md describes the settings and editor set-up. */
#ifndef NFP_LSP_H
#define NFP_LSP_H

/* Serves one client on in_fd/out_fd until `exit` or end of input; message
 * bodies over max_message bytes (0: RPC_DEFAULT_MAX_CONTENT) are refused.
 * Returns
 * the process exit code: 0 after shutdown then exit, 1 otherwise (as the
 * LSP specifies), 3 when memory ran out. */
#include <stddef.h>
int lsp_serve(int in_fd, int out_fd, size_t max_message);

/* `nf-preflight lsp [--stdio] [--max-message-size=BYTES]` (argv[0] is "lsp"). */
int lsp_main(int argc, char **argv);

#endif
