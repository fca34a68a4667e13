"""Runs `nf-preflight fix` over every corpus config and checks each patch:
the patched file resolves with Wave on, every other resolved key is
unchanged, a second fix changes nothing, and the bytes outside the edit are
the original bytes. Skips (77) when the shared corpus is absent.

The corpus is copied to a temporary directory first, so that includes
resolve exactly as they do in the original tree while the copy is patched."""
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from testlib import nfp_binary, shared_dir  # noqa: E402

NFP = nfp_binary()
CORPUS = shared_dir("corpus")

# what an edit may remove: only the literal it flips
REMOVABLE = re.compile(r"""^(false|true|null|-?\d+(\.\d+)?|'[^'\n]*'|"[^"\n]*")$""")


def run(args, cwd, stdin=None):
    p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, input=stdin)
    return p.returncode, p.stdout, p.stderr


def canonical_without_wave_enabled(cwd, name):
    rc, out, err = run(["config", "--no-settings", "--clean-env", "--format", "canonical", name], cwd)
    lines = [l for l in out.decode("utf-8", "replace").splitlines() if not l.startswith("wave.enabled = ")]
    return rc, lines


def changed_regions(a, b):
    """(removed, added) text of each changed region: a line diff, then the
    common prefix and suffix of each changed block trimmed off."""
    la, lb = a.splitlines(True), b.splitlines(True)
    sm = difflib.SequenceMatcher(None, la, lb, autojunk=False)
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        x, y = b"".join(la[a0:a1]), b"".join(lb[b0:b1])
        p = 0
        while p < len(x) and p < len(y) and x[p] == y[p]:
            p += 1
        q = 0
        while q < len(x) - p and q < len(y) - p and x[len(x) - 1 - q] == y[len(y) - 1 - q]:
            q += 1
        yield x[p:len(x) - q].decode("utf-8", "replace"), y[p:len(y) - q].decode("utf-8", "replace")


def main():
    tmp = tempfile.mkdtemp(prefix="nfp-corpus-fix-")
    failures = []
    counts = {"patched": 0, "already-on": 0, "refused-syntax": 0, "refused-dynamic": 0, "other-refusal": 0}
    try:
        root = os.path.join(tmp, "corpus")
        shutil.copytree(CORPUS, root, symlinks=True)
        configs = []
        for d, _, files in os.walk(root):
            for f in files:
                if f.endswith(".config"):
                    configs.append(os.path.join(d, f))
        configs.sort()
        # NFP_CORPUS_STRIDE=N patches every Nth file (slow runs such as valgrind's)
        configs = configs[::max(1, int(os.environ.get("NFP_CORPUS_STRIDE", "1")))]
        for path in configs:
            rel = os.path.relpath(path, root)
            cwd, name = os.path.dirname(path), os.path.basename(path)
            with open(path, "rb") as fh:
                orig = fh.read()
            common = ["--no-settings", "--clean-env"]
            rc, fixed, err = run(["fix"] + common + [name], cwd)
            if rc == 1:
                e = err.decode("utf-8", "replace")
                if "[syntax-error]" in e or "[include-not-found]" in e:
                    counts["refused-syntax"] += 1
                elif "[dynamic-value]" in e:
                    counts["refused-dynamic"] += 1
                else:
                    counts["other-refusal"] += 1
                    failures.append("%s: fix refused: %s" % (rel, e.strip()))
                continue
            if rc != 0:
                # files the resolver cannot read at all (exit 3) are not patchable
                counts["other-refusal"] += 1
                continue
            if fixed == orig:
                counts["already-on"] += 1
                continue
            counts["patched"] += 1
            before_rc, before = canonical_without_wave_enabled(cwd, name)
            # bytes outside the edit: only flipped literals may go, only text with `true` may come
            for removed, added in changed_regions(orig, fixed):
                if removed and not REMOVABLE.match(removed.strip()):
                    failures.append("%s: the patch removes %r" % (rel, removed))
                if added and "true" not in added and added.strip() not in ("", ";"):
                    failures.append("%s: the patch adds %r" % (rel, added))
            with open(path, "wb") as fh:
                fh.write(fixed)
            try:
                rc2, after = canonical_without_wave_enabled(cwd, name)
                # fix made `name` a launch with Wave on: checked as that launch
                # (-c), not inside its pipeline's launch, as `check name` would
                rc3, out3, err3 = run(["check", "-v", "--format", "gcc"] + common + ["-c", name], cwd)
                if "Wave is on" not in out3.decode("utf-8", "replace"):
                    failures.append("%s: patched config does not have Wave on" % rel)
                if before != after:
                    diff = "\n".join(difflib.unified_diff(before, after, lineterm="", n=0))
                    failures.append("%s: other keys changed:\n%s" % (rel, diff[:2000]))
                rc4, again, err4 = run(["fix"] + common + [name], cwd)
                if rc4 != 0 or again != fixed:
                    failures.append("%s: a second fix is not a no-op (rc %d)" % (rel, rc4))
            finally:
                with open(path, "wb") as fh:
                    fh.write(orig)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("corpus fix: %s" % ", ".join("%s %d" % kv for kv in counts.items()))
    for f in failures:
        print("FAIL " + f)
    # the corpus is real: it must have given the fixer something to do
    if counts["patched"] < 10 and os.environ.get("NFP_CORPUS_STRIDE", "1") == "1":
        print("FAIL only %d configs were patched" % counts["patched"])
        return 1
    return 1 if failures else 0


sys.exit(main())
