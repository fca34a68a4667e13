# bash completion for nf-preflight
_nf_preflight()
{
    local cur prev cmds opts
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmds="check fix config images parse rules explain lsp prerun"
    opts="-profile --profile -c --config --launch --launch-config --params-file --param --env
          --clean-env --trust-env --syntax --remote-includes --allow-outside-includes --credentials --platform --docker-config
          --auth-file --online --insecure --format --color -o --output --stdin-filename
          --fail-on --wave-policy --exit-zero --settings --no-settings -v --verbose --write --diff --force
          --tokens --tree --select --ignore --statistics -q --quiet --pipeline --report --strict --allow-local-repository
          -with-docker -without-docker -with-podman -with-singularity -with-apptainer
          -with-charliecloud -with-conda -with-wave -with-fusion -with-tower
          --schema-version --version --help --"
    case "$prev" in
        --format) COMPREPLY=($(compgen -W "text gcc json sarif github markdown flat canonical" -- "$cur")); return ;;
        --select|--ignore)
            COMPREPLY=($(compgen -W "ALL $(nf-preflight rules 2>/dev/null | awk 'NR>1{print $1, $2}')" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --fail-on) COMPREPLY=($(compgen -W "error warning info" -- "$cur")); return ;;
        --wave-policy) COMPREPLY=($(compgen -W "required recommended off" -- "$cur")); return ;;
        --syntax) COMPREPLY=($(compgen -W "v1 v2" -- "$cur")); return ;;
        --pipeline) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        explain) COMPREPLY=($(compgen -W "$(nf-preflight rules 2>/dev/null | awk 'NR>1{print $2}')" -- "$cur")); return ;;
        -c|--config|--launch|--launch-config|--params-file|--credentials|--settings|-o|--output|--report)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "$cmds $opts" -- "$cur"))
    elif [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _nf_preflight nf-preflight
