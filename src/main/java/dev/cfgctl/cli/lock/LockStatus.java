package dev.cfgctl.cli.lock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Lock;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;

/** What {@code lock status} shows: whether {@code ref} is locked, by whom, as of {@code now}. */
record LockStatus(ConfigRef ref, Optional<Lock> lock, Instant now) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("locked", lock.isPresent());
    lock.ifPresent(l -> o.set("lock", l.publicJson()));
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    out.println(
        lock.map(
                l ->
                    Printable.of(
                        l.describe(now)
                            + " (fence "
                            + l.fence()
                            + (l.note() == null ? "" : ", note: " + l.note())
                            + ")"))
            .orElse(ref + " is not locked"));
  }
}
