package dev.cfgctl.patch;

import java.util.List;

/**
 * How {@link JsonDiff} compares documents.
 *
 * @param arrayKeys member names that identify objects in arrays, tried in order (default {@code id})
 * @param ignore pointers left out of the diff; a {@code *} token matches any member or index
 * @param withTests emit a {@code test} before each replace, remove and move
 * @param moves detect moves (otherwise only add, remove and replace are emitted)
 * @param parallel a large document may be diffed on all processors (the patch is the same)
 */
public record DiffOptions(
    List<String> arrayKeys,
    List<JsonPointer> ignore,
    boolean withTests,
    boolean moves,
    boolean parallel) {
  public static final DiffOptions DEFAULT =
      new DiffOptions(List.of("id"), List.of(), false, true, true);

  public DiffOptions {
    arrayKeys = List.copyOf(arrayKeys);
    ignore = List.copyOf(ignore);
  }

  public DiffOptions withTests(boolean on) {
    return new DiffOptions(arrayKeys, ignore, on, moves, parallel);
  }

  public DiffOptions withMoves(boolean on) {
    return new DiffOptions(arrayKeys, ignore, withTests, on, parallel);
  }

  public DiffOptions withArrayKeys(List<String> keys) {
    return new DiffOptions(keys, ignore, withTests, moves, parallel);
  }

  public DiffOptions withIgnore(List<JsonPointer> pointers) {
    return new DiffOptions(arrayKeys, pointers, withTests, moves, parallel);
  }

  public DiffOptions withParallel(boolean on) {
    return new DiffOptions(arrayKeys, ignore, withTests, moves, on);
  }
}
