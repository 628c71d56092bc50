package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A config at one version: its content and who last changed it, when. As the result of a write,
 * {@code unchanged} says the write changed nothing (only passing tests, or the content it already
 * had), so no version was made and this is the current one.
 */
public record Document(
    ConfigRef ref,
    long version,
    JsonNode content,
    Instant updatedAt,
    Author updatedBy,
    boolean unchanged) {
  public Document(
      ConfigRef ref, long version, JsonNode content, Instant updatedAt, Author updatedBy) {
    this(ref, version, content, updatedAt, updatedBy, false);
  }

  public Document asUnchanged() {
    return new Document(ref, version, content, updatedAt, updatedBy, true);
  }
}
