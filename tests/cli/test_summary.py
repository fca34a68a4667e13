"""The one-line launch summary `check` prints before its findings (issue 17
part 3): the engine, Wave on or off and the file:line (and profile) that
decided it or "not set", the images and hosts counted on a pipeline directory
written here, the credential coverage per host; nothing from the environment;
one line of bounded length. The same summary is the JSON report's "launches"
member and a list item of the markdown report; gcc, sarif, github and -q do
not show it; several PATHs give one line each, named."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, nfp_binary, write_file  # noqa: E402

NFP = nfp_binary()
check = Checks()
ENDPOINT = "https://wave.Kq7Zp2Xr.example"
REGISTRY = "reg-Vb5xLq9.example"


def run(args, cwd, env_extra=None):
    env = dict(os.environ, NO_COLOR="1", NXF_SYNTAX_PARSER="")
    for name in ("TOWER_ACCESS_TOKEN", "NXF_DISABLE_WAVE_SERVICE"):
        env.pop(name, None)
    env.update(env_extra or {})
    p = subprocess.run([NFP] + args, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def first_line(args, cwd, env_extra=None):
    rc, out, err = run(["check", "--no-settings", "--format", "text", "--exit-zero"] + args, cwd, env_extra)
    return out.split("\n")[0]


PIPELINE = {
    "nextflow.config": """\
docker.enabled = true
process {
    withLabel: private { container = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/tools/aligner:2.1' }
}
profiles {
    wave { includeConfig 'conf/wave.config' }
    off { wave.enabled = false }
}
""",
    "conf/wave.config": "// Wave for Platform runs\nwave.enabled = true\n",
    # the same quay image twice, a public ghcr image, a singularity-only
    # download (not used under docker), and one named at run time
    "modules/a/main.nf": "process A {\n    container 'quay.io/org/a:1.0'\n    script: 'true'\n}\n",
    "modules/c/main.nf": "process C {\n    container 'quay.io/org/a:1.0'\n    script: 'true'\n}\n",
    "modules/b/main.nf": """\
process B {
    container "${ workflow.containerEngine == 'singularity' ? 'https://depot.galaxyproject.org/singularity/b:2' : 'ghcr.io/org/b:2' }"
    script: 'true'
}
""",
    # (a param set nowhere reads as null, so the attempt number decides it: run time)
    "modules/d/main.nf": "process D {\n    container \"quay.io/org/d:${params.tag ?: task.attempt}\"\n    script: 'true'\n}\n",
    "creds.yml": "credentials:\n  - name: quay\n    registry: quay.io\n    user: org+robot\n",
}

with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, ".git"))
    for name, text in PIPELINE.items():
        write_file(d, "p/" + name, text)

    # ---- Wave: not set, from a profile (file:line of the include), set false ----
    line = first_line(["p"], d)
    check(line.startswith("launch: engine docker; Wave off (not set); "), "Wave off, not set: %r" % line)
    line = first_line(["-profile", "wave", "p"], d)
    check(line.startswith("launch -profile wave: engine docker; Wave on (p/conf/wave.config:2, profile 'wave'); "),
          "Wave on from a profile names the file and line that set it: %r" % line)
    line = first_line(["-profile", "off", "p"], d)
    check("Wave off (p/nextflow.config:7, profile 'off')" in line, "Wave set false: where: %r" % line)
    line = first_line(["-profile", "wave", "p"], d, {"NXF_DISABLE_WAVE_SERVICE": "1"})
    check("Wave off (NXF_DISABLE_WAVE_SERVICE is set)" in line, "the environment turns Wave off: %r" % line)

    # ---- images and hosts: distinct images the engine uses, their hosts ----
    # quay.io/org/a:1.0 (twice), ghcr.io/org/b:2, the ECR aligner, quay.io/org/d:${params.tag ?: task.attempt}
    line = first_line(["p"], d)
    check("; 4 images (1 dynamic) on 3 hosts; credentials not checked" in line,
          "counts on the pipeline directory: %r" % line)
    line = first_line(["--param", "tag=3", "p"], d)
    check("; 4 images on 3 hosts; " in line, "a param names the last one: %r" % line)
    # ---- credentials: quay.io covered, ECR (needs a login) missing, ghcr.io public: neither ----
    line = first_line(["--credentials", "p/creds.yml", "-profile", "wave", "p"], d)
    check(line.endswith("; credentials: 1 covered, 1 missing"), "per-host coverage: %r" % line)

    # ---- the report around it ----
    rc, out, err = run(["check", "--no-settings", "--format", "text", "p"], d)
    lines = out.split("\n")
    check(lines[0].startswith("launch: ") and lines[1] == "" and "[wave-not-enabled]" in lines[2],
          "text: the summary, a blank line, then the findings: %r" % out[:300])
    rc, out, err = run(["check", "--no-settings", "--format", "gcc", "p"], d)
    check(re.search(r"^launch", out, re.M) is None and "engine docker" not in out,
          "gcc stays one finding per line: %r" % out)
    rc, out, err = run(["check", "--no-settings", "--format", "text", "-q", "p"], d)
    check(re.fullmatch(r"\d+ errors?, \d+ warnings?, \d+ info\n", out) is not None,
          "-q: the counts line alone, as in gcc: %r" % out)
    for fmt in ("sarif", "github"):
        rc, out, err = run(["check", "--no-settings", "--format", fmt, "p"], d)
        check("engine docker" not in out and "4 images" not in out, "%s: no summary line: %r" % (fmt, out[:200]))
    rc, out, err = run(["check", "--no-settings", "--format", "json", "-profile", "wave",
                        "--credentials", "p/creds.yml", "p"], d)
    doc = json.loads(out)
    check(list(doc)[:4] == ["version", "tool", "summary", "diagnostics"] and
          set(doc["summary"]) >= {"error", "warning", "info"},
          "json: the existing members keep their names and place: %r" % list(doc))
    ls = doc.get("launches") or [{}]
    want = {"path": None, "profiles": ["wave"], "engine": "docker",
            "wave": {"enabled": True, "why": "set", "path": "p/conf/wave.config", "line": 2, "profile": "wave"},
            "images": 4, "dynamic_images": 1, "hosts": 3,
            "credentials": {"covered": 1, "missing": 1, "unknown": 0}}
    got = {k: v for k, v in ls[0].items() if k != "text"}
    check(len(ls) == 1 and got == want, "json launches[0]: %r" % ls)
    check(ls[0].get("text") == first_line(["-profile", "wave", "--credentials", "p/creds.yml", "p"], d),
          "json: its text is the line text prints: %r" % ls[0].get("text"))
    rc, out, err = run(["check", "--no-settings", "--format", "json", "--statistics", "p"], d)
    check(isinstance(json.loads(out), list), "json --statistics keeps its array: %r" % out[:100])

    # ---- markdown: the summary under the verdict; --statistics as a table ----
    rc, out, err = run(["check", "--no-settings", "--format", "markdown", "p"], d)
    md = out.split("\n")
    check(md[0].startswith("## nf-preflight: ") and md[1] == "" and md[2].startswith("- launch: engine docker; Wave off")
          and "| Severity | Location | Rule | Message |" in out, "markdown: heading, summary, table: %r" % out[:400])
    rc, out, err = run(["check", "--no-settings", "--format", "markdown", "--statistics", "p"], d)
    check(rc == 0 and "| Count | Rule | Name | Fixable |" in out and
          re.search(r"^\| 1 \| NFP009 \| wave-not-enabled \| yes \|$", out, re.M) is not None and
          "| Severity |" not in out, "markdown --statistics: a count per rule: %r" % out)

    # ---- several PATHs: one line each, named ----
    write_file(d, "q/nextflow.config", "wave.enabled = true\n")
    rc, out, err = run(["check", "--no-settings", "--format", "text", "p", "q"], d)
    heads = [l for l in out.split("\n") if l.startswith("launch ")]
    check(len(heads) == 2 and heads[0].startswith("launch p: ") and heads[1] == (
        "launch q: no container engine; Wave on (q/nextflow.config:1); no images; credentials not checked"),
        "one named line per launch: %r" % heads)

    # ---- a config with syntax errors has no launch to summarize ----
    write_file(d, "bad/nextflow.config", "process {\n")
    rc, out, err = run(["check", "--no-settings", "--format", "text", "bad"], d)
    check(not out.startswith("launch") and "[syntax-error]" in out, "syntax error: no summary: %r" % out)

    # ---- nothing from the environment ----
    write_file(d, "e/nextflow.config", """\
docker.enabled = true
wave.enabled = System.getenv('NFP_T_WAVE') == 'on'
wave.endpoint = System.getenv('NFP_T_ENDPOINT')
process.container = "${System.getenv('NFP_T_REGISTRY')}/tool:1"
""")
    envv = {"NFP_T_WAVE": "on", "NFP_T_ENDPOINT": ENDPOINT, "NFP_T_REGISTRY": REGISTRY}
    outs = []
    for fmt in ("text", "json", "markdown"):
        rc, out, err = run(["check", "--no-settings", "--format", fmt, "e"], d, envv)
        outs.append(out + err)
    line = outs[0].split("\n")[0]
    check(line == "launch: engine docker; Wave on (e/nextflow.config:2); 1 image on 1 host; credentials not checked",
          "an environment-derived Wave and image are counted, not shown: %r" % line)
    for fmt, out in zip(("text", "json", "markdown"), outs):
        check(ENDPOINT not in out and "Kq7Zp2Xr" not in out and "Vb5xLq9" not in out,
              "%s: no environment value anywhere: %r" % (fmt, out[:300]))

    # ---- Wave turned on by Nextflow's run option: the option is named ----
    write_file(d, "w/nextflow.config", "docker.enabled = true\n")
    line = first_line(["-with-wave", "w"], d)
    check(line.startswith("launch: engine docker; Wave on (-with-wave); "), "-with-wave is named: %r" % line)

    # ---- one line of bounded length, whatever the names ----
    long_profile = "p" + "x" * 200
    write_file(d, "l/" + "deep/" * 20 + "nextflow.config", "profiles {\n    %s { wave.enabled = true }\n}\n" % long_profile)
    line = first_line(["-profile", long_profile, "l/" + "deep/" * 20 + "nextflow.config"], d)
    check(line.startswith("launch -profile px") and "Wave on (\u2026" in line and len(line.encode()) <= 160
          and line.endswith("credentials not checked"), "long names are cut, the line stays short: %d %r" % (len(line.encode()), line))

check.finish()
