#!/usr/bin/env python3
"""Writes a syntactically valid Nextflow config of about SIZE_MB megabytes
(10^6 bytes) to stdout, built from the constructs real nf-core configs use:
params blocks, process selectors with closures and units, profiles, strings
with interpolation, comments, lists and maps. Deterministic: the same size
gives the same bytes.

usage: gen_config.py SIZE_MB > big.config
"""
import sys

CHUNK = '''// ---- module group {i} ----
params {{
    outdir_{i} = "${{params.outdir}}/group_{i}"
    skip_{i} = false
    genomes_{i} = ['GRCh38', 'GRCm39', "R64-1-1"]
    max_memory_{i} = '128.GB'
}}

process {{
    withName: 'NFCORE_SAREK:SAREK:TOOL_{i}' {{
        cpus   = {{ check_max( 6 * task.attempt, 'cpus' ) }}
        memory = {{ check_max( 36.GB * task.attempt, 'memory' ) }}
        time   = {{ 8.h * task.attempt }}
        ext.args = {{ [ "--threads ${{task.cpus}}", params.skip_{i} ? '' : '--verbose' ].join(' ').trim() }}
        container = "${{ workflow.containerEngine == 'singularity' ? 'https://depot.galaxyproject.org/singularity/tool_{i}:1.0--0' : 'quay.io/biocontainers/tool_{i}:1.0--0' }}"
        publishDir = [
            path: {{ "${{params.outdir}}/tool_{i}" }},
            mode: params.publish_dir_mode,
            saveAs: {{ filename -> filename.equals('versions.yml') ? null : filename }}
        ]
    }}
    withLabel: process_{i} {{
        errorStrategy = {{ task.exitStatus in [143, 137, 104, 134, 139] ? 'retry' : 'finish' }}
        maxRetries    = 1
    }}
}}

/* profile for group {i}: a block comment
   spanning lines */
profiles {{
    group_{i} {{
        docker.enabled = true
        wave.enabled = true
        env.TOOL_{i}_HOME = "/opt/tool_{i}"
    }}
}}

'''


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    target = int(float(sys.argv[1]) * 1_000_000)
    out = sys.stdout
    written = 0
    i = 0
    while written < target:
        chunk = CHUNK.format(i=i)
        out.write(chunk)
        written += len(chunk.encode())
        i += 1


if __name__ == '__main__':
    main()
