process P {
    container
    script:
    "true"
}
