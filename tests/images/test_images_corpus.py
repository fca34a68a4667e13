"""`nf-preflight images <pipeline> --format json` on real pipelines of the
shared corpus (skipped when it is absent): the images their modules and
configs name are all found, with the right hosts.

Counts, computed once on the corpus snapshot (grep of the .nf files) and
asserted as ranges so a refreshed snapshot does not break the test for
nothing:
  nf-core/rnaseq  76 `container` directives in .nf files: 75 nf-core
                  ternaries (2 candidates each: the singularity download and
                  the registry image) + 1 plain parabricks image = 151; the
                  config adds 3 withName closures (ternaries, 2 each) = 6.
  nf-core/sarek   124 directives: 120 ternaries + 4 plain = 244; no config images.
  epi2me-labs/wf-template: no directive in .nf files; 2 withLabel selectors in
                  nextflow.config (GStrings over params.wf.common_sha).
The test also recounts the directives itself and checks the identity
script images == 2 * ternaries + plain directives, which holds for any snapshot."""
import collections
import json
import os
import re
import subprocess
import sys

nfp, shared = os.environ.get("NFP"), os.environ.get("NFP_SHARED")
corpus = os.path.join(shared or "", "corpus")
if not nfp or not shared or not os.path.isdir(corpus):
    print("skip: the shared corpus is not available")
    sys.exit(77)

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def images(name, *extra):
    path = os.path.join(corpus, name)
    if not os.path.isdir(path):
        return None
    p = subprocess.run([nfp, "images", path, "--format", "json", *extra], capture_output=True, text=True,
                       timeout=300)
    check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr[-500:]}")
    return json.loads(p.stdout)


DIRECTIVE = re.compile(r"^\s*container\b(?!\s*=)", re.M)


def recount(name):
    """(ternary directives, plain directives) in the pipeline's .nf files."""
    tern = plain = 0
    for root, dirs, files in os.walk(os.path.join(corpus, name)):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "work"]
        for f in files:
            if not f.endswith(".nf"):
                continue
            text = open(os.path.join(root, f), encoding="utf-8", errors="replace").read()
            for m in DIRECTIVE.finditer(text):
                line = text[m.end():m.end() + 300]
                if "containerEngine" in line.split("\n", 1)[0]:
                    tern += 1
                else:
                    plain += 1
    return tern, plain


seen = 0
for name, lo, hi, cfg_lo, cfg_hi in (("nf-core__rnaseq", 140, 170, 4, 10), ("nf-core__sarek", 220, 270, 0, 2)):
    inv = images(name)
    if inv is None:
        continue
    seen += 1
    imgs = inv["images"]
    script = [i for i in imgs if i["origin"] == "script"]
    config = [i for i in imgs if i["origin"] == "config"]
    check(lo <= len(script) <= hi, f"{name}: {len(script)} script images, expected {lo}..{hi}")
    check(cfg_lo <= len(config) <= cfg_hi, f"{name}: {len(config)} config images")
    tern, plain = recount(name)
    check(len(script) == 2 * tern + plain, f"{name}: {len(script)} != 2*{tern} + {plain}")
    check(not any(i["dynamic"] for i in imgs), f"{name}: unexpected dynamic images")
    check(inv["engine"] == "docker", f"{name}: engine {inv['engine']}")
    hosts = collections.Counter(i["host"] for i in imgs if i["active"])
    # nf-core: Seqera containers and quay.io (docker.registry prefixes short biocontainers names)
    for h in ("community.wave.seqera.io", "quay.io", "nvcr.io"):
        check(hosts.get(h, 0) > 0, f"{name}: no image on {h}: {hosts}")
    short = [i for i in imgs if i["image"].startswith("biocontainers/")]
    check(short and all(i["resolved"] == "quay.io/" + i["image"] for i in short),
          f"{name}: docker.registry not applied to biocontainers/ names")
    downloads = collections.Counter(i["host"] for i in imgs if i["kind"] == "download")
    check(downloads.get("community-cr-prod.seqera.io", 0) > 0, f"{name}: downloads {downloads}")
    check(all(i["engines"] == ["singularity"] or i["engines"] == ["singularity", "apptainer"]
              for i in imgs if i["kind"] == "download"), f"{name}: download engines")
    check(all(i.get("process") and i["line"] and i["path"].endswith(".nf") for i in script),
          f"{name}: script images without process or position")

rn = images("nf-core__rnaseq")
if rn:
    sel = [i for i in rn["images"] if i["origin"] == "config"]
    check(any(i.get("selector") == "withName:STAR_GENOMEGENERATE_IGENOMES" for i in sel),
          "rnaseq: withName closure not listed")
sk = images("nf-core__sarek")
if sk:
    dv = [i for i in sk["images"] if i["image"].startswith("docker.io/google/deepvariant")]
    check(dv and dv[0]["host"] == "docker.io" and dv[0]["host_class"] == "dockerhub", f"sarek deepvariant {dv}")

epi = images("epi2me-labs__wf-template")
if epi:
    seen += 1
    imgs = epi["images"]
    check(len(imgs) == 2, f"epi2me: {len(imgs)} images")
    check(all(i["host"] == "docker.io" and i["image"].startswith("ontresearch/wf-common:sha")
              and not i["dynamic"] and i["selector"].startswith("withLabel:") for i in imgs), f"epi2me: {imgs}")
    check(epi["engine"] == "docker" and epi["engine_enabled"], "epi2me: docker.enabled")

if not seen:
    print("skip: none of the corpus pipelines is present")
    sys.exit(77)
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
