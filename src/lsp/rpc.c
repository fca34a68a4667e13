#include "lsp/rpc.h"
#include "alloc.h"
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

RpcFrame rpc_frame(const char *buf, size_t len, size_t max_content, size_t *header_len,
                   size_t *content_len)
{
    *header_len = 0;
    *content_len = 0;
    size_t end = 0;
    int found = 0;
    for (size_t i = 0; i + 3 < len && i < RPC_MAX_HEADER; i++) {
        if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
            end = i + 4;
            found = 1;
            break;
        }
    }
    if (!found) return RPC_FRAME_MORE;
    *header_len = end;
    /* header fields: "Name: value\r\n"; only Content-Length matters */
    int have_length = 0, bad = 0;
    unsigned long long length = 0;
    for (size_t p = 0; p < end - 2;) {
        size_t eol = p;
        while (eol + 1 < end && !(buf[eol] == '\r' && buf[eol + 1] == '\n')) eol++;
        const char *line = buf + p;
        size_t n = eol - p;
        static const char name[] = "Content-Length:";
        size_t nl = sizeof name - 1;
        if (n >= nl && strncasecmp(line, name, nl) == 0) {
            size_t i = nl;
            while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
            size_t digits = 0;
            length = 0;
            while (i < n && line[i] >= '0' && line[i] <= '9') {
                if (length > (1ull << 40)) { bad = 1; break; }
                length = length * 10 + (unsigned)(line[i] - '0');
                i++;
                digits++;
            }
            while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
            if (!digits || i != n || have_length) bad = 1;
            have_length = 1;
        } else if (!memchr(line, ':', n)) {
            bad = 1;                      /* not a header field at all */
        }
        p = eol + 2;
    }
    if (bad || !have_length) return RPC_FRAME_BAD;
    *content_len = (size_t)length;
    if (length > max_content) return RPC_FRAME_TOO_LARGE;
    return RPC_FRAME_OK;
}

void rpc_reader_init(RpcReader *r, int fd, size_t max_content)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->max_content = max_content ? max_content : RPC_DEFAULT_MAX_CONTENT;
}

void rpc_reader_free(RpcReader *r)
{
    np_free(r->buf);
    np_free(r->msg);
    memset(r, 0, sizeof *r);
}

static void consume(RpcReader *r, size_t n)
{
    if (n >= r->len) { r->len = 0; return; }
    memmove(r->buf, r->buf + n, r->len - n);
    r->len -= n;
}

/* Reads more bytes; 1 read some, 0 end of input, -1 out of memory. */
static int fill(RpcReader *r, size_t want)
{
    if (want + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < want + 1) cap *= 2;
        char *b = np_realloc(r->buf, cap);
        if (!b) return -1;
        r->buf = b;
        r->cap = cap;
    }
    for (;;) {
        ssize_t n = read(r->fd, r->buf + r->len, r->cap - 1 - r->len);
        if (n > 0) { r->len += (size_t)n; return 1; }
        if (n < 0 && errno == EINTR) continue;
        return 0;
    }
}

RpcRead rpc_read(RpcReader *r, const char **body, size_t *body_len)
{
    np_free(r->msg);               /* the previous message's body */
    r->msg = NULL;
    for (;;) {
        /* discard the rest of an oversized body first */
        while (r->skip) {
            if (!r->len) {
                int f = fill(r, 4096);
                if (f <= 0) return f < 0 ? RPC_READ_NOMEM : RPC_READ_EOF;
            }
            size_t n = r->len < r->skip ? r->len : r->skip;
            consume(r, n);
            r->skip -= n;
        }
        size_t hl, cl;
        RpcFrame f = rpc_frame(r->buf, r->len, r->max_content, &hl, &cl);
        if (f == RPC_FRAME_MORE && r->len >= RPC_MAX_HEADER) {
            /* no header end within the limit: drop all but a possible start of "\r\n\r\n" */
            consume(r, r->len - 3);
            return RPC_READ_BAD_HEADER;
        }
        if (f == RPC_FRAME_BAD) { consume(r, hl); return RPC_READ_BAD_HEADER; }
        if (f == RPC_FRAME_TOO_LARGE) {
            consume(r, hl);
            r->skip = cl;
            return RPC_READ_TOO_LARGE;
        }
        if (f == RPC_FRAME_OK && r->len >= hl + cl) {
            r->msg = np_malloc(cl + 1);
            if (!r->msg) return RPC_READ_NOMEM;
            memcpy(r->msg, r->buf + hl, cl);
            r->msg[cl] = '\0';
            consume(r, hl + cl);
            *body = r->msg;
            *body_len = cl;
            return RPC_READ_MESSAGE;
        }
        int got = fill(r, f == RPC_FRAME_OK ? hl + cl : r->len + 4096);
        if (got < 0) return RPC_READ_NOMEM;
        if (got == 0) return RPC_READ_EOF;
    }
}

int rpc_pending(const RpcReader *r)
{
    size_t hl, cl;
    if (rpc_frame(r->buf, r->len, r->max_content, &hl, &cl) == RPC_FRAME_OK && r->len >= hl + cl) return 1;
    struct pollfd p = {r->fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

/* The exact JSON text of node n in body. */
static void span_of(const char *body, const DataNode *n, const char **s, size_t *len)
{
    *s = body + n->start;
    *len = n->end - n->start;
}

int rpc_decode(const char *body, size_t len, RpcMessage *m)
{
    memset(m, 0, sizeof *m);
    int rc = data_parse(body, len, DATA_JSON, &m->doc, NULL);
    if (rc == DATA_ENOMEM) return -1;
    if (rc != DATA_OK) return RPC_PARSE_ERROR;
    const DataNode *root = m->doc->root;
    if (!data_is(root, DATA_OBJECT)) return RPC_INVALID_REQUEST;
    const DataNode *id = data_get(root, "id");
    if (id && (id->kind == DATA_INT || id->kind == DATA_STRING || id->kind == DATA_NULL ||
               id->kind == DATA_FLOAT))
        span_of(body, id, &m->id, &m->id_len);
    const char *version = data_get_str(root, "jsonrpc");
    if (!version || strcmp(version, "2.0")) return RPC_INVALID_REQUEST;
    const DataNode *method = data_get(root, "method");
    if (!method) {
        if (data_get(root, "result") || data_get(root, "error")) { m->is_response = 1; return 0; }
        return RPC_INVALID_REQUEST;
    }
    if (method->kind != DATA_STRING || strlen(method->text) != method->text_len) return RPC_INVALID_REQUEST;
    if (id && id->kind != DATA_INT && id->kind != DATA_STRING) return RPC_INVALID_REQUEST;
    m->method = method->text;
    m->params = data_get(root, "params");
    if (m->params && m->params->kind == DATA_NULL) m->params = NULL;   /* what some clients send for "none" */
    if (m->params && m->params->kind != DATA_OBJECT && m->params->kind != DATA_ARRAY) return RPC_INVALID_REQUEST;
    return 0;
}

void rpc_message_free(RpcMessage *m)
{
    data_doc_free(m->doc);
    memset(m, 0, sizeof *m);
}

int rpc_write(int fd, const char *body, size_t len)
{
    char head[64];
    int hn = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
    const char *parts[2] = {head, body};
    size_t lens[2] = {(size_t)hn, len};
    for (int k = 0; k < 2; k++) {
        size_t off = 0;
        while (off < lens[k]) {
            ssize_t n = write(fd, parts[k] + off, lens[k] - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return -1;
            off += (size_t)n;
        }
    }
    return 0;
}
