package dev.cfgctl.cli.lock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Lock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/**
 * The lock {@code lock acquire} and {@code lock extend} got: in text only its id (for {@code
 * id=$(…)}), in JSON the whole lock.
 */
record TakenLock(Lock lock) implements Result {
  @Override
  public JsonNode toJson() {
    return lock.toJson();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    out.println(lock.id());
  }

  /** What happened, for stderr beside the text: {@code verb} ("locked"), fence and expiry. */
  String notice(String verb, Instant now) {
    return verb
        + " "
        + lock.ref()
        + " (fence "
        + lock.fence()
        + "); it expires in "
        + Durations.format(Duration.between(now, lock.expiresAt()))
        + " unless extended: cfgctl lock extend "
        + lock.ref()
        + " --lock-id "
        + lock.id();
  }
}
