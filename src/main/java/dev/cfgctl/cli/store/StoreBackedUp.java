package dev.cfgctl.cli.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.jdbc.SqliteBackup;
import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code store backup} reports of a backup of the store shown as {@code from}. Its text is the
 * summary for people, which the command prints on stderr.
 */
record StoreBackedUp(SqliteBackup.Result backup, String from) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("file", backup.file().toAbsolutePath().toString());
    o.put("tenants", backup.tenants());
    o.put("configs", backup.configs());
    o.put("revisions", backup.revisions());
    o.put("bytes", backup.bytes());
    o.put("seconds", Math.round(seconds() * 1000) / 1000.0);
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    out.println(
        String.format(
            Locale.ROOT,
            "backed up %d configs (%d revisions) of %d tenants"
                + " from %s to %s: %d bytes in %.2f s",
            backup.configs(),
            backup.revisions(),
            backup.tenants(),
            from,
            backup.file(),
            backup.bytes(),
            seconds()));
  }

  private double seconds() {
    return backup.nanos() / 1e9;
  }
}
