package dev.cfgctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchOp;
import java.io.PrintStream;
import java.util.List;

/**
 * The text view of a change: one line per changed place, marked {@code ~} changed, {@code +} added,
 * {@code -} removed, {@code >} moved, colored on a terminal, then a summary line. Reads a patch
 * made with {@code test} ops, which carry the old values.
 */
public final class ChangeView {
  private static final String RESET = "\u001b[0m";
  private static final String RED = "\u001b[31m";
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";
  private static final int VALUE_WIDTH = 70;

  private final PrintStream out;
  private final boolean color;

  public ChangeView(PrintStream out, boolean color) {
    this.out = out;
    this.color = color;
  }

  public void print(Patch patch) {
    List<PatchOp> ops = patch.ops();
    int changed = 0;
    int added = 0;
    int removed = 0;
    int moved = 0;
    for (int i = 0; i < ops.size(); i++) {
      PatchOp op = ops.get(i);
      JsonNode old = null;
      if (op.op() == PatchOp.Kind.TEST && i + 1 < ops.size()) {
        PatchOp next = ops.get(i + 1);
        boolean describes =
            next.op() == PatchOp.Kind.MOVE
                ? op.path().equals(next.from())
                : op.path().equals(next.path());
        if (describes && next.op() != PatchOp.Kind.TEST) {
          old = op.value();
          op = next;
          i++;
        }
      }
      switch (op.op()) {
        case REPLACE:
          changed++;
          line(
              YELLOW,
              "~ "
                  + op.path().shown()
                  + ": "
                  + (old == null ? "" : brief(old) + " -> ")
                  + brief(op.value()));
          break;
        case ADD:
        case COPY:
          added++;
          line(
              GREEN,
              "+ "
                  + op.path().shown()
                  + ": "
                  + (op.value() != null ? brief(op.value()) : "copy of " + op.from().shown()));
          break;
        case REMOVE:
          removed++;
          line(RED, "- " + op.path().shown() + (old == null ? "" : ": " + brief(old)));
          break;
        case MOVE:
          moved++;
          line(CYAN, "> " + op.from().shown() + " -> " + op.path().shown());
          break;
        default:
          line(null, "? test " + op.path().shown() + ": " + brief(op.value()));
      }
    }
    int total = changed + added + removed + moved;
    if (total == 0) {
      out.println("no differences");
    } else {
      out.println(
          total
              + (total == 1 ? " change: " : " changes: ")
              + changed
              + " changed, "
              + added
              + " added, "
              + removed
              + " removed, "
              + moved
              + " moved");
    }
  }

  private void line(String ansi, String text) {
    out.println(color && ansi != null ? ansi + text + RESET : text);
  }

  private static String brief(JsonNode value) {
    return Json.brief(value, VALUE_WIDTH);
  }
}
