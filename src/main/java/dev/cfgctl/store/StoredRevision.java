package dev.cfgctl.store;

import dev.cfgctl.patch.Patch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A revision as stored, and whether the config was a tombstone after it. */
public record StoredRevision(Revision revision, boolean deleted) {
  public long version() {
    return revision.version();
  }

  public Revision.Kind kind() {
    return revision.kind();
  }

  public Author author() {
    return revision.author();
  }

  public Instant at() {
    return revision.at();
  }

  public Patch patch() {
    return revision.patch();
  }

  public Patch inverse() {
    return revision.inverse();
  }

  /** The one of {@code stored} at {@code version}, or null. */
  public static StoredRevision find(List<StoredRevision> stored, long version) {
    for (StoredRevision r : stored) if (r.version() == version) return r;
    return null;
  }

  public static List<Revision> revisions(List<StoredRevision> stored) {
    List<Revision> revisions = new ArrayList<>(stored.size());
    for (StoredRevision r : stored) revisions.add(r.revision);
    return revisions;
  }
}
