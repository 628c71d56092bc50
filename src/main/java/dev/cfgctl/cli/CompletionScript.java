package dev.cfgctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The bash and zsh completion scripts, made from the command model: a table of each command's
 * subcommands and options and of the values its options and operands take, and one function, the
 * same in both shells, that walks the words typed so far. Subcommands, options and fixed values
 * complete without starting a JVM; context names, refs and tenants come from {@code cfgctl
 * __complete} (see {@link CompleteCommand}). The values are the option's {@link Candidates}; an
 * option or operand without any completes file names when its label names a file, else nothing.
 */
public final class CompletionScript {
  private static final Pattern FILE_LABEL =
      Pattern.compile(".*\\b(FILE|DIR|DOC|PATCH|SCHEMA|STORE)\\b.*");

  private CompletionScript() {}

  /** The script for bash: {@code source} it, or put it in bash-completion's directory. */
  public static String bash(CommandSpec root) {
    return "# bash completion for cfgctl: source <(cfgctl completion bash)\n"
        + core(root)
        + """

            _cfgctl() {
              local cur=${COMP_WORDS[COMP_CWORD]} line=() w i
              # bash splits --opt=value at the =; drop it, so the value follows its option
              for ((i = 1; i < COMP_CWORD; i++)); do
                [[ ${COMP_WORDS[i]} == = ]] || line+=("${COMP_WORDS[i]}")
              done
              [[ $cur == = ]] && cur=
              COMPREPLY=()
              local found; found=$(__cfgctl_complete "${COMP_WORDS[0]}" "$cur" "${line[@]}")
              local IFS=$'\\n'
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
            """;
  }

  /** The script for zsh: {@code _cfgctl} in a directory on {@code $fpath}, or {@code source} it. */
  public static String zsh(CommandSpec root) {
    return "#compdef cfgctl\n# zsh completion for cfgctl: source <(cfgctl completion zsh), or put it on $fpath\n"
        + core(root)
        + """

            _cfgctl() {
              local w cur=${words[CURRENT]}
              local -a found
              [[ $cur == -*=* ]] && compset -P '*='
              for w in ${(f)"$(__cfgctl_complete "${words[1]}" "$cur" "${(@)words[2,CURRENT-1]}")"}; do
                if [[ $w == :files ]]; then _files; else found+=("$w"); fi
              done
              compadd -- "${found[@]}"
            }
            # autoloaded from $fpath, this file is the body of _cfgctl; sourced, it registers it
            if [ "${funcstack[1]}" = _cfgctl ]; then _cfgctl "$@"; else compdef _cfgctl cfgctl; fi
            """;
  }

  /** The tables and the function that walks the words: plain sh, which bash and zsh both run. */
  private static String core(CommandSpec root) {
    StringBuilder words = new StringBuilder();
    StringBuilder values = new StringBuilder();
    table(root, words, values);
    return """
        # Generated from cfgctl's command model (scripts/gen-docs): change the commands, not this file.

        # __cfgctl_words CMD: the subcommands and options of CMD; an option that takes a value ends in =
        __cfgctl_words() {
          case $1 in
        """
        + words
        + """
          esac
        }

        # __cfgctl_values CMD OPTION, or CMD #N for operand N (from 0): the values it takes, the fixed
        # ones as they are; :files for file names, :contexts, :refs, :tenants for what cfgctl looks up
        __cfgctl_values() {
          case "$1 $2" in
        """
        + values
        + """
          esac
        }

        # __cfgctl_complete PROG CUR WORD...: the candidates for CUR after the WORDs typed before it
        __cfgctl_complete() {
          local prog=$1 cur=$2 cmd=cfgctl opt= n=0 w at
          shift 2
          for w in "$@"; do
            if [ -n "$opt" ]; then opt=; continue; fi
            case $w in
              --) printf '%s\\n' :files; return ;;
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
                for w in $(__cfgctl_words "$cmd"); do case $w in -*) printf '%s\\n' "${w%=}" ;; esac; done
                return ;;
            esac
          fi
          at=$opt
          if [ -z "$at" ]; then
            at="#$n"
            for w in $(__cfgctl_words "$cmd"); do case $w in -*) ;; *) printf '%s\\n' "$w" ;; esac; done
          fi
          for w in $(__cfgctl_values "$cmd" "$at"); do
            case $w in
              :contexts|:refs|:tenants) __cfgctl_lookup "$prog" "${w#:}" "$@" "$cur" ;;
              *) printf '%s\\n' "$w" ;;
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
        """;
  }

  private static void table(CommandSpec cmd, StringBuilder words, StringBuilder values) {
    String path = cmd.qualifiedName(" ");
    List<String> all = new ArrayList<>(visibleSubcommands(cmd));
    for (OptionSpec o : cmd.options()) {
      if (o.hidden()) continue;
      for (String name : o.names()) all.add(o.arity().max() > 0 ? name + "=" : name);
      String v = values(o, o.paramLabel());
      if (!v.isEmpty()) {
        List<String> cases = new ArrayList<>();
        for (String name : o.names()) cases.add(quote(path + " " + name));
        printfCase(values, String.join("|", cases), v);
      }
    }
    printfCase(words, quote(path), quote(String.join(" ", all)));

    for (PositionalParamSpec p : cmd.positionalParameters()) {
      if (p.hidden()) continue;
      String v =
          cmd.helpCommand()
              ? quote(String.join(" ", visibleSubcommands(cmd.parent())))
              : values(p, p.paramLabel());
      if (v.isEmpty()) continue;
      List<String> cases = new ArrayList<>();
      if (p.index().min() == 0 && p.index().max() == Integer.MAX_VALUE) {
        cases.add(quote(path + " #") + "*");
      } else { // operands past the tenth are left to the shell
        for (int i = p.index().min(); i <= Math.min(p.index().max(), 9); i++)
          cases.add(quote(path + " #" + i));
      }
      printfCase(values, String.join("|", cases), v);
    }
    for (CommandLine sub : cmd.subcommands().values()) {
      if (!sub.getCommandSpec().usageMessage().hidden()) table(sub.getCommandSpec(), words, values);
    }
  }

  /** The names of the commands under {@code cmd} that help lists. */
  private static List<String> visibleSubcommands(CommandSpec cmd) {
    List<String> names = new ArrayList<>();
    cmd.subcommands()
        .forEach(
            (name, sub) -> {
              if (!sub.getCommandSpec().usageMessage().hidden()) names.add(name);
            });
    return names;
  }

  /**
   * A case of a shell {@code case} statement that prints {@code words}: {@code patterns) printf}.
   */
  private static void printfCase(StringBuilder out, String patterns, String words) {
    out.append("    ").append(patterns).append(") printf '%s\\n' ").append(words).append(" ;;\n");
  }

  /** The words of __cfgctl_values for an option or operand, or "" when it completes to nothing. */
  private static String values(ArgSpec arg, String label) {
    if (arg.arity().max() == 0) return "";
    List<String> words = new ArrayList<>();
    Candidates.Lookup lookup;
    if (arg.completionCandidates() instanceof Candidates c) {
      words.addAll(c.words);
      lookup = c.lookup;
    } else {
      lookup =
          FILE_LABEL.matcher(label).matches() ? Candidates.Lookup.FILES : Candidates.Lookup.NONE;
    }
    if (lookup != Candidates.Lookup.NONE) words.add(":" + lookup.name().toLowerCase(Locale.ROOT));
    return words.isEmpty() ? "" : quote(String.join(" ", words));
  }

  private static String quote(String s) {
    if (s.contains("'")) throw new IllegalArgumentException("a quote in a completion word: " + s);
    return "'" + s + "'";
  }
}
