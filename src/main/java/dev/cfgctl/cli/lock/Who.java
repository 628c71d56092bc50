package dev.cfgctl.cli.lock;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Times;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What {@code who} shows: the lock, if held, and the sessions on {@code ref} as of {@code now}. */
record Who(ConfigRef ref, Optional<Lock> lock, List<Presence> sessions, Instant now)
    implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode().put("config", ref.toString());
    if (lock.isPresent()) o.set("lock", lock.get().publicJson());
    else o.putNull("lock");
    ArrayNode a = o.putArray("sessions");
    sessions.forEach(p -> a.add(p.toJson()));
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    new LockStatus(ref, lock, now).printText(out, pretty);
    if (sessions.isEmpty()) {
      out.println("no one is connected");
      return;
    }
    out.println(sessions.size() + (sessions.size() == 1 ? " session:" : " sessions:"));
    Table t = new Table("USER", "CLIENT", "LOOKING AT", "SINCE");
    for (Presence p : sessions) {
      t.row(
          Printable.of(p.user().name()),
          p.client() == null ? "-" : Printable.of(p.client()),
          p.pointer() == null ? "(the whole config)" : Printable.of(p.pointer()),
          Times.format(p.since()));
    }
    t.print(out);
  }
}
