process CUSTOM_TOOL {
    container { task.ext.image ?: 'example.org/custom/tool:latest' }

    script:
    """
    custom-tool
    """
}

process CUSTOM_REPORT {
    container { task.ext.image ?: 'Example.org/Custom/Tool:latest' }

    script:
    """
    custom-report
    """
}
