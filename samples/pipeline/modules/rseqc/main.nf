process RSEQC_INFER {
    label 'process_low'
    if (workflow.containerEngine == 'singularity' && !params.singularity_pull_docker_container) {
        container "https://depot.galaxyproject.org/singularity/rseqc:5.0.3--py39hf95cd2a_0"
    } else {
        container "quay.io/biocontainers/rseqc:5.0.3--py39hf95cd2a_0"
    }

    input:
    path bam

    script:
    """
    infer_experiment.py -i $bam
    """
}
