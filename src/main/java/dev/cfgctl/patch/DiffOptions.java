package dev.cfgctl.patch;

import java.util.List;

/**
 * How {@link JsonDiff} compares documents.
 *
 * @param arrayKeys member names that identify objects in arrays, tried in order (default {@code
 *     id})
 * @param ignore pointers left out of the diff; a {@code *} token matches any member or index
 * @param withTests emit a {@code test} before each replace, remove and move
 * @param moves detect moves (otherwise only add, remove and replace are emitted)
 */
public record DiffOptions(
    List<String> arrayKeys, List<JsonPointer> ignore, boolean withTests, boolean moves) {
  public static final DiffOptions DEFAULT = new DiffOptions(List.of("id"), List.of(), false, true);

  public DiffOptions {
    arrayKeys = List.copyOf(arrayKeys);
    ignore = List.copyOf(ignore);
  }

  public DiffOptions withTests(boolean on) {
    return new DiffOptions(arrayKeys, ignore, on, moves);
  }

  public DiffOptions withMoves(boolean on) {
    return new DiffOptions(arrayKeys, ignore, withTests, on);
  }

  public DiffOptions withArrayKeys(List<String> keys) {
    return new DiffOptions(keys, ignore, withTests, moves);
  }

  public DiffOptions withIgnore(List<JsonPointer> pointers) {
    return new DiffOptions(arrayKeys, pointers, withTests, moves);
  }
}
