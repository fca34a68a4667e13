process REPORT {
    label 'process_single'
    container "docker.io/example/report:${params.tools_tag}"

    script:
    """
    make-report
    """
}
