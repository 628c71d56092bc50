package dev.cfgctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * A command's picocli model, written in code: its name, help text, options and operands, each
 * option bound to a field of the command object.
 *
 * <p>Why not picocli's annotations: reading {@code @Command}, {@code @Option}, ... at run time
 * makes the JDK generate a proxy class for each annotation type, which no start-up archive (AppCDS,
 * the JDK 25 AOT cache) can hold. That was most of the time picocli took to build the model of a
 * short command, on every run.
 *
 * <p>A command keeps its options as plain fields and its work in {@code call()}, and describes
 * itself in a static {@code model} method:
 *
 * <pre>{@code
 * static CommandSpec model(Io io) {
 *   CommandModel<DiffCommand> m = CommandModel.command("diff", DiffCommand.class, () -> new DiffCommand(io))
 *       .header("Show the changes between two JSON documents as a patch.")
 *       .examples("Save the patch between two versions", "cfgctl diff a.json b.json > change.json");
 *   CommonOptions.addTo(m.mixin(c -> c.common));
 *   m.operand("A", "The original document (- for stdin).", (c, v) -> c.a = v);
 *   m.flag("--with-tests", "Put a test op before each replace, remove and move.", (c, v) -> c.withTests = v);
 *   return m.spec();
 * }
 * }</pre>
 *
 * <p>The command object is made when its command line is parsed, not when the model is built, so
 * the model of the whole tree creates no store or HTTP client. Options keep the order they are
 * added in (the completion script lists them so; help and man pages sort them). Fields keep their
 * initial values until an option sets them. Anything not covered here: tune the picocli builder
 * that {@link #option} and its siblings return, or use {@link #spec()}. Not thread-safe (picocli's
 * model is not).
 *
 * @param <C> the class whose fields the options set: the command, or a mixin of options
 */
public final class CommandModel<C> {
  private final CommandSpec spec;
  private final Function<Object, C> target;
  private final Pending pending;

  private CommandModel(CommandSpec spec, Function<Object, C> target, Pending pending) {
    this.spec = spec;
    this.target = target;
    this.pending = pending;
  }

  /** A command named {@code name}, whose object {@code create} makes when it is first needed. */
  public static <C> CommandModel<C> command(String name, Class<C> type, Supplier<C> create) {
    return command(name, type, spec -> create.get());
  }

  /** The same, for a command that needs its own model (to print its usage, or the whole tree's). */
  public static <C> CommandModel<C> command(
      String name, Class<C> type, Function<CommandSpec, C> create) {
    LazyFactory<C> factory = new LazyFactory<>(type, create);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(type, factory).name(name);
    factory.spec = spec;
    return new CommandModel<>(spec, type::cast, new Pending());
  }

  /** The first line of the command's help, and its line in the list of commands. */
  public CommandModel<C> header(String header) {
    spec.usageMessage().header(header);
    return this;
  }

  /** The paragraph after the usage line. */
  public CommandModel<C> description(String... lines) {
    spec.usageMessage().description(lines);
    return this;
  }

  /** The "Examples:" section at the end of the help: pairs of a comment and a command line. */
  public CommandModel<C> examples(String... commentThenCommand) {
    if (commentThenCommand.length % 2 != 0) {
      throw new IllegalArgumentException("examples come in pairs: a comment, then a command line");
    }
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < commentThenCommand.length; i += 2) {
      if (i > 0) lines.add("");
      lines.add("  # " + commentThenCommand[i]);
      lines.add("  " + commentThenCommand[i + 1]);
    }
    spec.usageMessage().footerHeading("%nExamples:%n");
    return footer(lines.toArray(new String[0]));
  }

  /** Lines added to the end of the help. */
  public CommandModel<C> footer(String... lines) {
    List<String> all = new ArrayList<>(List.of(spec.usageMessage().footer()));
    all.addAll(List.of(lines));
    spec.usageMessage().footer(all.toArray(new String[0]));
    return this;
  }

  /**
   * A view of this command for the options a mixin class declares, which live in one of the
   * command's fields: {@code CommonOptions.addTo(m.mixin(c -> c.common))}.
   */
  public <M> CommandModel<M> mixin(Function<C, M> field) {
    return new CommandModel<>(spec, target.andThen(field), pending);
  }

  /** An option without a value ({@code names}: {@code "-v, --verbose"}); true when given. */
  public OptionSpec.Builder flag(String names, String description, BiConsumer<C, Boolean> field) {
    return option(names, boolean.class, null, description, field);
  }

  /** An option with a string value, written {@code --name VALUE} or {@code --name=VALUE}. */
  public OptionSpec.Builder option(
      String names, String paramLabel, String description, BiConsumer<C, String> field) {
    return option(names, String.class, paramLabel, description, field);
  }

  /**
   * An option with a value of another type (picocli converts it: int, enums, ... or a converter).
   */
  public <T> OptionSpec.Builder option(
      String names, Class<T> type, String paramLabel, String description, BiConsumer<C, T> field) {
    String[] all = names.split(", ");
    OptionSpec.Builder option = OptionSpec.builder(all).type(type).description(description);
    if (paramLabel != null) option.paramLabel(paramLabel);
    ITypeConverter<?> number = NotANumber.converter(type, all[all.length - 1], paramLabel);
    if (number != null) option.converters(number);
    return add(option, field);
  }

  /**
   * A parse error, with the sentence of a {@link NotANumber} in place of picocli's "Invalid value
   * for option '--x': 'abc' is not a long"; any other error as it is.
   */
  public static ParameterException plainMessage(ParameterException e) {
    if (!(e.getCause() instanceof NotANumber)) return e;
    return new ParameterException(
        e.getCommandLine(), e.getCause().getMessage(), e.getCause(), e.getArgSpec(), e.getValue());
  }

  /** A numeric option's value that is not a number: says what the option takes, in words. */
  static final class NotANumber extends TypeConversionException {
    NotANumber(String option, String noun, String value) {
      super(option + " takes " + noun + ", not '" + value + "'");
    }

    /** The converter of an option of a numeric {@code type}; null for any other type. */
    static ITypeConverter<?> converter(Class<?> type, String option, String label) {
      if (type == int.class || type == Integer.class)
        return v -> parse(v, Integer::valueOf, option, label, true);
      if (type == long.class || type == Long.class)
        return v -> parse(v, Long::valueOf, option, label, true);
      if (type == double.class || type == Double.class)
        return v -> parse(v, Double::valueOf, option, label, false);
      return null;
    }

    private static <N> N parse(
        String value, Function<String, N> parser, String option, String label, boolean whole) {
      try {
        return parser.apply(value);
      } catch (NumberFormatException e) {
        throw new NotANumber(option, noun(option, label, whole), value);
      }
    }

    private static String noun(String option, String label, boolean whole) {
      if (option.endsWith("version") || "VERSION".equals(label)) return "a version number";
      String number = whole ? "a whole number" : "a number";
      return "SECONDS".equals(label) ? number + " of seconds" : number;
    }
  }

  /** An option that may be given several times; the field gets the values in order. */
  public OptionSpec.Builder repeatable(
      String names, String paramLabel, String description, BiConsumer<C, List<String>> field) {
    return add(
        OptionSpec.builder(names.split(", "))
            .type(List.class)
            .auxiliaryTypes(String.class)
            .paramLabel(paramLabel)
            .description(description),
        field);
  }

  /** The next operand (positional parameter). */
  public PositionalParamSpec.Builder operand(
      String paramLabel, String description, BiConsumer<C, String> field) {
    String index = String.valueOf(pending.operands.size());
    return add(
        PositionalParamSpec.builder()
            .index(index)
            .arity("1")
            .type(String.class)
            .paramLabel(paramLabel)
            .description(description),
        field);
  }

  /** All the remaining operands, as a list (any number of them, unless {@code .arity("1..*")}). */
  public PositionalParamSpec.Builder operands(
      String paramLabel, String description, BiConsumer<C, List<String>> field) {
    return add(
        PositionalParamSpec.builder()
            .arity("0..*")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .paramLabel(paramLabel)
            .description(description),
        field);
  }

  /** The finished model: the options and operands added so far, with their bindings. */
  public CommandSpec spec() {
    for (OptionSpec.Builder option : pending.options) spec.addOption(option.build());
    for (PositionalParamSpec.Builder operand : pending.operands) {
      spec.addPositional(operand.required(operand.arity().min() > 0).build()); // as annotations do
    }
    pending.options.clear();
    pending.operands.clear();
    return spec;
  }

  /**
   * Adds -h/--help and -V/--version, as picocli's {@code mixinStandardHelpOptions} does (which
   * reads annotations of its own). Both mean the same on every command, so no command may take them
   * for anything else (a config's version is REF@N or --at N).
   */
  public static void addStandardHelpOptions(CommandSpec spec) {
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .type(boolean.class)
            .initialValue(false)
            .descriptionKey("mixinStandardHelpOptions.help")
            .description("Show this help message and exit.")
            .build());
    OptionSpec.Builder version =
        OptionSpec.builder("-V", "--version")
            .versionHelp(true)
            .type(boolean.class)
            .initialValue(false)
            .descriptionKey("mixinStandardHelpOptions.version")
            .description("Print version information and exit.");
    if (spec.findOption("--at") != null) {
      // get REF --version 7 once meant version 7 of the config: refuse it rather than print ours
      version.preprocessor(
          (args, command, option, info) -> {
            if (!args.isEmpty() && args.peek().matches("[0-9]+")) {
              throw new ParameterException(
                  command.commandLine(),
                  "--version prints cfgctl's version;"
                      + " for version "
                      + args.peek()
                      + " of a config write REF@"
                      + args.peek()
                      + " or --at "
                      + args.peek());
            }
            return false;
          });
    }
    spec.addOption(version.build());
  }

  // hasInitialValue(false): nothing to restore before parsing, each run parses into a new object.
  // (picocli's two builders share no public type, hence two methods.)
  private <T> OptionSpec.Builder add(OptionSpec.Builder option, BiConsumer<C, T> field) {
    Binding<C, T> binding = new Binding<>(spec, target, field);
    pending.options.add(option.getter(binding).setter(binding).hasInitialValue(false));
    return option;
  }

  private <T> PositionalParamSpec.Builder add(
      PositionalParamSpec.Builder operand, BiConsumer<C, T> field) {
    Binding<C, T> binding = new Binding<>(spec, target, field);
    pending.operands.add(operand.getter(binding).setter(binding).hasInitialValue(false));
    return operand;
  }

  /** Options and operands added but not built yet: their builders may still be tuned. */
  private static final class Pending {
    final List<OptionSpec.Builder> options = new ArrayList<>();
    final List<PositionalParamSpec.Builder> operands = new ArrayList<>();
  }

  /** Holds an option's value, as picocli's own binding does, and sets the field it belongs in. */
  private static final class Binding<C, T> implements IGetter, ISetter {
    private final CommandSpec spec;
    private final Function<Object, C> target;
    private final BiConsumer<C, T> field;
    private Object value;

    Binding(CommandSpec spec, Function<Object, C> target, BiConsumer<C, T> field) {
      this.spec = spec;
      this.target = target;
      this.field = field;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V get() {
      return (V) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> V set(V newValue) {
      V old = (V) value;
      value = newValue;
      field.accept(
          target.apply(spec.userObject()), (T) newValue); // userObject(): made on first use
      return old;
    }
  }

  /** Makes the command object when picocli first asks for it. */
  private static final class LazyFactory<C> implements IFactory {
    private final Class<C> type;
    private final Function<CommandSpec, C> create;
    private CommandSpec spec;

    LazyFactory(Class<C> type, Function<CommandSpec, C> create) {
      this.type = type;
      this.create = create;
    }

    @Override
    public <K> K create(Class<K> cls) {
      if (cls != type)
        throw new IllegalArgumentException("this factory makes " + type + ", not " + cls);
      return cls.cast(create.apply(spec));
    }
  }
}
