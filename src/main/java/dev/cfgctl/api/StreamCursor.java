package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a reader of a config's change stream (API.md, "Change stream") is: the version it has. It
 * keeps the stream strictly in order across reconnections, which may resend what the reader has:
 * revisions, deletes, undeletes and snapshots at or before that version are dropped, as are the
 * stream's own messages (pings, resume notices, problems). Not thread-safe.
 */
public final class StreamCursor {
  private Long last;

  /** A reader that has {@code since} (null: nothing yet, a snapshot comes first). */
  public StreamCursor(Long since) {
    this.last = since;
  }

  /** Whether {@code message} is news to pass on; if it is, the reader has its version now. */
  public boolean take(JsonNode message) {
    switch (message.path("type").asText()) {
      case "ping", "resume", "problem" -> {
        return false;
      }
      case "revision", "deleted", "undeleted", "snapshot" -> {
        long version = message.path("version").asLong();
        if (last != null && version <= last) return false;
        last = version;
        return true;
      }
      default -> {
        return true; // a kind of event this client does not know yet (lock, presence)
      }
    }
  }

  /** The version to resume after (the {@code since} of the next connection); null: none yet. */
  public Long last() {
    return last;
  }
}
