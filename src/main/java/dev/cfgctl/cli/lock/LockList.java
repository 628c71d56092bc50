package dev.cfgctl.cli.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.ListResult;
import dev.cfgctl.output.Table;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Lock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What {@code lock list} shows: live locks, their ages as of {@code now}; a line each in jsonl. */
record LockList(List<Lock> locks, Instant now) implements ListResult {
  @Override
  public List<JsonNode> jsonLines() {
    return locks.stream().<JsonNode>map(l -> l.listJson(now)).toList();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    Table t = new Table("CONFIG", "HOLDER", "CLIENT", "HELD FOR", "LAST HEARTBEAT", "EXPIRES IN");
    for (Lock l : locks) {
      t.row(
          l.ref().toString(),
          l.holder().name() + " (" + l.holder().id() + ")",
          l.client() == null ? "-" : l.client(),
          Durations.format(Duration.between(l.acquiredAt(), now)),
          Durations.format(Duration.between(l.heartbeatAt(), now)) + " ago",
          Durations.format(Duration.between(now, l.expiresAt())));
    }
    t.print(out);
  }
}
