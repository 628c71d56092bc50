package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.JsonWriter;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Result;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Times;
import java.io.PrintStream;

/** What {@code show} prints of a revision: who, when, why, then its patch and inverse indented. */
record ShownRevision(Revision rev) implements Result {
  @Override
  public JsonNode toJson() {
    return rev.toJson();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    out.println(
        "version "
            + rev.version()
            + " of "
            + rev.ref()
            + ": "
            + rev.kind().label()
            + (rev.undoes() != null ? " of version " + rev.undoes() : "")
            + (rev.forced() ? " (forced)" : "")
            + (rev.rebasedFrom() != null
                ? " (rebased from version " + rev.rebasedFrom() + ")"
                : ""));
    out.println("author:  " + Printable.of(rev.author().name() + " (" + rev.author().id() + ")"));
    out.println("at:      " + Times.format(rev.at()));
    if (rev.message() != null) out.println("message: " + Printable.of(rev.message()));
    // the patches are always indented: they are read here, not piped
    JsonWriter indented = new JsonWriter(out, true);
    out.println("patch:");
    indented.write(rev.patch().toJson());
    out.println("inverse:");
    indented.write(rev.inverse().toJson());
  }
}
