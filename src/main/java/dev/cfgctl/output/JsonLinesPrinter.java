package dev.cfgctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/** Prints JSON Lines: each value of a result compact on its own line (a list: a line per item). */
public final class JsonLinesPrinter implements Printer {
  private final JsonWriter compact;

  public JsonLinesPrinter(PrintStream out) {
    this.compact = new JsonWriter(out, false);
  }

  @Override
  public void print(Result result) {
    for (JsonNode value : result.jsonLines()) compact.write(value);
  }
}
