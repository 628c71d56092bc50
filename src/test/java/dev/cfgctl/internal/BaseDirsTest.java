package dev.cfgctl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The XDG base directories: absolute variables win, then $HOME, then the JDK's user.home. */
class BaseDirsTest {
  @Test
  void homeGivesEveryDirectoryWhenNoXdgVariableIsSet() {
    BaseDirs d = BaseDirs.of(Map.of("HOME", "/home/ann"));
    assertThat(d.config()).isEqualTo(Path.of("/home/ann/.config/cfgctl"));
    assertThat(d.data()).isEqualTo(Path.of("/home/ann/.local/share/cfgctl"));
    assertThat(d.cache()).isEqualTo(Path.of("/home/ann/.cache/cfgctl"));
  }

  @Test
  void anAbsoluteXdgVariableBeatsHome() {
    BaseDirs d =
        BaseDirs.of(
            Map.of(
                "HOME",
                "/home/ann",
                "XDG_CONFIG_HOME",
                "/etc/ann",
                "XDG_DATA_HOME",
                "/srv/data",
                "XDG_CACHE_HOME",
                "/var/cache/ann"));
    assertThat(d.config()).isEqualTo(Path.of("/etc/ann/cfgctl"));
    assertThat(d.data()).isEqualTo(Path.of("/srv/data/cfgctl"));
    assertThat(d.cache()).isEqualTo(Path.of("/var/cache/ann/cfgctl"));
  }

  @Test
  void emptyOrRelativeXdgVariablesAreIgnoredAsTheSpecSays() {
    BaseDirs d =
        BaseDirs.of(Map.of("HOME", "/home/ann", "XDG_CONFIG_HOME", "conf", "XDG_DATA_HOME", ""));
    assertThat(d.config()).isEqualTo(Path.of("/home/ann/.config/cfgctl"));
    assertThat(d.data()).isEqualTo(Path.of("/home/ann/.local/share/cfgctl"));
  }

  @Test
  void withoutAnAbsoluteHomeTheJdksUserHomeIsTheLastResort() {
    Path userHome = Path.of(System.getProperty("user.home"));
    assertThat(BaseDirs.of(Map.of()).config()).isEqualTo(userHome.resolve(".config/cfgctl"));
    assertThat(BaseDirs.of(Map.of("HOME", "")).data())
        .isEqualTo(userHome.resolve(".local/share/cfgctl"));
    assertThat(BaseDirs.of(Map.of("HOME", "relative")).cache())
        .isEqualTo(userHome.resolve(".cache/cfgctl"));
  }
}
