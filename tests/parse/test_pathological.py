#!/usr/bin/env python3
"""Pathological inputs end quickly with a diagnostic, never a crash or a hang.

Each input is generated in a temporary folder and run through
`nf-preflight check`. Every run must finish within TIME_LIMIT seconds, must not
die from a signal (exit code < 128, and not negative), and must give the exit
code and the first syntax-error position listed for it. Nesting is bounded by
the parser's depth limit, not by the C stack, so the 100,000-deep cases are the
ones that would crash a naive recursive parser.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

NFP = os.environ.get("NFP")
# NFP_TIME_SCALE stretches the bound for slow runs (valgrind sets it); it is a
# bound against hangs, not a timing test
TIME_LIMIT = 20.0 * float(os.environ.get("NFP_TIME_SCALE", "1"))
DIAG = re.compile(rb"^(?P<path>[^\n]*?):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+): (?P<msg>[^\n]*)$", re.M)

N = 100_000


def cases():
    """(name, bytes, expected exit code, (line, col) of the first error or None, message part)"""
    yield "nested_braces", b"a " + b"{ " * N, 1, (1, None), b"nesting too deep"
    yield "nested_blocks", b"a {\n" * N, 1, (None, None), b"nesting too deep"
    yield "nested_brackets", b"a = " + b"[" * N, 1, (1, None), b"nesting too deep"
    yield "nested_parens", b"a = " + b"(" * N, 1, (1, None), b"nesting too deep"
    yield "nested_mixed", b"a = " + b"{[(" * (N // 3), 1, (1, None), b"nesting too deep"
    yield "nested_closed", b"a = " + b"[" * N + b"]" * N + b"\n", 1, (1, None), b"nesting too deep"
    # the lexer's own limit (200 levels of ${) is hit first, at the 201st "${
    yield "nested_interp", b"a = " + b'"${' * N, 1, (1, 5 + 3 * 201), b"string interpolation nested too deeply"
    yield "unterminated_string", b"a = 1\nb = 'abc", 1, (2, 5), b"unterminated string"
    yield "unterminated_triple", b'a = 1\nb = """abc\n\n', 1, (2, 5), b"unterminated triple-quoted string"
    yield "unterminated_gstring", b'a = 1\nb = "x ${ y', 1, (2, 8), b"unterminated ${ in string"
    yield "unterminated_comment", b"a = 1\n  /* abc", 1, (2, 3), b"unterminated comment"
    yield "unterminated_slashy", b"a = 1\nb = /abc", 1, (2, 5), b"unterminated slashy string"
    yield "long_line", b"a = '" + b"x" * (50 * 1024 * 1024) + b"' + ]\n", 1, (1, 50 * 1024 * 1024 + 10), b"Unexpected input"
    yield "long_line_list", b"a = [" + b"1," * (5 * 1024 * 1024) + b"\n", 1, (2, 1), b"expected `]`"
    yield "nul_bytes", b"a = 1\n\x00\x00\x00\nb = 2\n", 1, (2, 1), b"Unexpected NUL byte"
    yield "invalid_utf8", b"a = 1\nb = 2 \xff\xfe\xc0\x80\n", 1, (2, 7), b"Invalid UTF-8 byte 0xFF"
    yield "empty", b"", 0, None, b""
    yield "dotted_chain", b"a" + b".b" * 1_000_000 + b" = 1\n", 0, None, b""
    yield "dotted_chain_expr", b"x = a" + b".b" * 1_000_000 + b"\n", 1, (1, None), b"expression too long"
    yield "binary_chain", b"x = 1" + b" + 1" * 1_000_000 + b"\n", 1, (1, None), b"expression too long"
    yield "only_newlines", b"\n" * 1_000_000, 0, None, b""
    # looks like the start of a typed function each time: lookahead stays bounded
    yield "unclosed_typed_call", b"Foo bar(\n" * 20_000, 1, (2, 5), b"expected `)` to close `(` at line 1"


def main():
    if not NFP:
        print("NFP (path of the nf-preflight binary) is not set")
        return 1
    tmp = tempfile.mkdtemp(prefix="nfp-patho-")
    failed = 0
    try:
        for name, data, want_rc, pos, msg in cases():
            path = os.path.join(tmp, name + ".config")
            with open(path, "wb") as f:
                f.write(data)
            del data
            t0 = time.monotonic()
            try:
                p = subprocess.run([NFP, "check", path],
                               cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=TIME_LIMIT)
            except subprocess.TimeoutExpired:
                print("FAIL %s: did not finish within %.0f s" % (name, TIME_LIMIT))
                failed += 1
                os.unlink(path)
                continue
            dt = time.monotonic() - t0
            os.unlink(path)
            problems = []
            if p.returncode < 0 or p.returncode >= 128:
                problems.append("crashed (exit %d)" % p.returncode)
            elif p.returncode != want_rc:
                problems.append("exit %d, expected %d" % (p.returncode, want_rc))
            errors = [m for m in DIAG.finditer(p.stdout) if m.group("sev") == b"error"]
            if pos is None:
                if errors:
                    problems.append("unexpected error: %r" % errors[0].group(0)[:200])
            elif not errors:
                problems.append("no error diagnostic")
            else:
                # v2-incompatible constructs are errors too (the strict parser
                # aborts on them); the position checked is the syntax error's
                syntax = [m for m in errors if m.group("msg").endswith(b"[syntax-error]")]
                if not syntax:
                    problems.append("no syntax-error among the errors: %r" % errors[0].group(0)[:200])
                else:
                    first = syntax[0]
                    line, col = int(first.group("line")), int(first.group("col"))
                    if (pos[0] is not None and line != pos[0]) or (pos[1] is not None and col != pos[1]):
                        problems.append("first syntax error at %d:%d, expected %d:%s" % (line, col, pos[0], pos[1]))
                if msg and not any(msg in m.group("msg") for m in errors):
                    problems.append("no error says %r" % msg)
                if len(errors) > 50:
                    problems.append("%d errors for one problem" % len(errors))
            if problems:
                failed += 1
                print("FAIL %s (%.2f s): %s" % (name, dt, "; ".join(problems)))
                sys.stdout.write(p.stdout[:600].decode("utf-8", "replace"))
                sys.stdout.write(p.stderr[:600].decode("utf-8", "replace"))
            else:
                print("ok   %s (%.2f s, exit %d)" % (name, dt, p.returncode))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
