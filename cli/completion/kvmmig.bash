# kvmmig.bash: bash completion of the kvmmig command: its commands (and a
# group's subcommands), each command's options, the values of --policy and
# --comp-methods, and the names of the running guests of the source host
# where a command takes a guest (migrate, check, migrate-setspeed,
# migrate-setmaxdowntime). Installed as `kvmmig` in
# bash-completion's completions directory (cli/meson.build).
#
# It lists nothing itself: it asks the command (the kvmmig being completed,
# ${COMP_WORDS[0]}) through the hidden `kvmmig __complete`, which takes the
# commands and options from the same table as --help, and lists a host's
# guests without prompting (an SSH URI gets libvirt's no_tty) within a few
# seconds. The source host is -c URI (before the command), --from URI, or
# libvirt's default URI.
#
# SPDX-License-Identifier: LGPL-2.1-or-later

# The words of the line as typed: bash splits "test:///default" at ':'
# (COMP_WORDBREAKS) into "test" ":" "///default", and "--from=URI" at '=':
# such pieces are joined again. Sets _kvmmig_words and _kvmmig_cword.
_kvmmig_join_words()
{
    local i
    _kvmmig_words=()
    _kvmmig_cword=0
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        if ((i > 1)) && [[ ${COMP_WORDS[i]} == [:=] || ${COMP_WORDS[i-1]} == [:=] ]]; then
            _kvmmig_words[-1]+=${COMP_WORDS[i]}
        else
            _kvmmig_words+=("${COMP_WORDS[i]}")
        fi
        ((i == COMP_CWORD)) && _kvmmig_cword=$((${#_kvmmig_words[@]} - 1))
    done
}

_kvmmig()
{
    local kvmmig=${COMP_WORDS[0]/#\~/$HOME}
    local -a words command guests=(__complete guests)
    local cword cur prev i word source="" options group
    local named_guest=0 positional=0

    _kvmmig_join_words
    words=("${_kvmmig_words[@]}")
    cword=$_kvmmig_cword
    cur=${words[cword]}
    prev=""
    ((cword > 0)) && prev=${words[cword-1]}
    COMPREPLY=()

    # The global options (-c URI), then the command's words.
    i=1
    while ((i < cword)); do
        case ${words[i]} in
            -c | --connect) source=${words[i+1]}; ((i += 2)) ;;
            --connect=*) source=${words[i]#--connect=}; ((i++)) ;;
            -c?*) source=${words[i]#-c}; ((i++)) ;;
            *) break ;;
        esac
    done
    if ((i == cword)); then
        if [[ $prev != -c && $prev != --connect ]]; then
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "-c --connect --help --version" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$("$kvmmig" __complete commands 2>/dev/null </dev/null)" \
                                        -- "$cur"))
            fi
        fi
        return 0
    fi

    command=("${words[i]}")
    ((i++))
    if [[ ${command[0]} == help ]]; then
        COMPREPLY=($(compgen -W "$("$kvmmig" __complete commands 2>/dev/null </dev/null)" \
                                -- "$cur"))
        return 0
    fi
    # A group's subcommand (store attach, volume list).
    group=$("$kvmmig" __complete commands "${command[0]}" 2>/dev/null </dev/null)
    if [[ -n $group ]]; then
        if ((i == cword)); then
            COMPREPLY=($(compgen -W "$group" -- "$cur"))
            return 0
        fi
        command+=("${words[i]}")
        ((i++))
    fi

    # Its options, one a line: "--NAME" or "--NAME ARG" (and "-N ARG").
    options=$("$kvmmig" __complete options "${command[@]}" 2>/dev/null </dev/null) || return 0

    case $prev in
        --policy) COMPREPLY=($(compgen -W "auto precopy postcopy" -- "$cur")); return 0 ;;
        --comp-methods) COMPREPLY=($(compgen -W "xbzrle zstd" -- "$cur")); return 0 ;;
        --domain) ;;
        -*) grep -qx -e "$prev .*" <<<"$options" && return 0 ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(sed -n 's/^\(--[^ ]*\).*/\1/p' <<<"$options")" -- "$cur"))
        return 0
    fi

    # migrate, check, migrate-setspeed, migrate-setmaxdowntime: the first
    # argument is the guest (or --domain's value); its names come from the
    # source host: -c, --from, or libvirt's default URI.
    case ${command[0]} in
        migrate | check | migrate-setspeed | migrate-setmaxdowntime) ;;
        *) return 0 ;;
    esac
    while ((i < cword)); do
        word=${words[i]}
        case $word in
            --from | -f) source=${words[i+1]}; ((i++)) ;;
            --from=*) source=${word#--from=} ;;
            --domain) named_guest=1; ((i++)) ;;
            --*=*) ;;
            -*) grep -qx -e "$word .*" <<<"$options" && ((i++)) ;;
            *) ((positional++)) ;;
        esac
        ((i++))
    done
    if [[ $prev == --domain ]] || ((!named_guest && positional == 0)); then
        [[ -n $source ]] && guests+=("$source")
        COMPREPLY=($(compgen -W "$("$kvmmig" "${guests[@]}" 2>/dev/null </dev/null)" \
                                -- "$cur"))
    fi
    return 0
}

complete -F _kvmmig kvmmig
