#!/usr/bin/env python3
"""Golden tests of the resolver: `nf-preflight config --format canonical` on
the small fixtures in tests/resolve/fixtures, compared with the expected output
in tests/resolve/expected/CASE.out. Diagnostics are checked by rule name.

Cases: profile order in v2 (command-line order, at the block) and v1
(definition order), where a v1 profile's settings land, legacy Groovy expressions, the default
`standard` profile, includes (nested, relative
to the including file, inside a profile), a missing include, an include cycle,
a remote include served by a loopback HTTP server (with --remote-includes, and
skipped without it), params precedence (config < --params-file < --param,
kebab-case to camelCase).

NFP_REGEN=1 rewrites the expected files from the current output.
"""
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
NFP = os.environ.get("NFP")
REGEN = os.environ.get("NFP_REGEN") == "1"
failures = []
checks = 0


def run(args, cwd):
    p = subprocess.run([NFP, "config", "--format", "canonical", "--clean-env"] + args, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def golden(case, args, cwd, want_rules=(), absent_rules=()):
    """Compares stdout with expected/CASE.out; each rule in want_rules must be
    in stderr as `[rule]`, each in absent_rules must not."""
    global checks
    rc, out, err = run(args, cwd)
    path = os.path.join(HERE, "expected", case + ".out")
    if REGEN:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(out)
    checks += 1
    try:
        with open(path) as f:
            want = f.read()
    except FileNotFoundError:
        want = None
    if rc >= 124 or rc < 0:
        failures.append("%s: nf-preflight exited %d: %s" % (case, rc, err[-300:]))
    if want != out:
        failures.append("%s: output differs\n--- expected\n%s--- got\n%s--- stderr\n%s" % (case, want, out, err))
    for rule in want_rules:
        checks += 1
        if "[%s]" % rule not in err:
            failures.append("%s: expected a [%s] diagnostic, stderr was:\n%s" % (case, rule, err))
    for rule in absent_rules:
        checks += 1
        if "[%s]" % rule in err:
            failures.append("%s: unexpected [%s] diagnostic:\n%s" % (case, rule, err))
    return out, err


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


def main():
    if not NFP or not os.access(NFP, os.X_OK):
        print("FAIL: $NFP does not name the nf-preflight binary")
        return 1
    tmp = tempfile.mkdtemp(prefix="nfp-resolve-")
    try:
        fx = os.path.join(tmp, "fixtures")
        shutil.copytree(os.path.join(HERE, "fixtures"), fx)

        # profiles: v2 applies -profile in command-line order at the block, so
        # beta,alpha lets alpha win and process.queue after the block stays
        prof = os.path.join(fx, "profiles", "nextflow.config")
        golden("profiles-v2-beta-alpha", ["-profile", "beta,alpha", prof], tmp)
        golden("profiles-v2-alpha-beta", ["-profile", "alpha,beta", prof], tmp)
        # v1: definition order whatever the command line says (beta wins both ways)
        a, _ = golden("profiles-v1-beta-alpha", ["--syntax", "v1", "-profile", "beta,alpha", prof], tmp)
        b, _ = golden("profiles-v1-alpha-beta", ["--syntax", "v1", "-profile", "alpha,beta", prof], tmp)
        global checks
        checks += 1
        if a != b:
            failures.append("v1 profile order depends on the command line:\n%s\nvs\n%s" % (a, b))
        # no -profile: `standard` applies
        golden("profiles-default-standard", [prof], tmp)
        golden("profiles-unknown", ["-profile", "alpah", prof], tmp, want_rules=["unknown-profile"])
        # where a profile's settings land: v1 writes a scope that existed before
        # the block in place and merges new scopes after the file (the expected
        # output is the reference resolver's); v2 applies the body at the block
        land = os.path.join(fx, "landing", "nextflow.config")
        golden("profiles-v1-landing", ["--syntax", "v1", "-profile", "test", land], tmp)
        golden("profiles-v2-landing", ["-profile", "test", land], tmp)
        # without --syntax, NXF_SYNTAX_PARSER picks the semantics as it does for Nextflow
        checks += 1
        p = subprocess.run([NFP, "config", "--format", "canonical", "--clean-env", "-profile", "test", land],
                           cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                           env=dict(os.environ, NXF_SYNTAX_PARSER="v1"))
        with open(os.path.join(HERE, "expected", "profiles-v1-landing.out")) as f:
            if p.stdout.decode() != f.read():
                failures.append("NXF_SYNTAX_PARSER=v1 did not select v1 semantics:\n" + p.stdout.decode())
        checks += 1
        p = subprocess.run([NFP, "config", land], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60, env=dict(os.environ, NXF_SYNTAX_PARSER="v3"))
        if p.returncode != 2 or b"NXF_SYNTAX_PARSER" not in p.stderr:
            failures.append("NXF_SYNTAX_PARSER=v3: want exit 2 naming the variable, got %d: %s" % (p.returncode, p.stderr))
        # legacy Groovy the v1 resolver evaluates (closures, stripIndent, BigDecimal
        # text, chained assignment, an include inside an if); expected = the oracle's
        golden("groovy-v1", ["--syntax", "v1", os.path.join(fx, "groovy", "nextflow.config")], tmp,
               absent_rules=["config-error", "dynamic-value"])
        golden("groovy-methods-v1", ["--syntax", "v1", os.path.join(fx, "groovy", "methods.config")], tmp,
               absent_rules=["config-error", "dynamic-value"])
        # loops and switches are not evaluated: said, not silently dropped
        golden("groovy-loops-v1", ["--syntax", "v1", os.path.join(fx, "groovy", "loops.config")], tmp,
               want_rules=["dynamic-value"])

        # includes: nested (relative to the including file) and inside a profile
        inc = os.path.join(fx, "includes", "nextflow.config")
        golden("includes-nested", [inc], tmp, absent_rules=["include-not-found"])
        golden("includes-in-profile", ["-profile", "test", inc], tmp)
        golden("include-missing", [os.path.join(fx, "missing", "nextflow.config")], tmp,
               want_rules=["include-not-found"])
        golden("include-cycle", [os.path.join(fx, "cycle", "nextflow.config")], tmp, want_rules=["include-cycle"])

        # remote include from a loopback server; a relative include inside it
        # resolves against its URL
        srv = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(QuietHandler, directory=os.path.join(fx, "remote", "srv")))
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        try:
            remote = os.path.join(fx, "remote", "nextflow.config")
            with open(remote) as f:
                text = f.read().replace("PORT", str(srv.server_address[1]))
            with open(remote, "w") as f:
                f.write(text)
            golden("include-remote-fetched", ["--remote-includes", remote], tmp,
                   absent_rules=["include-remote-skipped", "include-remote-failed"])
            golden("include-remote-skipped", [remote], tmp, want_rules=["include-remote-skipped"])
        finally:
            srv.shutdown()

        # params: config < --params-file < --param; --max-cpus becomes maxCpus
        par = os.path.join(fx, "params")
        golden("params-precedence", ["--params-file", os.path.join(par, "params.yml"),
                                     "--param", "fromCli=cli", "--param", "max-cpus=16",
                                     os.path.join(par, "nextflow.config")], tmp)
        golden("params-precedence-v1", ["--syntax", "v1", "--params-file", os.path.join(par, "params.yml"),
                                        "--param", "fromCli=cli", "--param", "max-cpus=16",
                                        os.path.join(par, "nextflow.config")], tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print("FAIL: " + f)
    print("%d checks, %d failures%s" % (checks, len(failures), " (expected files regenerated)" if REGEN else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
