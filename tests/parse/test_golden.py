#!/usr/bin/env python3
"""Golden tests for the lexer and parser.

Each tests/golden/parse/<case>.config is run through `nf-preflight parse --tree`
from inside that folder (so diagnostics name the file as `<case>.config`). The
output (the tree, then the gcc-style diagnostics) plus a last line
`[exit N]` must equal <case>.tree. Cases whose tree is too large to keep
(thousands of nested nodes) have <case>.diag instead: only the diagnostic lines
and the exit line are compared. When <case>.tokens exists, the output of
`nf-preflight parse --tokens` plus `[exit N]` must equal it too.

NFP_REGEN=1 rewrites the expectation files from the current output (review the
diff before committing). NFP_GOLDEN_ONLY=name1,name2 runs only those cases.

A second check keeps the cases complete: every syntax-error message and every
`v2-incompatible` construct in src/parse.c and every lexer error in src/lex.c
must appear in at least one expectation file.
"""
import difflib
import os
import re
import subprocess
import sys

NFP = os.environ.get("NFP")
SRC = os.environ.get("NFP_SRC", os.path.join(os.path.dirname(__file__), "..", ".."))
GOLDEN = os.path.join(SRC, "tests", "golden", "parse")
REGEN = os.environ.get("NFP_REGEN") == "1"
TIMEOUT = 60


def run(args, case):
    p = subprocess.run([NFP] + args + [case + ".config"], cwd=GOLDEN,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
    out = p.stdout + b"[exit %d]\n" % p.returncode
    if p.stderr:
        out += b"[stderr]\n" + p.stderr
    return out


def compare(case, kind, actual):
    path = os.path.join(GOLDEN, case + "." + kind)
    if REGEN:
        old = open(path, "rb").read() if os.path.exists(path) else None
        if old != actual:
            with open(path, "wb") as f:
                f.write(actual)
            print("regenerated %s.%s" % (case, kind))
        return True
    if not os.path.exists(path):
        print("FAIL %s: missing %s.%s (run with NFP_REGEN=1 and review)" % (case, case, kind))
        return False
    expected = open(path, "rb").read()
    if expected == actual:
        return True
    print("FAIL %s.%s differs:" % (case, kind))
    diff = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(True),
                                actual.decode("utf-8", "replace").splitlines(True),
                                "expected/" + case + "." + kind, "actual/" + case + "." + kind)
    sys.stdout.writelines(list(diff)[:200])
    return False


def message_prefixes():
    """Static text of every diagnostic the lexer and parser can produce: the part
    of each message literal before its first printf conversion."""
    parse_c = open(os.path.join(SRC, "src", "parse.c"), encoding="utf-8").read()
    lex_c = open(os.path.join(SRC, "src", "lex.c"), encoding="utf-8").read()
    found = set()
    # syntax_error(...) and legacy(...) calls, up to the closing `;`
    for m in re.finditer(r"\b(syntax_error|legacy)\(p,[^;]*;", parse_c, re.S):
        call = m.group(0)
        if call.startswith("syntax_error(Parser") or call.startswith("legacy(Parser"):
            continue
        for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', call):
            lit = lit.encode().decode("unicode_escape")
            text = lit.split("%")[0]
            if m.group(1) == "legacy":
                text += " is not supported"    # the whole construct name, as shown
            if len(text) >= 4:
                found.add(text)
    # lexer error strings that reach the user as they are (the three
    # "unexpected …" byte errors are reworded by the parser and covered above)
    for lit in re.findall(r'err = (?:[^;]*?)"((?:[^"\\]|\\.)*)"(?: : "((?:[^"\\]|\\.)*)")?', lex_c):
        for text in lit:
            if text and text not in ("unexpected NUL byte", "unexpected character", "invalid UTF-8"):
                found.add(text)
    found.discard("end of file")   # a word inside other messages, not a message
    lexer_only = ("unexpected NUL byte", "unexpected character", "invalid UTF-8")
    for m in re.finditer(r'\? "([^"]+)" : "([^"]+)"', lex_c):
        found.update(t for t in (m.group(1), m.group(2)) if t not in lexer_only)
    return found


def main():
    if not NFP:
        print("NFP (path of the nf-preflight binary) is not set")
        return 1
    only = set(filter(None, os.environ.get("NFP_GOLDEN_ONLY", "").split(",")))
    cases = sorted(f[:-7] for f in os.listdir(GOLDEN) if f.endswith(".config"))
    if not cases:
        print("no golden cases in", GOLDEN)
        return 1
    failed = 0
    for case in cases:
        if only and case not in only:
            continue
        out = run(["parse", "--tree"], case)
        if os.path.exists(os.path.join(GOLDEN, case + ".diag")):
            prefix = (case + ".config:").encode()
            out = b"".join(l for l in out.splitlines(True) if l.startswith(prefix) or l.startswith(b"[exit"))
            ok = compare(case, "diag", out)
        else:
            ok = compare(case, "tree", out)
        if os.path.exists(os.path.join(GOLDEN, case + ".tokens")):
            ok = compare(case, "tokens", run(["parse", "--tokens"], case)) and ok
        if not ok:
            failed += 1
    # Coverage of messages: each must be shown by some case.
    expected_text = ""
    for f in os.listdir(GOLDEN):
        if f.endswith(".tree") or f.endswith(".diag"):
            expected_text += open(os.path.join(GOLDEN, f), encoding="utf-8", errors="replace").read()
    missing = sorted(t for t in message_prefixes() if t not in expected_text)
    for t in missing:
        print("FAIL no golden case shows the message %r" % t)
    if not only and missing:
        failed += 1
    print("%d golden cases, %d failed" % (len(cases), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
