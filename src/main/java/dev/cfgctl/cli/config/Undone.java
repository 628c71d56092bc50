package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Revision;
import java.io.PrintStream;
import java.util.List;

/** What {@code undo} and {@code redo} report: the revisions they made to {@code ref}. */
record Undone(ConfigRef ref, boolean redo, List<Revision> made) implements Result {
  @Override
  public ArrayNode toJson() {
    ArrayNode a = Json.NODES.arrayNode();
    made.forEach(rev -> a.add(rev.summaryJson()));
    return a;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    for (Revision rev : made) {
      // the pointer "" is the whole document (a stale write's message says so too): a create or
      // delete
      String touched =
          rev.paths().equals(List.of("")) ? "whole document" : String.join(" ", rev.paths());
      out.println(
          ref
              + ": version "
              + rev.version()
              + " "
              + (redo ? "redoes" : "undoes")
              + " version "
              + rev.undoes()
              + (rev.paths().isEmpty() ? "" : " (" + touched + ")"));
    }
  }
}
