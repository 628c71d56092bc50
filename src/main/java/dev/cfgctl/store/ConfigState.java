package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A config as stored: its latest version, whether that is a tombstone, its parsed content, the
 * sizes that tell a repository when the next snapshot is due, and an upper bound of the content's
 * compact size.
 */
public record ConfigState(
    long version,
    JsonNode content,
    boolean deleted,
    Instant updatedAt,
    Author updatedBy,
    long snapshotBytes,
    long deltaBytes,
    long contentBytes) {
  public Document document(ConfigRef ref) {
    return new Document(ref, version, content, updatedAt, updatedBy);
  }
}
