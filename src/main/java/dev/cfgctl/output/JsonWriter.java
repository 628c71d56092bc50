package dev.cfgctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Writes JSON values to a stream, each followed by a newline, indented when {@code pretty}. */
public final class JsonWriter {
  private final PrintStream out;
  private final boolean pretty;

  public JsonWriter(PrintStream out, boolean pretty) {
    this.out = out;
    this.pretty = pretty;
  }

  /** Prints one JSON value and a newline. */
  public void write(JsonNode value) {
    try {
      Json.write(value, out, pretty);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
