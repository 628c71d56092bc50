package dev.cfgctl.server;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Room, in KiB, for the request bodies handled at once: eight of the largest allowed. A parsed body
 * and the copies a write makes take many times its size, so many large requests at once wait their
 * turn, within the time budget, instead of exhausting the heap. Thread-safe.
 */
final class BodyRoom {
  private static final String RESERVED_KIB = "cfgctl.bodyKib";

  private final long maxBodyBytes;
  private final Duration timeBudget;
  private final int totalKib;
  private final Semaphore kib;

  BodyRoom(long maxBodyBytes, Duration timeBudget) {
    this.maxBodyBytes = maxBodyBytes;
    this.timeBudget = timeBudget;
    this.totalKib = (int) Math.min(Integer.MAX_VALUE / 2, 8 * ((maxBodyBytes + 1023) / 1024));
    this.kib = new Semaphore(totalKib, true);
  }

  /**
   * Reserves room for the request's body, waiting for it within the time budget; a chunked body,
   * whose length is not declared, reserves the largest allowed.
   */
  void reserve(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    String encoding = ctx.header("Transfer-Encoding");
    boolean chunked = encoding != null && !encoding.isBlank();
    if (declared == 0 || declared < 0 && !chunked) return; // no body (RFC 9112 section 6.3)
    long bytes = declared < 0 || declared > maxBodyBytes ? maxBodyBytes : declared;
    int wanted = (int) Math.min(totalKib, (bytes + 1023) / 1024);
    long wait = Requests.started(ctx) + timeBudget.toNanos() - System.nanoTime();
    try {
      if (!kib.tryAcquire(wanted, Math.max(0, wait), TimeUnit.NANOSECONDS)) {
        ctx.header("Retry-After", "1");
        throw new StoreException(
            Problem.UNAVAILABLE,
            "the server is busy with other large" + " requests; try again shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted while waiting to read the body");
    }
    ctx.attribute(RESERVED_KIB, wanted);
  }

  /** Gives back what {@link #reserve} took for this request, if anything. */
  void release(Context ctx) {
    Integer reserved = ctx.attribute(RESERVED_KIB);
    if (reserved != null) kib.release(reserved);
  }
}
