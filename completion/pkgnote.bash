# SPDX-License-Identifier: MIT
# Bash completion for pkgnote: subcommands, their options, and the values of options that take a
# fixed set (--format, --readonly, --endian, --coff-machine, --os-cpe, --type) or a file or directory.
# tests/e2e/completion-covers-help.sh fails when `pkgnote SUB --help` lists an option missing here.

_pkgnote()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local subcommands="generate read binfmt verify stamp ps"
    local sub= i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case " $subcommands " in
            *" ${COMP_WORDS[i]} "*) sub=${COMP_WORDS[i]}; break ;;
        esac
    done

    local opts words=
    # The metadata options that generate, verify and stamp share (addMetadataOptions in
    # tools/main.cpp), and their values.
    local metadata="--type --name --version --architecture --os-cpe --os --os-version --app-cpe
                    --debuginfod-url --set --rpm --root"
    case $sub in
        generate|verify|stamp)
            case $prev in
                --os-cpe) words="auto" ;;
                --type) words="rpm deb" ;;
                --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
                --name|--version|--architecture|--os|--os-version|--app-cpe|--debuginfod-url|--set|--rpm)
                    COMPREPLY=(); return ;;
            esac
            ;;
    esac
    case $sub in
        generate)
            opts="-h --help $metadata --format --readonly --endian --coff-machine -o --output"
            case $prev in
                --format) words="linker-script lld-script ld-flag specs json note coff" ;;
                --coff-machine) words="amd64 i386 arm64 armnt" ;;
                --readonly) words="yes no" ;;
                --endian) words="little big" ;;
                -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
            esac
            ;;
        read)
            opts="-h --help --json --format -r --recursive --follow-symlinks -j --jobs --deps --root --ref --platform
                  --exit-zero"
            case $prev in
                --format) words="text json cyclonedx" ;;
                -j|--jobs|--ref) COMPREPLY=(); return ;;
                --platform) COMPREPLY=($(compgen -W "linux/amd64 linux/arm64 linux/arm/v7 linux/386 linux/ppc64le linux/s390x linux/riscv64" -- "$cur")); return ;;
                --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
            esac
            ;;
        binfmt)
            opts="-h --help --json --which --root"
            case $prev in
                --which) COMPREPLY=($(compgen -f -- "$cur")); return ;;
                --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
            esac
            ;;
        verify)
            opts="-h --help --json --exit-zero -j --jobs --ignore $metadata"
            case $prev in
                -j|--jobs|--ignore) COMPREPLY=(); return ;;
            esac
            ;;
        stamp)
            opts="-h --help $metadata --json --if-unstamped --allow-unsigning -r --recursive -o --output"
            case $prev in
                -o|--output) COMPREPLY=($(compgen -f -- "$cur")); return ;;
            esac
            ;;
        ps)
            opts="-h --help --json --format --stale"
            case $prev in
                --format) words="text json cyclonedx" ;;
            esac
            if [[ $cur != -* && -z $words ]]; then
                COMPREPLY=($(compgen -W "$(cd /proc && printf '%s ' [0-9]*)" -- "$cur"))
                return
            fi
            ;;
        *)
            opts="-h --help --version"
            words=$subcommands
            ;;
    esac

    if [[ -n $words && $cur != -* ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ -n $sub ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o filenames -F _pkgnote pkgnote
