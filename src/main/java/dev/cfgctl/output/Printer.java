package dev.cfgctl.output;

/**
 * Renders commands' results on stdout in one {@link Format}, as kubectl's cli-runtime printers do.
 * Not thread-safe: one printer per command run.
 */
public interface Printer {
  /** Prints {@code result}. */
  void print(Result result);
}
