"""The exit code never depends on --format (issue 14 item 8): the same input
gives the same exit code and the same finding counts in gcc, text, JSON,
SARIF and GitHub output, at every --fail-on level, with and without -v.
JSON always carries the explanatory notes (where Wave is set); they are
marked "note": true, counted apart, and never count toward --fail-on."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()
FORMATS = ("gcc", "text", "json", "sarif", "github")


def findings(fmt, out, with_notes):
    """The (rule, severity, line) findings one report carries, sorted. JSON
    marks its notes; it always has them, the other formats only with -v."""
    sev = {"error": "error", "warning": "warning", "info": "info", "note": "info", "notice": "info"}
    if fmt == "json":
        return sorted((x["rule"], x["severity"], x["line"]) for x in json.loads(out)["diagnostics"]
                      if with_notes or not x.get("note"))
    if fmt == "sarif":
        return sorted((r["ruleId"], sev[r.get("level", "warning")],
                       r["locations"][0]["physicalLocation"]["region"]["startLine"])
                      for r in json.loads(out)["runs"][0]["results"])
    if fmt == "github":
        return sorted((m[3], sev[m[0]], int(m[1])) for m in
                      re.findall(r"^::(error|warning|notice) file=[^,]*,line=(\d+),(.*?)title=nf-preflight \(([a-z0-9-]+)\)",
                                 out, re.M))
    return sorted((m[3], m[2], int(m[0])) for m in
                  re.findall(r"^[^ ]*?:(\d+):(\d+): (error|warning|info): .* \[([a-z0-9-]+)\]$", out, re.M))


def summary(fmt, out):
    """(errors, warnings, infos) of a report's summary (text and JSON have one)."""
    if fmt == "json":
        s = json.loads(out)["summary"]
        return s["error"], s["warning"], s["info"]
    m = re.search(r"^(\d+) errors?, (\d+) warnings?, (\d+) info(?:, (\d+) notes?)?$", out, re.M)
    return tuple(int(x) for x in m.groups()[:3]) if m else None


def run(args, env_extra):
    env = dict(os.environ, NO_COLOR="1", NXF_SYNTAX_PARSER="")
    env.pop("TOWER_ACCESS_TOKEN", None)
    env.update(env_extra)
    p = subprocess.run([NFP] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout


with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    cases = [
        # Wave on, token given: nothing to report, but JSON says where Wave is set
        ("wave-on", write("on.config", "wave.enabled = true\n"), {"TOWER_ACCESS_TOKEN": "x"}, []),
        # Wave on without a token (info), a typo (warning)
        ("info-warning", write("mixed.config", "wave.enabled = true\nprocess.cpu = 2\n"), {}, []),
        # an image computed at run time: a verbose note from the images rules
        ("dynamic-image", write("dyn.config", "wave.enabled = true\nprocess.container = { params.img }\n"),
         {"TOWER_ACCESS_TOKEN": "x"}, []),
        # errors
        ("errors", write("err.config", "wave.enabled = 'true'\nprocess.container = 'Quay.io/A/B'\n"), {}, []),
        # Wave off (warning) and an unused suppression (info)
        ("off", write("off.config", "// nf-preflight: ignore[unknown-option]\nprocess.cpus = 2\n"), {}, []),
    ]
    for name, path, env, extra in cases:
        for verbose in ([], ["-v"]):
            for level in ("error", "warning", "info"):
                seen = {}
                for fmt in FORMATS:
                    rc, out = run(["check", "--no-settings", "--fail-on", level, "--format", fmt] + verbose + extra
                                  + [path], env)
                    seen[fmt] = (rc, findings(fmt, out, bool(verbose)),
                                 summary(fmt, out) if fmt in ("text", "json") else None)
                what = "%s %s --fail-on %s" % (name, " ".join(verbose), level)
                rcs = {f: v[0] for f, v in seen.items()}
                check(len(set(rcs.values())) == 1, "%s: exit codes differ by format: %s" % (what, rcs))
                found = {f: v[1] for f, v in seen.items()}
                check(all(found[f] == found["gcc"] for f in FORMATS), "%s: findings differ by format: %s" % (what, found))
                check(seen["text"][2] is not None and seen["text"][2] == seen["json"][2],
                      "%s: summaries differ: text %s, json %s" % (what, seen["text"][2], seen["json"][2]))

    # the notes JSON carries are marked, and counted apart
    rc, out = run(["check", "--no-settings", "--fail-on", "info", "--format", "json", cases[0][1]],
                  {"TOWER_ACCESS_TOKEN": "x"})
    doc = json.loads(out)
    notes = [x for x in doc["diagnostics"] if x.get("note")]
    check(rc == 0 and len(notes) == 1 and notes[0]["rule"] == "wave-status", "JSON notes: %d %s" % (rc, out))
    check(doc["summary"] == {"error": 0, "warning": 0, "info": 0, "note": 1}, "JSON summary: %s" % doc["summary"])
    # a note raised to error by the settings still never fails the run
    settings = write("loud.yml", "rules: {wave-status: error}\n")
    for fmt in FORMATS:
        rc, out = run(["check", "--settings", settings, "-v", "--format", fmt, cases[0][1]], {"TOWER_ACCESS_TOKEN": "x"})
        check(rc == 0, "%s: a note raised to error fails the run (exit %d)" % (fmt, rc))
    # text -v shows the note and counts it apart
    rc, out = run(["check", "--no-settings", "-v", "--format", "text", cases[0][1]], {"TOWER_ACCESS_TOKEN": "x"})
    check("[wave-status]" in out and "0 errors, 0 warnings, 0 info, 1 note" in out, "text -v: %s" % out)

check.finish()
