package dev.cfgctl.cli;

/**
 * A progress line on a terminal's stderr ({@code copy [#####.....] 50/120 configs}), redrawn at
 * most ten times a second; silent when stderr is not a terminal. Thread-safe.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;

  private final Io io;
  private String label = "";
  private int total;
  private int done;
  private long lastDraw;
  private boolean drawn;

  public ProgressBar(Io io) {
    this.io = io;
  }

  /** Starts a new bar (ending the one before). */
  public synchronized void start(String label, int total) {
    finish();
    this.label = label;
    this.total = total;
    this.done = 0;
    this.lastDraw = 0;
  }

  public synchronized void step() {
    step(" configs");
  }

  /** One more done; the line ends with {@code note} after the count ({@code 50/120 configs}). */
  public synchronized void step(String note) {
    done++;
    long now = System.nanoTime();
    if (!io.stderrTerminal() || (now - lastDraw < 100_000_000L && done < total)) return;
    lastDraw = now;
    int filled = total == 0 ? WIDTH : Math.min(WIDTH, done * WIDTH / total);
    io.err()
        .printf(
            "\r%s [%s%s] %d/%d%s",
            label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, note);
    io.err().flush();
    drawn = true;
  }

  /** Ends the line the bar is on, if it drew one. */
  public synchronized void finish() {
    if (drawn) io.err().println();
    drawn = false;
  }
}
