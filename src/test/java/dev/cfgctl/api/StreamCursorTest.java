package dev.cfgctl.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.patch.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order a change stream's reader keeps across reconnections. */
class StreamCursorTest {
  /** The messages the cursor passes on, as "type@version". */
  static List<String> taken(StreamCursor c, String... messages) {
    List<String> out = new ArrayList<>();
    for (String m : messages) {
      if (c.take(Json.parse(m)))
        out.add(Json.parse(m).path("type").asText() + "@" + Json.parse(m).path("version"));
    }
    return out;
  }

  static String msg(String type, long version) {
    return "{\"type\":\"" + type + "\",\"version\":" + version + "}";
  }

  @Test
  void aResentRevisionAfterAReconnectIsDroppedAndTheCursorMovesOnlyForward() {
    StreamCursor c = new StreamCursor(3L);
    assertThat(
            taken(
                c,
                msg("revision", 3), // what the reader had
                msg("revision", 4),
                msg("deleted", 5),
                msg("revision", 4), // resent after a reconnect
                msg("undeleted", 6)))
        .containsExactly("revision@4", "deleted@5", "undeleted@6");
    assertThat(c.last()).isEqualTo(6);
  }

  @Test
  void aSnapshotComesFirstWithoutSinceAndOnlyWhenItIsNews() {
    StreamCursor c = new StreamCursor(null);
    assertThat(c.last()).isNull();
    assertThat(
            taken(
                c, msg("snapshot", 7), msg("snapshot", 7), msg("revision", 8), msg("snapshot", 12)))
        .containsExactly("snapshot@7", "revision@8", "snapshot@12");
    assertThat(c.last()).isEqualTo(12);
  }

  @Test
  void theStreamsOwnMessagesAreNotPassedOnAndUnknownEventsAre() {
    StreamCursor c = new StreamCursor(1L);
    assertThat(
            taken(
                c,
                msg("ping", 9),
                "{\"type\":\"resume\",\"after\":1}",
                "{\"type\":\"problem\",\"problem\":{}}",
                "{\"type\":\"lock\",\"event\":\"acquired\"}"))
        .containsExactly("lock@");
    assertThat(c.last()).isEqualTo(1);
  }
}
