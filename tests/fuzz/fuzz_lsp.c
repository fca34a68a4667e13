/* fuzz_lsp — the language server's message reader and the server behind it.
 * The input is first given to rpc_frame directly (invariants: a frame never
 * claims more header than the input holds, an accepted body is within the
 * limit), then fed as the whole client stream to lsp_serve with a small
 * message limit: framing, JSON decoding, the lifecycle and every handler run
 * on it. The server must return one of its documented exit codes. */
#include "fuzz_common.h"
#include "lsp/lsp.h"
#include "lsp/rpc.h"
#include <fcntl.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t hl, cl;
    RpcFrame f = rpc_frame((const char *)data, size, 4096, &hl, &cl);
    if (f != RPC_FRAME_MORE) FUZZ_REQUIRE(hl >= 4 && hl <= size && hl <= RPC_MAX_HEADER);
    if (f == RPC_FRAME_OK) FUZZ_REQUIRE(cl <= 4096);
    if (f == RPC_FRAME_TOO_LARGE) FUZZ_REQUIRE(cl > 4096);

    FILE *in = tmpfile();
    int out = open("/dev/null", O_WRONLY);
    if (in && out >= 0 && fwrite(data, 1, size, in) == size && fflush(in) == 0 && fseek(in, 0, SEEK_SET) == 0) {
        int rc = lsp_serve(fileno(in), out, 4096);
        FUZZ_REQUIRE(rc == 0 || rc == 1 || rc == 3);
    }
    if (in) fclose(in);
    if (out >= 0) close(out);
    return 0;
}
