package dev.cfgctl.output;

import java.io.PrintStream;

/** Prints each result as one JSON value and a newline, indented when {@code pretty}. */
public final class JsonPrinter implements Printer {
  private final JsonWriter json;

  public JsonPrinter(PrintStream out, boolean pretty) {
    this.json = new JsonWriter(out, pretty);
  }

  @Override
  public void print(Result result) {
    json.write(result.toJson());
  }
}
