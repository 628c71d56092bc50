package dev.cfgctl.store;

/**
 * Hears that configs changed. A notice is a hint, never the change itself: whoever hears one reads
 * what changed from the store, so a notice that is lost (a dropped connection) or comes twice loses
 * or repeats nothing, as long as {@link #anyChanged} follows every gap.
 */
public interface ChangeListener {
  /** {@code ref} may have a new version. */
  void changed(ConfigRef ref);

  /** Any config may have changed (another process wrote, or notices may have been missed). */
  void anyChanged();
}
