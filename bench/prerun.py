#!/usr/bin/env python3
"""prerun's Platform calls, concurrent (issue 16, item 2).

Runs `nf-preflight prerun --pipeline DIR` against the loopback Platform
double (tests/integration/platform_double.py) with every request held back
DELAY seconds (--delay), for two runs:

  wfWaveCe   2 calls: the launch and the credentials, independent (at once)
  wfFetchCe  3 calls: the launch and the credentials at once, then the
             compute environment, which needs the launch's answer

and prints, per run, the median wall time of RUNS runs, the number of calls
the double saw, and what the same calls cost one after the other (calls x
DELAY, the floor of a sequential client) beside what the concurrent client
needs at least (the longest chain x DELAY). The base cost (DELAY 0) is
printed first. With BEFORE=BINARY the same is timed for another binary (for
instance a build of the commit before the calls went concurrent).

Usage: bench/prerun.py [BINARY]   (default build/nf-preflight)
Environment: DELAY (default 0.5), RUNS (default 5), BEFORE=BINARY.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOUBLE = os.path.join(ROOT, "tests", "integration", "platform_double.py")
sys.path.insert(0, os.path.dirname(DOUBLE))
sys.dont_write_bytecode = True
import platform_double  # noqa: E402

RUNS = int(os.environ.get("RUNS", "5"))
DELAY = float(os.environ.get("DELAY", "0.5"))
CASES = [("wfWaveCe", 1), ("wfFetchCe", 2)]   # run, longest chain of dependent calls


def start(delay):
    proc = subprocess.Popen([sys.executable, DOUBLE, "--delay", str(delay)], stdout=subprocess.PIPE, text=True)
    return proc, "http://127.0.0.1:" + proc.stdout.readline().strip()


def calls_seen(base):
    with urllib.request.urlopen(base + "/_requests", timeout=5) as r:
        return len(json.load(r))


def time_run(nfp, base, wf, pipe):
    env = dict(os.environ, TOWER_API_ENDPOINT=base, TOWER_ACCESS_TOKEN=platform_double.GOOD_TOKEN,
               TOWER_WORKSPACE_ID="1234", TOWER_WORKFLOW_ID=wf, no_proxy="127.0.0.1", NO_PROXY="127.0.0.1")
    t0 = time.monotonic()
    r = subprocess.run([nfp, "prerun", "--no-settings", "--pipeline", pipe], env=env, capture_output=True, text=True)
    wall = time.monotonic() - t0
    if not r.stdout.startswith("nf-preflight: "):
        sys.exit("prerun failed: %r %r" % (r.stdout, r.stderr))
    return wall


def bench(nfp, label, pipe):
    for delay in (0.0, DELAY):
        proc, base = start(delay)
        try:
            for wf, chain in CASES:
                before = calls_seen(base)
                walls = [time_run(nfp, base, wf, pipe) for _ in range(RUNS)]
                calls = (calls_seen(base) - before - 0) // RUNS
                med = statistics.median(walls)
                if delay:
                    print("%-8s %-10s delay %.2f s: %d calls, median %.2f s; sequential floor %.2f s, "
                          "concurrent floor %.2f s" % (label, wf, delay, calls, med, calls * delay, chain * delay))
                else:
                    print("%-8s %-10s no delay:   %d calls, median %.3f s (base cost)" % (label, wf, calls, med))
        finally:
            proc.kill()
            proc.wait()


def main():
    nfp = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "nf-preflight")
    with tempfile.TemporaryDirectory(prefix="nfp-bench-prerun-") as tmp:
        pipe = os.path.join(tmp, "pipe")
        os.makedirs(pipe)
        with open(os.path.join(pipe, "nextflow.config"), "w") as f:
            f.write("process.container = 'quay.io/biocontainers/fastqc:0.12.1--hdfd78af_0'\n")
        print("prerun Platform calls (%d runs each, medians)" % RUNS)
        bench(nfp, "after", pipe)
        if os.environ.get("BEFORE"):
            bench(os.environ["BEFORE"], "before", pipe)


if __name__ == "__main__":
    main()
