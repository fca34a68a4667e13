"""Golden tests for the option schema rules (unknown-option, option-type,
deprecated-option): every tests/schema/fixtures/*.config is checked with
`nf-preflight check FILE --format gcc` and the findings of those three rules
must equal fixtures/<name>.expected line for line. Then the nf-core pipeline
template (rendered with every optional feature on) must give no unknown-option
or option-type finding at all."""
import os
import re
import subprocess
import sys
import tempfile

RULES = ("[unknown-option]", "[option-type]", "[deprecated-option]")


def run_check(nfp, cwd, name):
    p = subprocess.run([nfp, "check", name, "--format", "gcc", "--no-settings", "--color", "never"],
                       cwd=cwd, capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{name}: nf-preflight exited {p.returncode}: {p.stderr}")
    return [l for l in p.stdout.splitlines() if l.endswith(RULES)]


def render_template(src_dir, dst_dir):
    """Keeps the text of every Jinja branch (all features on) and replaces
    {{ expressions }} with a plain word."""
    for root, _dirs, files in os.walk(src_dir):
        if "{{" in root:
            continue
        for f in files:
            if not f.endswith(".config"):
                continue
            rel = os.path.relpath(os.path.join(root, f), src_dir)
            text = open(os.path.join(root, f), encoding="utf-8").read()
            text = re.sub(r"\{%-?.*?-?%\}", "", text, flags=re.S)
            text = re.sub(r"\{\{.*?\}\}", "x", text, flags=re.S)
            out = os.path.join(dst_dir, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text)
            yield rel


def main():
    nfp = os.environ["NFP"]
    here = os.path.join(os.environ["NFP_SRC"], "tests", "schema", "fixtures")
    failures = 0
    fixtures = sorted(f for f in os.listdir(here) if f.endswith(".config"))
    if len(fixtures) < 6:
        print(f"expected at least 6 fixtures, found {len(fixtures)}")
        return 1
    for name in fixtures:
        got = run_check(nfp, here, name)
        want = open(os.path.join(here, name[:-len(".config")] + ".expected"),
                    encoding="utf-8").read().splitlines()
        if got != want:
            failures += 1
            print(f"FAIL {name}\n--- expected\n" + "\n".join(want) + "\n--- got\n" + "\n".join(got))
        else:
            print(f"ok   {name} ({len(got)} findings)")

    shared = os.environ.get("NFP_SHARED", "")
    tpl = os.path.join(shared, "corpus", "nf-core__tools", "nf_core", "pipeline-template")
    if not os.path.isdir(tpl):
        print("corpus absent: nf-core pipeline template check skipped")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            files = list(render_template(tpl, tmp))
            if "nextflow.config" not in files:
                print("template nextflow.config not rendered")
                return 1
            for rel in sorted(files):
                bad = [l for l in run_check(nfp, tmp, rel)
                       if l.endswith(("[unknown-option]", "[option-type]"))]
                if bad:
                    failures += 1
                    print(f"FAIL template {rel}: false positives\n" + "\n".join(bad))
                else:
                    print(f"ok   template {rel}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
