package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.StreamCursor;
import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.StreamEvent;
import dev.cfgctl.client.EventStream;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * A config's change stream on the embedded store, in this process: a {@link ChangeFeed} of its own,
 * which hears the writes of other processes on the same file too. Its events go to the same
 * listener as a server's. A watcher the feed finds stuck (its output blocked for long) is told to
 * resume, and does, from the version it has. Thread-safe.
 */
final class LocalStream implements ChangeFeed.Sink, AutoCloseable {
  private final ChangeFeed feed;
  private final Principal who;
  private final ConfigRef ref;
  private final EventStream.Listener listener;
  private final StreamCursor cursor;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile StoreException failure;
  private volatile ChangeFeed.Watch watch;

  LocalStream(
      ConfigService store, Principal who, ConfigRef ref, Long since, EventStream.Listener out) {
    this.feed = store.changeFeed(ChangeFeed.Settings.DEFAULT);
    this.who = who;
    this.ref = ref;
    this.listener = out;
    this.cursor = new StreamCursor(since);
  }

  /** Streams until {@link #close} or the listener says stop; throws what refuses the stream. */
  void run() throws InterruptedException {
    watch = feed.watch(who, () -> who, ref, cursor.last(), "watch", this);
    done.await();
    if (failure != null) throw failure;
  }

  // one event at a time, also across a resume, so the cursor drops what was printed already
  @Override
  public synchronized void send(StreamEvent e, Consumer<Throwable> sent) {
    if (done.getCount() > 0) {
      JsonNode m = Json.parse(e.json());
      if (cursor.take(m) && !listener.event(m, e.json())) done.countDown();
    }
    sent.accept(null);
  }

  @Override
  public synchronized void end(ChangeFeed.End why, String reason, long after) {
    if (done.getCount() == 0) return;
    switch (why) {
      case BEHIND -> watch = feed.watch(who, () -> who, ref, cursor.last(), "watch", this);
      case UNAUTHORIZED -> {
        failure = new StoreException(Problem.UNAUTHORIZED, reason);
        done.countDown();
      }
      case GOING_AWAY, LEFT -> done.countDown();
    }
  }

  @Override
  public void close() {
    done.countDown();
    ChangeFeed.Watch w = watch;
    if (w != null) w.close();
    feed.close();
  }
}
