package dev.cfgctl.output;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: columns padded to their widest cell, the last one left ragged. */
public final class Table {
  private static final int MAX_CELL = 60;
  private final List<String[]> rows = new ArrayList<>();

  public Table(String... header) {
    rows.add(header);
  }

  public void row(String... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i] == null ? "" : Printable.of(cells[i]);
      r[i] = c.length() > MAX_CELL ? c.substring(0, MAX_CELL - 1) + "…" : c;
    }
    rows.add(r);
  }

  public void print(PrintStream out) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows)
      for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        b.append(r[i]);
        if (i < r.length - 1) b.append(" ".repeat(width[i] - r[i].length() + 2));
      }
      out.println(b.toString().stripTrailing());
    }
  }
}
