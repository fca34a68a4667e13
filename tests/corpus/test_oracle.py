#!/usr/bin/env python3
"""Differential test of the resolver against the reference resolver (oracle).

Every *.config file of the shared corpus is resolved by the Groovy oracle
(shared/oracle, legacy v1 semantics) and by `nf-preflight config --format
canonical --syntax v1 --clean-env`, each on its own with the default profile.
Each nf-core pipeline's nextflow.config is also resolved once per profile it
declares (`-profile P`, both tools). The canonical outputs are compared key by
key.

Pass criteria (issue 3, "Must show"):
  * at least 99% of all printed keys agree in key and value;
  * every remaining difference matches a row of oracle-known-differences.tsv
    (file pattern, key pattern, class, reason), class one of resolver-bug,
    oracle-gap, dynamic-by-design.

The oracle is slow (one JVM per chunk of files), so its output is cached under
$NFP_BUILD/oracle-cache, keyed by the sha256 of the config file, its corpus
path, the oracle arguments and the newest mtime of the oracle's sources.

Environment: NFP, NFP_SRC, NFP_SHARED, NFP_BUILD (from ctest). Options:
  -v            print every difference (also the allowed ones)
  --dump FILE   write every unlisted difference to FILE (tab-separated)
  --only GLOB   restrict to corpus files matching GLOB (development aid)
Exit 77 (skipped) when the corpus, the oracle or groovy is absent.
"""
import concurrent.futures
import fnmatch
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

CLASSES = ("resolver-bug", "oracle-gap", "dynamic-by-design", "redacted-by-design")
THRESHOLD = 99.0
# nf-core repositories in the corpus that are not pipelines
NOT_PIPELINES = {"nf-core__configs", "nf-core__modules", "nf-core__tools"}
ORACLE_SECONDS_PER_FILE = 60


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(77)


def java_home():
    java = shutil.which("java")
    if not java:
        return None
    return os.path.dirname(os.path.dirname(os.path.realpath(java)))


# ---------------------------------------------------------------- parsing

def split_key(line):
    """Splits a canonical `KEY = VALUE` line; quoted key segments may hold
    anything, so the key is scanned rather than split on ' = '."""
    i, n = 0, len(line)
    while i < n:
        if line[i] == "'":
            i += 1
            while i < n and line[i] != "'":
                i += 2 if line[i] == "\\" else 1
            i += 1
        elif line.startswith(" = ", i):
            return line[:i], line[i + 3:]
        else:
            i += 1
    return None, None


CLOSURE_RE = re.compile(r"closure\('((?:[^'\\]|\\.)*)'\)")
EDGE_WS = re.compile(r"^(?:\s|\\[ntrf])+|(?:\s|\\[ntrf])+$")
# a line comment after the closing brace, which Groovy 2.4 counts into the literal
TRAILING_COMMENT = re.compile(r"\}[ \t]*//(?:(?!\\n).)*$")


def normalise(value):
    """Closure source text is compared with whitespace (and a line comment
    after the closing brace) trimmed at its edges: Groovy 2.4 and our parser
    disagree on where the literal ends (oracle README, "Known gaps")."""
    def edge(m):
        text = EDGE_WS.sub("", m.group(1))
        text = EDGE_WS.sub("", TRAILING_COMMENT.sub("}", text))
        return "closure('" + text + "')"
    return CLOSURE_RE.sub(edge, value)


def parse_canonical(text):
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        k, v = split_key(line)
        if k is None:
            out.setdefault("<unparsed>", line)
            continue
        out[k] = normalise(v)
    return out


# ---------------------------------------------------------------- oracle

class Oracle:
    def __init__(self, shared, cache_dir, launch_dir):
        self.oracle_dir = os.path.join(shared, "oracle")
        self.driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle-batch.groovy")
        self.cache_dir = cache_dir
        self.launch_dir = launch_dir
        newest = 0
        for dp, _, fns in os.walk(self.oracle_dir):
            for fn in fns:
                newest = max(newest, int(os.stat(os.path.join(dp, fn)).st_mtime))
        self.stamp = str(newest)
        os.makedirs(cache_dir, exist_ok=True)

    def key(self, path, rel, args):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            h.update(hashlib.sha256(f.read()).digest())
        h.update(("\0" + rel + "\0" + "\0".join(args) + "\0" + self.stamp + "\0" + self.launch_dir).encode())
        return h.hexdigest()

    def cached(self, key):
        p = os.path.join(self.cache_dir, key)
        if os.path.exists(p + ".rc"):
            with open(p + ".rc") as f:
                rc = int(f.read().strip() or "1")
            with open(p + ".out", encoding="utf-8", errors="replace") as f:
                out = f.read()
            with open(p + ".err", encoding="utf-8", errors="replace") as f:
                err = f.read()
            return rc, out, err
        return None

    def run(self, jobs):
        """jobs: list of (path, rel, args). Returns {(rel, args): (rc, out, err)}."""
        results, todo = {}, {}
        for path, rel, args in jobs:
            k = self.key(path, rel, args)
            hit = self.cached(k)
            if hit is not None:
                results[(rel, args)] = hit
            else:
                todo.setdefault(args, []).append((k, path, rel))
        if todo:
            env = dict(os.environ)
            jh = java_home()
            if jh:
                env["JAVA_HOME"] = jh
            items = [(k, path, rel, args) for args, lst in sorted(todo.items()) for k, path, rel in lst]
            ncpu = os.cpu_count() or 2
            nchunks = max(1, min(ncpu, (len(items) + 19) // 20))
            with tempfile.TemporaryDirectory(prefix="nfp-oracle-") as tmp:
                procs = []
                for ci in range(nchunks):
                    chunk = items[ci::nchunks]
                    lst = os.path.join(tmp, "list.%d" % ci)
                    with open(lst, "w") as f:
                        for k, path, _, args in chunk:
                            f.write("\t".join([k] + list(args) + [path]) + "\n")
                    cmd = ["groovy", self.driver, self.oracle_dir, lst, tmp, str(ORACLE_SECONDS_PER_FILE)]
                    procs.append((cmd, len(chunk)))
                print("oracle: resolving %d uncached runs in %d JVMs" % (len(items), len(procs)), flush=True)
                with concurrent.futures.ThreadPoolExecutor(max_workers=len(procs)) as ex:
                    list(ex.map(lambda pc: subprocess.run(pc[0], cwd=self.launch_dir, env=env,
                                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                          timeout=(ORACLE_SECONDS_PER_FILE + 5) * (pc[1] + 1) + 60),
                                procs))
                for k, path, rel, args in items:
                    o = os.path.join(tmp, k + ".out")
                    e = os.path.join(tmp, k + ".err")
                    if not os.path.exists(o):
                        results[(rel, args)] = (99, "", "oracle JVM died")
                        continue
                    with open(o, encoding="utf-8", errors="replace") as f:
                        out = f.read()
                    with open(e, encoding="utf-8", errors="replace") as f:
                        err = f.read()
                    rc = 1 if re.search(r"^ERROR:", err, re.M) else 0
                    base = os.path.join(self.cache_dir, k)
                    for ext, data in ((".out", out), (".err", err)):
                        with open(base + ext, "w", encoding="utf-8") as f:
                            f.write(data)
                    with open(base + ".rc", "w") as f:
                        f.write(str(rc))
                    results[(rel, args)] = (rc, out, err)
        return results


# ---------------------------------------------------------------- ours

def run_ours(nfp, path, args, cwd):
    # Nextflow reads every include; so does the comparison (a sub-config
    # checked on its own includes ../../modules of its pipeline)
    cmd = [nfp, "config", "--format", "canonical", "--syntax", "v1", "--clean-env",
           "--allow-outside-includes"] + list(args) + [path]
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except subprocess.TimeoutExpired:
        return 124, "", "timeout"
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


# ---------------------------------------------------------------- allow-list

def load_allow(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 4 or cols[2] not in CLASSES or not cols[3].strip():
                print("%s:%d: malformed row (want file, key, class, reason; class in %s)" % (path, n, ", ".join(CLASSES)))
                sys.exit(1)
            rows.append({"file": cols[0], "key": cols[1], "class": cols[2], "reason": cols[3], "line": n, "used": 0})
    return rows


def match_allow(rows, run_name, key):
    for r in rows:
        if fnmatch.fnmatchcase(run_name, r["file"]) and fnmatch.fnmatchcase(key, r["key"]):
            r["used"] += 1
            return r
    return None


# ---------------------------------------------------------------- main

def main():
    verbose = "-v" in sys.argv
    only = None
    if "--only" in sys.argv:
        only = sys.argv[sys.argv.index("--only") + 1]
    nfp = os.environ.get("NFP")
    src = os.environ.get("NFP_SRC") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    shared = os.environ.get("NFP_SHARED", "")
    build = os.environ.get("NFP_BUILD") or tempfile.gettempdir()
    corpus = os.path.join(shared, "corpus")
    if not shared or not os.path.isdir(corpus):
        skip("no corpus at $NFP_SHARED/corpus")
    if not os.path.exists(os.path.join(shared, "oracle", "nfconfig-oracle.groovy")):
        skip("no oracle at $NFP_SHARED/oracle")
    if not shutil.which("groovy") or not shutil.which("java"):
        skip("groovy (Debian package 'groovy') is not installed")
    if not nfp or not os.access(nfp, os.X_OK):
        print("FAIL: $NFP does not name the nf-preflight binary")
        return 1
    corpus = os.path.realpath(corpus)
    # NFP_ORACLE_CACHE lets several builds (plain, ASan, valgrind) share one cache
    cache = os.environ.get("NFP_ORACLE_CACHE") or os.path.join(os.path.abspath(build), "oracle-cache")
    launch = os.path.join(cache, "launch")      # a stable launchDir for both tools
    os.makedirs(launch, exist_ok=True)
    allow = load_allow(os.path.join(src, "tests", "corpus", "oracle-known-differences.tsv"))

    files = []
    for dp, dns, fns in os.walk(corpus):
        dns.sort()
        for fn in sorted(fns):
            if fn.endswith(".config"):
                p = os.path.join(dp, fn)
                rel = os.path.relpath(p, corpus)
                if only and not fnmatch.fnmatchcase(rel, only):
                    continue
                files.append((p, rel))
    # NFP_CORPUS_STRIDE=N checks every Nth file (slow runs such as valgrind's)
    stride = max(1, int(os.environ.get("NFP_CORPUS_STRIDE", "1")))
    files = files[::stride]
    oracle = Oracle(shared, cache, launch)

    # pass 1: every file, default profile (and the declared profiles, for pass 2)
    base_args = ("-clean-env", "-show-profiles")
    res = oracle.run([(p, rel, base_args) for p, rel in files])
    runs = [(p, rel, rel, (), base_args) for p, rel in files]

    # pass 2: every declared profile of the nf-core pipelines
    prof_jobs = []
    for p, rel in files:
        top = rel.split(os.sep)[0]
        if rel != os.path.join(top, "nextflow.config") or not top.startswith("nf-core__") or top in NOT_PIPELINES:
            continue
        rc, out, _ = res[(rel, base_args)]
        if rc != 0:
            continue
        seen = []
        for line in out.splitlines():
            m = re.match(r"^#profile '((?:[^'\\]|\\.)*)'$", line)
            if m and m.group(1) not in seen:
                seen.append(m.group(1))
        for prof in seen:
            oargs = ("-clean-env", "-profile", prof)
            prof_jobs.append((p, rel, oargs))
            runs.append((p, rel, "%s -profile %s" % (rel, prof), ("-profile", prof), oargs))
    res.update(oracle.run(prof_jobs))

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
        ours = dict(zip([r[2] for r in runs],
                        ex.map(lambda r: run_ours(nfp, r[0], r[3], launch), runs)))

    total = agree = 0
    oracle_failed = []
    by_class = {c: [] for c in CLASSES}
    unlisted = []
    crashed = []
    for p, rel, name, oargs_ours, oargs in runs:
        orc, oout, oerr = res[(rel, oargs)]
        if orc != 0:
            msg = next((l for l in oerr.splitlines() if l.startswith("ERROR:")), oerr.strip()[:200])
            oracle_failed.append((name, msg))
            continue
        rc, out, err = ours[name]
        if rc < 0 or rc >= 124:
            crashed.append((name, rc, err.strip()[-300:]))
        want = parse_canonical(oout)
        got = parse_canonical(out)
        for key in sorted(set(want) | set(got)):
            total += 1
            w, g = want.get(key, "<absent>"), got.get(key, "<absent>")
            if w == g:
                agree += 1
                continue
            row = match_allow(allow, name, key)
            d = (name, key, w, g)
            if row:
                by_class[row["class"]].append((d, row))
                if verbose:
                    print("allowed [%s] %s: %s\n  oracle: %s\n  ours:   %s" % (row["class"], name, key, w, g))
            else:
                unlisted.append(d)

    pct = 100.0 * agree / total if total else 0.0
    if stride > 1:
        print("sampled every %dth corpus file (NFP_CORPUS_STRIDE)" % stride)
    print("runs: %d (%d files, %d profile runs); oracle could not resolve %d (not compared)" %
          (len(runs), len(files), len(prof_jobs), len(oracle_failed)))
    print("keys compared: %d  agreeing: %d  (%.3f%%)" % (total, agree, pct))
    for c in CLASSES:
        print("  listed %-18s %d" % (c + ":", len(by_class[c])))
    print("  unlisted differences: %d" % len(unlisted))
    if verbose:
        for name, msg in oracle_failed:
            print("oracle failed: %s: %s" % (name, msg))
    for r in allow:
        if not r["used"] and not only:
            print("note: allow-list row %d matched nothing (%s %s)" % (r["line"], r["file"], r["key"]))
    ok = True
    for name, rc, err in crashed:
        print("FAIL: nf-preflight exited %d on %s: %s" % (rc, name, err))
        ok = False
    for name, key, w, g in unlisted[:200]:
        print("DIFF %s: %s\n  oracle: %s\n  ours:   %s" % (name, key, w[:400], g[:400]))
    if "--dump" in sys.argv:
        with open(sys.argv[sys.argv.index("--dump") + 1], "w", encoding="utf-8") as f:
            for name, key, w, g in unlisted:
                f.write("%s\t%s\t%s\t%s\n" % (name, key, w, g))
    if unlisted:
        print("FAIL: %d differences are not in tests/corpus/oracle-known-differences.tsv" % len(unlisted))
        ok = False
    # the threshold is over the whole corpus; a sample (NFP_CORPUS_STRIDE) only
    # has to agree where no difference is listed
    if total == 0 or (pct < THRESHOLD and stride == 1):
        print("FAIL: agreement %.3f%% is below %.1f%%" % (pct, THRESHOLD))
        ok = False
    print("PASS" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
