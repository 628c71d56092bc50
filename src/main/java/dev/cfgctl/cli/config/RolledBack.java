package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Revision;
import java.io.PrintStream;

/** What {@code rollback} reports: the revision that returned {@code ref} to version {@code to}. */
record RolledBack(ConfigRef ref, long to, Revision revision) implements Result {
  @Override
  public ObjectNode toJson() {
    return revision.summaryJson();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    out.println(ref + ": rolled back to version " + to + ", now at version " + revision.version());
  }
}
