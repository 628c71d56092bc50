package dev.cfgctl;

import java.io.InputStream;
import java.io.PrintStream;

/** The cfgctl command line: {@link #main} is the only place that exits the process. */
public final class Cfgctl {
  private Cfgctl() {}

  public static void main(String[] args) {
    System.exit(run(System.in, System.out, System.err, args));
  }

  /** Runs one command line with the given streams and returns its exit code. */
  public static int run(InputStream in, PrintStream out, PrintStream err, String... args) {
    err.println("cfgctl: not implemented yet");
    return 8;
  }
}
