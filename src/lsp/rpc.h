/* rpc — JSON-RPC 2.0 messages with the Language Server Protocol's framing
 * (`Content-Length: N\r\n\r\n` then N bytes of JSON), read from a file
 * descriptor into a bounded buffer.
 *
 * Everything read is client input and untrusted: header blocks longer than
 * RPC_MAX_HEADER, bodies longer than the reader's limit and malformed headers
 * are skipped (the stream stays in step where the framing allows) and
 * reported to the caller, which answers with the JSON-RPC error. */
#ifndef NFP_LSP_RPC_H
#define NFP_LSP_RPC_H
#include <stddef.h>
#include "data.h"

#define RPC_MAX_HEADER 8192
#define RPC_DEFAULT_MAX_CONTENT (64u * 1024 * 1024)

/* JSON-RPC and LSP error codes. */
enum {
    RPC_PARSE_ERROR = -32700,
    RPC_INVALID_REQUEST = -32600,
    RPC_METHOD_NOT_FOUND = -32601,
    RPC_INVALID_PARAMS = -32602,
    RPC_INTERNAL_ERROR = -32603,
    RPC_SERVER_NOT_INITIALIZED = -32002,
    RPC_REQUEST_FAILED = -32803
};

/* What rpc_frame found at the start of a buffer. */
typedef enum RpcFrame {
    RPC_FRAME_MORE = 0,     /* the header block is not complete yet */
    RPC_FRAME_OK,           /* header_len bytes of header, then content_len of body */
    RPC_FRAME_BAD,          /* no usable Content-Length: skip header_len bytes */
    RPC_FRAME_TOO_LARGE     /* skip header_len + content_len bytes */
} RpcFrame;

/* Examines the header block at the start of buf[0, len). Pure (no I/O), so
 * the fuzzer drives it directly. With RPC_FRAME_MORE, a caller holding more
 * than RPC_MAX_HEADER bytes should treat the block as bad. */
RpcFrame rpc_frame(const char *buf, size_t len, size_t max_content, size_t *header_len,
                   size_t *content_len);

typedef enum RpcRead {
    RPC_READ_EOF = 0,
    RPC_READ_MESSAGE,       /* *body holds one message body */
    RPC_READ_BAD_HEADER,    /* a header block was skipped */
    RPC_READ_TOO_LARGE,     /* a body over the limit was skipped */
    RPC_READ_NOMEM
} RpcRead;

typedef struct RpcReader {
    int fd;
    size_t max_content;
    char *buf;
    size_t len, cap;
    size_t skip;            /* body bytes still to discard (too large) */
    char *msg;              /* the body last returned */
} RpcReader;

void rpc_reader_init(RpcReader *r, int fd, size_t max_content);
void rpc_reader_free(RpcReader *r);
/* Blocks for the next message. The body (NUL-terminated, len *body_len) stays
 * valid until the next call. */
RpcRead rpc_read(RpcReader *r, const char **body, size_t *body_len);
/* 1 when a whole message is already buffered or the descriptor has bytes
 * waiting (used to skip re-checks that the next message would supersede). */
int rpc_pending(const RpcReader *r);

/* A decoded message. `id` points into the body (its exact JSON text, so a
 * reply can echo it); NULL for notifications. */
typedef struct RpcMessage {
    DataDoc *doc;
    const char *method;      /* NULL for responses */
    const DataNode *params;  /* may be NULL */
    const char *id;
    size_t id_len;
    int is_response;
} RpcMessage;

/* Decodes a body. Returns 0, or RPC_PARSE_ERROR / RPC_INVALID_REQUEST (the
 * id is still filled when the request had a usable one), or -1 when memory
 * ran out. Free with rpc_message_free in every case. */
int rpc_decode(const char *body, size_t len, RpcMessage *m);
void rpc_message_free(RpcMessage *m);

/* Writes one framed message (header and body) to fd, whole. 0 or -1. */
int rpc_write(int fd, const char *body, size_t len);

#endif
