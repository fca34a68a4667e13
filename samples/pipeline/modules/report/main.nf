process REPORT {
    label 'report'
    container "docker.io/example/report:${params.tools_tag}"

    script:
    """
    make-report
    """
}
