package dev.cfgctl.cli.lock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Moved from ExitCodeChoicesTest with {@code lock exec}'s child process. */
class ChildProcessTest {
  /** The JDK the launcher picks words it otherwise: JDK 17 "error=2, …", JDK 25 "error: 2 (…)". */
  @Test
  void theErrnoOfAProgramThatCannotRunIsReadFromEveryJdksMessage() {
    assertThat(
            ChildProcess.errno(
                "Cannot run program \"nosuchcmd\": error=2, No such file or directory"))
        .isEqualTo(2);
    assertThat(
            ChildProcess.errno(
                "Cannot run program \"nosuchcmd\": Exec failed, error: 2 (No such file or"
                    + " directory) "))
        .isEqualTo(2);
    assertThat(ChildProcess.errno("Cannot run program \"./x\": error=13, Permission denied"))
        .isEqualTo(13);
    assertThat(
            ChildProcess.errno(
                "Cannot run program \"./x\": Exec failed, error: 13 (Permission denied) "))
        .isEqualTo(13);
    assertThat(ChildProcess.errno("something else")).isEqualTo(-1);
    assertThat(ChildProcess.errno(null)).isEqualTo(-1);
  }
}
