package dev.cfgctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;

/** A command's typed result, as each {@link Printer} renders it. Implementations are immutable. */
public interface Result {
  /** The one JSON value of {@code -o json}. */
  JsonNode toJson();

  /** The values of {@code -o jsonl}, one per line: a list's items; by default the one value. */
  default List<JsonNode> jsonLines() {
    return List.of(toJson());
  }

  /** The text of {@code -o text}; {@code pretty}: JSON in it is indented. */
  void printText(PrintStream out, boolean pretty);

  /** A result that is one JSON value in every format (a document, a patch, a report). */
  static Result json(JsonNode value) {
    return new Result() {
      @Override
      public JsonNode toJson() {
        return value;
      }

      @Override
      public void printText(PrintStream out, boolean pretty) {
        new JsonWriter(out, pretty).write(value);
      }
    };
  }
}
