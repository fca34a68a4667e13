process CUSTOM_TOOL {
    container { task.ext.image ?: 'Example.org/Custom/Tool:latest' }

    script:
    """
    custom-tool
    """
}
