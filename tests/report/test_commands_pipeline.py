"""Every command runs the one check pipeline (issue 12): inline suppressions,
.nf-preflight.yml settings, --fail-on and --exit-zero mean the same for
`check`, `images`, `config` and `fix`, and a suppression that only some
commands can judge is not called unused by the others."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testlib import Checks, write_file  # noqa: E402

NFP = os.environ["NFP"]
check = Checks()


def run(args, cwd=None):
    p = subprocess.run([NFP] + args, capture_output=True, text=True, cwd=cwd,
                       env=dict(os.environ, NO_COLOR="1", TOWER_ACCESS_TOKEN="", NXF_SYNTAX_PARSER=""))
    return p.returncode, p.stdout, p.stderr


with tempfile.TemporaryDirectory() as d:
    def write(name, text):
        return write_file(d, name, text)

    image = "process.container = 'Quay.io/Biocontainers/FastQC'\n"
    bad = write("bad.config", "wave.enabled = true\n" + image)
    quiet = write("quiet.config", "wave.enabled = true\n"
                  "// nf-preflight: ignore[invalid-image-reference] upper case kept on purpose\n" + image)

    # the same suppressed finding: every command passes, and says nothing of it
    for cmd in ("check", "images", "config"):
        rc, out, err = run([cmd, "--no-settings", quiet])
        check(rc == 0, "%s: a suppressed finding still fails (exit %d)" % (cmd, rc))
        check("invalid-image-reference" not in err + out, "%s: the suppressed finding is shown: %s" % (cmd, err))
        check("unused-suppression" not in err + out, "%s: a used suppression is called unused: %s" % (cmd, err))
        rc, _, _ = run([cmd, "--no-settings", "--exit-zero", quiet])
        check(rc == 0, "%s --exit-zero: exit %d" % (cmd, rc))

    # unsuppressed: an error for check and images, and --exit-zero means exit 0 for both
    for cmd in ("check", "images"):
        rc, out, err = run([cmd, "--no-settings", "--format", "text" if cmd == "images" else "gcc", bad])
        check(rc == 1 and "invalid-image-reference" in out + err, "%s: the invalid image passes (exit %d)" % (cmd, rc))
        rc, _, _ = run([cmd, "--no-settings", "--exit-zero", bad])
        check(rc == 0, "%s --exit-zero still fails (exit %d)" % (cmd, rc))

    # a settings file that lowers the rule: every command agrees, and --fail-on raises it again
    settings = write("lower.yml", "rules: {invalid-image-reference: warning}\n")
    for cmd in ("check", "images"):
        rc, _, err = run([cmd, "--settings", settings, bad])
        check(rc == 0, "%s: settings severity ignored (exit %d) %s" % (cmd, rc, err))
        rc, _, _ = run([cmd, "--settings", settings, "--fail-on", "warning", bad])
        check(rc == 1, "%s: --fail-on warning ignored (exit %d)" % (cmd, rc))
    off = write("off.yml", "ignore: [invalid-image-reference]\n")
    rc, _, err = run(["images", "--settings", off, bad])
    check(rc == 0 and "invalid-image-reference" not in err, "images: ignore: in settings not applied: %d %s" % (rc, err))

    # a suppression for a rule that `images` or `config` never run is not unused there
    wave_off = write("waveoff.config", "// nf-preflight: file-ignore[wave-not-enabled] Wave comes from the launch\n"
                     "process.cpus = 2\n")
    for cmd in ("images", "config"):
        rc, out, err = run([cmd, "--no-settings", wave_off])
        check(rc == 0 and "unused-suppression" not in err, "%s: reports a suppression it cannot judge: %s" % (cmd, err))
    rc, out, err = run(["check", "--no-settings", "--format", "gcc", wave_off])
    check(rc == 0 and "unused-suppression" not in out and "wave-not-enabled" not in out,
          "check: the wave suppression: %s" % out)

    # config: resolver errors obey --exit-zero like check's
    broken = write("broken.config", "process {\n")
    rc, _, err = run(["config", "--no-settings", broken])
    check(rc == 1 and "syntax-error" in err, "config: a syntax error passes: %d %s" % (rc, err))
    rc, _, _ = run(["config", "--no-settings", "--exit-zero", broken])
    check(rc == 0, "config --exit-zero: exit %d" % rc)

check.finish()
