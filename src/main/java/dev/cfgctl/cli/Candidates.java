package dev.cfgctl.cli;

import java.util.Iterator;
import java.util.List;

/**
 * What the completion scripts offer for the value of an option or operand: fixed words, which must
 * be the very words the parser accepts, and what to look up as the user types: file names (the
 * shell's own), or context names, refs and tenants, which the scripts ask {@code cfgctl __complete}
 * for. Picocli sees only the fixed words. Immutable.
 */
public final class Candidates implements Iterable<String> {
  /** What the scripts look up besides the fixed words. */
  public enum Lookup {
    NONE,
    FILES,
    CONTEXTS,
    REFS,
    TENANTS
  }

  static final Candidates NONE = new Candidates(List.of(), Lookup.NONE);
  public static final Candidates FILES = new Candidates(List.of(), Lookup.FILES);
  public static final Candidates CONTEXTS = new Candidates(List.of(), Lookup.CONTEXTS);
  public static final Candidates REFS = new Candidates(List.of(), Lookup.REFS);
  public static final Candidates TENANTS = new Candidates(List.of(), Lookup.TENANTS);

  final List<String> words;
  final Lookup lookup;

  public Candidates(List<String> words, Lookup lookup) {
    this.words = List.copyOf(words);
    this.lookup = lookup;
  }

  /** Exactly these words. */
  public static Candidates of(List<String> words) {
    return new Candidates(words, Lookup.NONE);
  }

  @Override
  public Iterator<String> iterator() {
    return words.iterator();
  }
}
