package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Command models written in code: lazy command objects, options bound to fields, mixins. */
class CommandModelTest {
  static final class Mixin {
    boolean loud;
  }

  static final class Sample implements Callable<Integer> {
    final Mixin mixin = new Mixin();
    String name = "default";
    int count = 7;
    List<String> tags = new ArrayList<>();
    List<String> files;
    boolean called;

    @Override
    public Integer call() {
      called = true;
      return 0;
    }
  }

  private final AtomicInteger made = new AtomicInteger();
  private final List<Sample> samples = new ArrayList<>();

  private CommandSpec model() {
    CommandModel<Sample> m =
        CommandModel.command(
                "sample",
                Sample.class,
                () -> {
                  made.incrementAndGet();
                  Sample s = new Sample();
                  samples.add(s);
                  return s;
                })
            .header("Do a sample thing.");
    m.mixin(s -> s.mixin).flag("-l, --loud", "Say it loudly.", (o, v) -> o.loud = v);
    m.option("--name", "NAME", "A name.", (s, v) -> s.name = v);
    m.option("--count", int.class, "N", "How many.", (s, v) -> s.count = v);
    m.repeatable("--tag", "TAG", "A tag (repeatable).", (s, v) -> s.tags = v);
    m.operands("FILE", "Files.", (s, v) -> s.files = v).arity("1..*");
    return m.spec();
  }

  @Test
  void buildingTheModelAndPrintingHelpMakesNoCommandObject() {
    CommandLine cmd = new CommandLine(model());
    cmd.usage(new PrintStream(new ByteArrayOutputStream()));
    assertThat(made).hasValue(0);
  }

  @Test
  void parsingSetsTheFieldsOfOneNewCommandObject() {
    int exit =
        new CommandLine(model())
            .execute("--loud", "--name", "x", "--tag", "a", "--tag=b", "--count", "3", "f1", "f2");
    assertThat(exit).isZero();
    assertThat(made).hasValue(1);
    Sample s = samples.get(0);
    assertThat(s.called).isTrue();
    assertThat(s.mixin.loud).isTrue();
    assertThat(s.name).isEqualTo("x");
    assertThat(s.count).isEqualTo(3);
    assertThat(s.tags).containsExactly("a", "b");
    assertThat(s.files).containsExactly("f1", "f2");
  }

  @Test
  void optionsNotGivenKeepTheFieldsInitialValues() {
    new CommandLine(model()).execute("f1");
    Sample s = samples.get(0);
    assertThat(s.mixin.loud).isFalse();
    assertThat(s.name).isEqualTo("default");
    assertThat(s.count).isEqualTo(7);
    assertThat(s.tags).isEmpty();
  }

  @Test
  void aMissingRequiredOperandIsAUsageError() {
    CommandLine cmd = new CommandLine(model());
    cmd.setErr(new java.io.PrintWriter(new ByteArrayOutputStream()));
    assertThat(cmd.execute("--loud")).isEqualTo(CommandLine.ExitCode.USAGE);
  }
}
