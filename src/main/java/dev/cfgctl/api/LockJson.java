package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.store.Lock;
import java.time.Instant;
import java.util.List;

/**
 * Locks on the wire: whole for their holder (with the id), without the id for anyone else, and in a
 * tenant's listing with the age of the last heartbeat. Thread-safe (stateless).
 */
public final class LockJson {
  private LockJson() {}

  /** The holder's view, id included. */
  public static ObjectNode encode(Lock lock) {
    return lock.toJson();
  }

  /** What others may see: everything but the id, which would let them write under the lock. */
  public static ObjectNode encodePublic(Lock lock) {
    return lock.publicJson();
  }

  public static Lock decode(JsonNode o) {
    return Lock.fromJson(o);
  }

  /** A tenant's locks as others see them, each with how long ago it last showed signs of life. */
  public static ObjectNode encodeList(List<Lock> locks, Instant now) {
    return PageJson.items(
        locks,
        l -> {
          ObjectNode o = l.publicJson();
          o.put(
              "heartbeatAgeSeconds",
              (now.toEpochMilli() - l.heartbeatAt().toEpochMilli()) / 1000.0);
          return o;
        });
  }

  public static List<Lock> decodeList(JsonNode list) {
    return PageJson.decode(list, Lock::fromJson).items();
  }
}
