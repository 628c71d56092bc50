package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * For scripts/bench-store-copy. {@code fill FILE CONFIGS REVISIONS SIZE}: a SQLite store of CONFIGS
 * generated landing pages of SIZE in ten tenants, each with REVISIONS revisions (single-field
 * patches by two authors). {@code schema URL NAME}: creates schema NAME (dropping an old one) and
 * prints the URL that uses it; {@code drop URL NAME} drops it.
 */
public final class StoreFill {
  private StoreFill() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "fill" ->
          fill(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
      case "schema" -> {
        sql(args[1], "DROP SCHEMA IF EXISTS " + args[2] + " CASCADE", "CREATE SCHEMA " + args[2]);
        String join = args[1].contains("?") ? "&" : "?";
        System.out.println(args[1] + join + "currentSchema=" + args[2]);
      }
      case "drop" -> sql(args[1], "DROP SCHEMA IF EXISTS " + args[2] + " CASCADE");
      default -> throw new IllegalArgumentException("fill, schema or drop");
    }
  }

  private static void fill(Path file, int configs, int revisions, String size) throws Exception {
    JsonNode content = LandingPageGenerator.generate(LandingPageGenerator.Size.of(size));
    Principal[] authors = {
      new Principal("sarah", "Sarah", "*", Role.ADMIN), new Principal("tom", "Tom", "*", Role.ADMIN)
    };
    long t0 = System.nanoTime();
    try (ConfigService s = Stores.sqlite(file, Tunables.DEFAULT, Clock.systemUTC())) {
      ExecutorService pool = Executors.newFixedThreadPool(16); // writers share the commits
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < configs; i++) {
        ConfigRef ref = new ConfigRef("tenant-" + i % 10, "landing-" + i);
        done.add(
            pool.submit(
                () -> {
                  s.create(authors[0], ref, content, Write.PLAIN);
                  for (int v = 2; v <= revisions; v++) {
                    s.patch(
                        authors[v % 2],
                        ref,
                        Patch.fromJson(
                            Json.parse("[{\"op\":\"add\",\"path\":\"/rev\",\"value\":" + v + "}]")),
                        null,
                        Write.PLAIN);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) f.get();
      pool.shutdown();
    }
    System.err.printf(
        "filled %s: %d configs of %s x %d revisions in %.1f s%n",
        file, configs, size, revisions, (System.nanoTime() - t0) / 1e9);
  }

  private static void sql(String url, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String sql : statements) s.execute(sql);
    }
  }
}
