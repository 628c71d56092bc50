package dev.cfgctl.output;

import java.io.PrintStream;

/** Prints results for people: each result's own lines and tables. */
public final class TextPrinter implements Printer {
  private final PrintStream out;
  private final boolean pretty;

  public TextPrinter(PrintStream out, boolean pretty) {
    this.out = out;
    this.pretty = pretty;
  }

  @Override
  public void print(Result result) {
    result.printText(out, pretty);
  }
}
