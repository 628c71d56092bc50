package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Revision;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code history} shows: a page of revisions, newest first, with their ages as of {@code now};
 * in JSON with the cursor of the next page, in jsonl a line per revision.
 */
record HistoryPage(Page<Revision> page, Instant now) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.putArray("items").addAll(jsonLines());
    if (page.next() == null) o.putNull("next");
    else o.put("next", page.next());
    return o;
  }

  @Override
  public List<JsonNode> jsonLines() {
    return page.items().stream().<JsonNode>map(Revision::summaryJson).toList();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    Table t = new Table("VERSION", "KIND", "AUTHOR", "AGE", "CHANGED", "MESSAGE");
    for (Revision rev : page.items()) {
      String kind =
          rev.kind().label()
              + (rev.undoes() != null ? " " + rev.undoes() : "")
              + (rev.forced() ? " (forced)" : "")
              + (rev.rebasedFrom() != null ? " (rebased)" : "");
      t.row(
          Long.toString(rev.version()),
          kind,
          rev.author().name(),
          Durations.format(Duration.between(rev.at(), now)) + " ago",
          rev.paths().isEmpty() ? "-" : String.join(" ", rev.paths()).replace("  ", " "),
          rev.message() == null ? "" : rev.message());
    }
    t.print(out);
  }
}
