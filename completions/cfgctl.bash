# bash completion for cfgctl: source <(cfgctl completion bash)
# Generated from cfgctl's command model (scripts/gen-docs): change the commands, not this file.

# __cfgctl_words CMD: the subcommands and options of CMD; an option that takes a value ends in =
__cfgctl_words() {
  case $1 in
    'cfgctl') printf '%s\n' 'diff patch validate get save delete list history show watch who undo redo rollback migrate lock token context store serve completion help --context= -h --help -V --version' ;;
    'cfgctl diff') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --max-depth= -c= --config= --server= --token-file= --ca-file= --tenant= --store= --context= --format= --array-key= --ignore= --with-tests --no-moves -h --help -V --version' ;;
    'cfgctl patch') printf '%s\n' '--pretty --compact -v --verbose --max-depth= -c= --config= --expect-version= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --rebase -o= --output= --output-file= -i --in-place --dry-run --format= --schema= -h --help -V --version' ;;
    'cfgctl validate') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --max-depth= --schema= -h --help -V --version' ;;
    'cfgctl get') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --pointer= --at= -h --help -V --version' ;;
    'cfgctl save') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --rebase --max-depth= --expect-version= --create --force -h --help -V --version' ;;
    'cfgctl delete') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --expect-version= -h --help -V --version' ;;
    'cfgctl list') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --prefix= -h --help -V --version' ;;
    'cfgctl history') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --limit= --before= --author= --since= --until= -h --help -V --version' ;;
    'cfgctl show') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -h --help -V --version' ;;
    'cfgctl watch') printf '%s\n' '--pretty --compact -v --verbose --server= --token-file= --ca-file= --tenant= --store= --context= -o= --output= --since= --pointer= --exit-on= -h --help -V --version' ;;
    'cfgctl who') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -h --help -V --version' ;;
    'cfgctl undo') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --steps= --expect-version= --any -h --help -V --version' ;;
    'cfgctl redo') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --steps= --expect-version= -h --help -V --version' ;;
    'cfgctl rollback') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --to= --expect-version= -h --help -V --version' ;;
    'cfgctl migrate') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -m= --message= --lock-id= --rebase --max-depth= --match= --dry-run --report= --concurrency= -h --help -V --version' ;;
    'cfgctl lock') printf '%s\n' 'acquire extend release status list exec -h --help -V --version' ;;
    'cfgctl lock acquire') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --ttl= --note= --client= --take-over --reason= --wait= -h --help -V --version' ;;
    'cfgctl lock extend') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --lock-id= --ttl= -h --help -V --version' ;;
    'cfgctl lock release') printf '%s\n' '--pretty --compact -v --verbose --server= --token-file= --ca-file= --tenant= --store= --context= --lock-id= --force --reason= -h --help -V --version' ;;
    'cfgctl lock status') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -h --help -V --version' ;;
    'cfgctl lock list') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --stale= -h --help -V --version' ;;
    'cfgctl lock exec') printf '%s\n' '--pretty --compact -v --verbose --server= --token-file= --ca-file= --tenant= --store= --context= --ttl= --note= --client= --take-over --reason= --wait= -h --help -V --version' ;;
    'cfgctl token') printf '%s\n' 'create list revoke -h --help -V --version' ;;
    'cfgctl token create') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= --user= --name= --role= --expires-in-days= --secret-file= --force -h --help -V --version' ;;
    'cfgctl token list') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --server= --token-file= --ca-file= --tenant= --store= --context= -h --help -V --version' ;;
    'cfgctl token revoke') printf '%s\n' '--server= --token-file= --ca-file= --tenant= --store= --context= -h --help -V --version' ;;
    'cfgctl context') printf '%s\n' 'set use list -h --help -V --version' ;;
    'cfgctl context set') printf '%s\n' '--server= --token-file= --ca-file= --tenant= --store= --use -h --help -V --version' ;;
    'cfgctl context use') printf '%s\n' '--none -h --help -V --version' ;;
    'cfgctl context list') printf '%s\n' '-o= --output= -h --help -V --version' ;;
    'cfgctl store') printf '%s\n' 'backup copy -h --help -V --version' ;;
    'cfgctl store backup') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --store= --force -h --help -V --version' ;;
    'cfgctl store copy') printf '%s\n' '--pretty --compact -v --verbose -o= --output= --from= --to= --tokens --overwrite --dry-run --concurrency= -h --help -V --version' ;;
    'cfgctl serve') printf '%s\n' '--listen= --db= --data-dir= --tls-cert= --tls-key= --max-body-bytes= --max-depth= --max-ops= --max-config-bytes= --max-work= --time-budget= --rate-limit= --write-rate-limit= --retention= --lock-ttl= --lock-ttl-min= --lock-ttl-max= -h --help -V --version' ;;
    'cfgctl completion') printf '%s\n' '-h --help -V --version' ;;
    'cfgctl help') printf '%s\n' '-h --help' ;;
  esac
}

# __cfgctl_values CMD OPTION, or CMD #N for operand N (from 0): the values it takes, the fixed
# ones as they are; :files for file names, :contexts, :refs, :tenants for what cfgctl looks up
__cfgctl_values() {
  case "$1 $2" in
    'cfgctl --context') printf '%s\n' ':contexts' ;;
    'cfgctl diff -o'|'cfgctl diff --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl diff -c'|'cfgctl diff --config') printf '%s\n' ':refs' ;;
    'cfgctl diff --token-file') printf '%s\n' ':files' ;;
    'cfgctl diff --ca-file') printf '%s\n' ':files' ;;
    'cfgctl diff --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl diff --store') printf '%s\n' ':files' ;;
    'cfgctl diff --context') printf '%s\n' ':contexts' ;;
    'cfgctl diff --format') printf '%s\n' 'json-patch merge-patch' ;;
    'cfgctl diff #'*) printf '%s\n' ':files' ;;
    'cfgctl patch -c'|'cfgctl patch --config') printf '%s\n' ':refs' ;;
    'cfgctl patch --token-file') printf '%s\n' ':files' ;;
    'cfgctl patch --ca-file') printf '%s\n' ':files' ;;
    'cfgctl patch --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl patch --store') printf '%s\n' ':files' ;;
    'cfgctl patch --context') printf '%s\n' ':contexts' ;;
    'cfgctl patch -o'|'cfgctl patch --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl patch --output-file') printf '%s\n' ':files' ;;
    'cfgctl patch --format') printf '%s\n' 'json-patch merge-patch' ;;
    'cfgctl patch --schema') printf '%s\n' ':files' ;;
    'cfgctl patch #'*) printf '%s\n' ':files' ;;
    'cfgctl validate -o'|'cfgctl validate --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl validate --schema') printf '%s\n' ':files' ;;
    'cfgctl validate #'*) printf '%s\n' ':files' ;;
    'cfgctl get -o'|'cfgctl get --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl get --token-file') printf '%s\n' ':files' ;;
    'cfgctl get --ca-file') printf '%s\n' ':files' ;;
    'cfgctl get --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl get --store') printf '%s\n' ':files' ;;
    'cfgctl get --context') printf '%s\n' ':contexts' ;;
    'cfgctl get #0') printf '%s\n' ':refs' ;;
    'cfgctl save -o'|'cfgctl save --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl save --token-file') printf '%s\n' ':files' ;;
    'cfgctl save --ca-file') printf '%s\n' ':files' ;;
    'cfgctl save --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl save --store') printf '%s\n' ':files' ;;
    'cfgctl save --context') printf '%s\n' ':contexts' ;;
    'cfgctl save #0') printf '%s\n' ':refs' ;;
    'cfgctl save #1') printf '%s\n' ':files' ;;
    'cfgctl delete -o'|'cfgctl delete --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl delete --token-file') printf '%s\n' ':files' ;;
    'cfgctl delete --ca-file') printf '%s\n' ':files' ;;
    'cfgctl delete --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl delete --store') printf '%s\n' ':files' ;;
    'cfgctl delete --context') printf '%s\n' ':contexts' ;;
    'cfgctl delete #0') printf '%s\n' ':refs' ;;
    'cfgctl list -o'|'cfgctl list --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl list --token-file') printf '%s\n' ':files' ;;
    'cfgctl list --ca-file') printf '%s\n' ':files' ;;
    'cfgctl list --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl list --store') printf '%s\n' ':files' ;;
    'cfgctl list --context') printf '%s\n' ':contexts' ;;
    'cfgctl history -o'|'cfgctl history --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl history --token-file') printf '%s\n' ':files' ;;
    'cfgctl history --ca-file') printf '%s\n' ':files' ;;
    'cfgctl history --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl history --store') printf '%s\n' ':files' ;;
    'cfgctl history --context') printf '%s\n' ':contexts' ;;
    'cfgctl history #0') printf '%s\n' ':refs' ;;
    'cfgctl show -o'|'cfgctl show --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl show --token-file') printf '%s\n' ':files' ;;
    'cfgctl show --ca-file') printf '%s\n' ':files' ;;
    'cfgctl show --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl show --store') printf '%s\n' ':files' ;;
    'cfgctl show --context') printf '%s\n' ':contexts' ;;
    'cfgctl watch --token-file') printf '%s\n' ':files' ;;
    'cfgctl watch --ca-file') printf '%s\n' ':files' ;;
    'cfgctl watch --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl watch --store') printf '%s\n' ':files' ;;
    'cfgctl watch --context') printf '%s\n' ':contexts' ;;
    'cfgctl watch -o'|'cfgctl watch --output') printf '%s\n' 'text jsonl' ;;
    'cfgctl watch --exit-on') printf '%s\n' 'revision deleted undeleted snapshot held acquired extended released expired taken-over force-released' ;;
    'cfgctl watch #0') printf '%s\n' ':refs' ;;
    'cfgctl who -o'|'cfgctl who --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl who --token-file') printf '%s\n' ':files' ;;
    'cfgctl who --ca-file') printf '%s\n' ':files' ;;
    'cfgctl who --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl who --store') printf '%s\n' ':files' ;;
    'cfgctl who --context') printf '%s\n' ':contexts' ;;
    'cfgctl who #0') printf '%s\n' ':refs' ;;
    'cfgctl undo -o'|'cfgctl undo --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl undo --token-file') printf '%s\n' ':files' ;;
    'cfgctl undo --ca-file') printf '%s\n' ':files' ;;
    'cfgctl undo --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl undo --store') printf '%s\n' ':files' ;;
    'cfgctl undo --context') printf '%s\n' ':contexts' ;;
    'cfgctl undo #0') printf '%s\n' ':refs' ;;
    'cfgctl redo -o'|'cfgctl redo --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl redo --token-file') printf '%s\n' ':files' ;;
    'cfgctl redo --ca-file') printf '%s\n' ':files' ;;
    'cfgctl redo --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl redo --store') printf '%s\n' ':files' ;;
    'cfgctl redo --context') printf '%s\n' ':contexts' ;;
    'cfgctl redo #0') printf '%s\n' ':refs' ;;
    'cfgctl rollback -o'|'cfgctl rollback --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl rollback --token-file') printf '%s\n' ':files' ;;
    'cfgctl rollback --ca-file') printf '%s\n' ':files' ;;
    'cfgctl rollback --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl rollback --store') printf '%s\n' ':files' ;;
    'cfgctl rollback --context') printf '%s\n' ':contexts' ;;
    'cfgctl rollback #0') printf '%s\n' ':refs' ;;
    'cfgctl migrate -o'|'cfgctl migrate --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl migrate --token-file') printf '%s\n' ':files' ;;
    'cfgctl migrate --ca-file') printf '%s\n' ':files' ;;
    'cfgctl migrate --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl migrate --store') printf '%s\n' ':files' ;;
    'cfgctl migrate --context') printf '%s\n' ':contexts' ;;
    'cfgctl migrate --report') printf '%s\n' ':files' ;;
    'cfgctl migrate #0') printf '%s\n' ':files' ;;
    'cfgctl lock acquire -o'|'cfgctl lock acquire --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl lock acquire --token-file') printf '%s\n' ':files' ;;
    'cfgctl lock acquire --ca-file') printf '%s\n' ':files' ;;
    'cfgctl lock acquire --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl lock acquire --store') printf '%s\n' ':files' ;;
    'cfgctl lock acquire --context') printf '%s\n' ':contexts' ;;
    'cfgctl lock acquire #0') printf '%s\n' ':refs' ;;
    'cfgctl lock extend -o'|'cfgctl lock extend --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl lock extend --token-file') printf '%s\n' ':files' ;;
    'cfgctl lock extend --ca-file') printf '%s\n' ':files' ;;
    'cfgctl lock extend --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl lock extend --store') printf '%s\n' ':files' ;;
    'cfgctl lock extend --context') printf '%s\n' ':contexts' ;;
    'cfgctl lock extend #0') printf '%s\n' ':refs' ;;
    'cfgctl lock release --token-file') printf '%s\n' ':files' ;;
    'cfgctl lock release --ca-file') printf '%s\n' ':files' ;;
    'cfgctl lock release --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl lock release --store') printf '%s\n' ':files' ;;
    'cfgctl lock release --context') printf '%s\n' ':contexts' ;;
    'cfgctl lock release #0') printf '%s\n' ':refs' ;;
    'cfgctl lock status -o'|'cfgctl lock status --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl lock status --token-file') printf '%s\n' ':files' ;;
    'cfgctl lock status --ca-file') printf '%s\n' ':files' ;;
    'cfgctl lock status --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl lock status --store') printf '%s\n' ':files' ;;
    'cfgctl lock status --context') printf '%s\n' ':contexts' ;;
    'cfgctl lock status #0') printf '%s\n' ':refs' ;;
    'cfgctl lock list -o'|'cfgctl lock list --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl lock list --token-file') printf '%s\n' ':files' ;;
    'cfgctl lock list --ca-file') printf '%s\n' ':files' ;;
    'cfgctl lock list --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl lock list --store') printf '%s\n' ':files' ;;
    'cfgctl lock list --context') printf '%s\n' ':contexts' ;;
    'cfgctl lock exec --token-file') printf '%s\n' ':files' ;;
    'cfgctl lock exec --ca-file') printf '%s\n' ':files' ;;
    'cfgctl lock exec --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl lock exec --store') printf '%s\n' ':files' ;;
    'cfgctl lock exec --context') printf '%s\n' ':contexts' ;;
    'cfgctl lock exec #0') printf '%s\n' ':refs' ;;
    'cfgctl token create -o'|'cfgctl token create --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl token create --token-file') printf '%s\n' ':files' ;;
    'cfgctl token create --ca-file') printf '%s\n' ':files' ;;
    'cfgctl token create --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl token create --store') printf '%s\n' ':files' ;;
    'cfgctl token create --context') printf '%s\n' ':contexts' ;;
    'cfgctl token create --role') printf '%s\n' 'viewer editor admin' ;;
    'cfgctl token create --secret-file') printf '%s\n' ':files' ;;
    'cfgctl token list -o'|'cfgctl token list --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl token list --token-file') printf '%s\n' ':files' ;;
    'cfgctl token list --ca-file') printf '%s\n' ':files' ;;
    'cfgctl token list --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl token list --store') printf '%s\n' ':files' ;;
    'cfgctl token list --context') printf '%s\n' ':contexts' ;;
    'cfgctl token revoke --token-file') printf '%s\n' ':files' ;;
    'cfgctl token revoke --ca-file') printf '%s\n' ':files' ;;
    'cfgctl token revoke --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl token revoke --store') printf '%s\n' ':files' ;;
    'cfgctl token revoke --context') printf '%s\n' ':contexts' ;;
    'cfgctl context set --token-file') printf '%s\n' ':files' ;;
    'cfgctl context set --ca-file') printf '%s\n' ':files' ;;
    'cfgctl context set --tenant') printf '%s\n' ':tenants' ;;
    'cfgctl context set --store') printf '%s\n' ':files' ;;
    'cfgctl context set #0') printf '%s\n' ':contexts' ;;
    'cfgctl context use #0') printf '%s\n' ':contexts' ;;
    'cfgctl context list -o'|'cfgctl context list --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl store backup -o'|'cfgctl store backup --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl store backup --store') printf '%s\n' ':files' ;;
    'cfgctl store backup #0') printf '%s\n' ':files' ;;
    'cfgctl store copy -o'|'cfgctl store copy --output') printf '%s\n' 'text json jsonl' ;;
    'cfgctl store copy --from') printf '%s\n' ':files' ;;
    'cfgctl store copy --to') printf '%s\n' ':files' ;;
    'cfgctl serve --data-dir') printf '%s\n' ':files' ;;
    'cfgctl serve --tls-cert') printf '%s\n' ':files' ;;
    'cfgctl serve --tls-key') printf '%s\n' ':files' ;;
    'cfgctl completion #0') printf '%s\n' 'bash zsh' ;;
    'cfgctl help #0') printf '%s\n' 'diff patch validate get save delete list history show watch who undo redo rollback migrate lock token context store serve completion help' ;;
  esac
}

# __cfgctl_complete PROG CUR WORD...: the candidates for CUR after the WORDs typed before it
__cfgctl_complete() {
  local prog=$1 cur=$2 cmd=cfgctl opt= n=0 w at
  shift 2
  for w in "$@"; do
    if [ -n "$opt" ]; then opt=; continue; fi
    case $w in
      --) printf '%s\n' :files; return ;;
      -) n=$((n + 1)) ;;
      -*=*) ;;
      -*) case " $(__cfgctl_words "$cmd") " in *" $w= "*) opt=$w ;; esac ;;
      *) case " $(__cfgctl_words "$cmd") " in
           *" $w "*) cmd="$cmd $w"; n=0 ;;
           *) n=$((n + 1)) ;;
         esac ;;
    esac
  done
  if [ -z "$opt" ]; then
    case $cur in
      -*=*) opt=${cur%%=*}; cur=${cur#*=} ;;
      -*)
        for w in $(__cfgctl_words "$cmd"); do case $w in -*) printf '%s\n' "${w%=}" ;; esac; done
        return ;;
    esac
  fi
  at=$opt
  if [ -z "$at" ]; then
    at="#$n"
    for w in $(__cfgctl_words "$cmd"); do case $w in -*) ;; *) printf '%s\n' "$w" ;; esac; done
  fi
  for w in $(__cfgctl_values "$cmd" "$at"); do
    case $w in
      :contexts|:refs|:tenants) __cfgctl_lookup "$prog" "${w#:}" "$@" "$cur" ;;
      *) printf '%s\n' "$w" ;;
    esac
  done
}

# __cfgctl_lookup PROG KIND WORD...: context names, refs or tenants from cfgctl; quick, silent
__cfgctl_lookup() {
  local prog=$1 kind=$2
  shift 2
  if command -v timeout >/dev/null 2>&1; then
    timeout 5 "$prog" __complete "$kind" -- "$@" 2>/dev/null
  else
    "$prog" __complete "$kind" -- "$@" 2>/dev/null
  fi
}

_cfgctl() {
  local cur=${COMP_WORDS[COMP_CWORD]} line=() w i
  # bash splits --opt=value at the =; drop it, so the value follows its option
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} == = ]] || line+=("${COMP_WORDS[i]}")
  done
  [[ $cur == = ]] && cur=
  COMPREPLY=()
  local found; found=$(__cfgctl_complete "${COMP_WORDS[0]}" "$cur" "${line[@]}")
  local IFS=$'\n'
  for w in $found; do
    if [[ $w == :files ]]; then
      compopt -o filenames 2>/dev/null
      COMPREPLY+=($(compgen -f -- "$cur"))
    elif [[ $w == "$cur"* ]]; then
      COMPREPLY+=("$w")
    fi
  done
}
complete -F _cfgctl cfgctl
