package dev.cfgctl.store.jdbc;

import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Copies every config with its retained history from one JDBC store to another (SQLite to
 * PostgreSQL and back), then verifies the copy. Rows are copied as they are, by column name (the
 * columns both schemas have), so revisions keep their versions, authors, times, patches, inverses
 * and snapshots, and everything derived from history (any version's content, the per-user undo and
 * redo stacks) reads the same on the target.
 *
 * <p>Each config is read from the source in one read transaction and written to the target in one
 * write transaction (its config row, the revision rows the target lacks, its fence), so it is on
 * the target whole or not at all, and a run that was stopped is finished by running it again. A
 * config already on the target with the same history is left alone; one whose history there is an
 * older part of the source's gets the newer revisions; any other is refused, unless {@code
 * overwrite} replaces it. Fences only grow on the target. Audit rows are copied in a pass of their
 * own, those the target lacks, in the source's order. Tokens are copied only when asked; locks
 * never (a lock belongs to a client talking to the source).
 *
 * <p>Thread-safety: {@link #run} is called once; it uses worker threads of its own and calls the
 * listener from them.
 */
public final class StoreCopy {
  /** What to copy and how. */
  public record Options(boolean tokens, boolean overwrite, boolean dryRun, int concurrency) {
    public Options {
      if (concurrency < 1 || concurrency > 64) {
        throw new IllegalArgumentException("concurrency is 1-64");
      }
    }
  }

  /** What became of one config. */
  public enum Outcome {
    COPIED("copied"),
    CAUGHT_UP("caught up"),
    UNCHANGED("already there"),
    REPLACED("replaced"),
    REFUSED("refused"),
    FAILED("failed");

    public final String label;

    Outcome(String label) {
      this.label = label;
    }
  }

  /** Told how the copy goes; called from worker threads, so it must be thread-safe. */
  public interface Listener {
    /** A phase begins: {@code copy} or {@code verify}, over {@code total} configs. */
    default void phase(String name, int total) {}

    /** One config of the phase is done. */
    default void done(ConfigRef ref, Outcome outcome) {}
  }

  /** Tokens: copied, already there, revocations carried over, refused, and left behind. */
  public record TokenCounts(int copied, int unchanged, int revoked, int refused, int notCopied) {}

  /** What a run did (with {@code dryRun}: would do). */
  public record Report(
      boolean dryRun,
      int tenants,
      int configs,
      Map<Outcome, Integer> outcomes,
      long revisions,
      long auditRows,
      int fences,
      TokenCounts tokens,
      int liveLocks,
      List<String> refused,
      List<String> failed,
      List<String> mismatches,
      int verified,
      List<String> changedOnSource,
      long nanos) {
    /** Whether every config is on the target and verified equal to what was read. */
    public boolean ok() {
      return refused.isEmpty() && failed.isEmpty() && mismatches.isEmpty();
    }
  }

  private static final List<String> TABLES =
      List.of("configs", "revisions", "fences", "audit", "tokens");

  /** A column the database makes itself (a serial key): the target numbers its rows anew. */
  private static final Set<String> NOT_COPIED = Set.of("audit.seq");

  private static final int PAGE = 1000;

  private final JdbcConfigRepository from;
  private final JdbcConfigRepository to;
  private final Database source;
  private final Database target;
  private final Options options;
  private final Listener listener;
  private final Map<String, TableRows> tables = new HashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicLong revisions = new AtomicLong();
  private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failed = Collections.synchronizedList(new ArrayList<>());

  /** Configs refused or failed: their audit rows stay behind too. */
  private final Set<ConfigRef> left = ConcurrentHashMap.newKeySet();

  private final Map<ConfigRef, Fingerprint> copied = new ConcurrentHashMap<>();

  public StoreCopy(
      JdbcConfigRepository from, JdbcConfigRepository to, Options options, Listener listener) {
    this.from = from;
    this.to = to;
    this.source = from.database();
    this.target = to.database();
    this.options = options;
    this.listener = listener;
  }

  /** Copies, then verifies; refusals and failures are in the report. Schemas are checked first. */
  public Report run() {
    long t0 = System.nanoTime();
    checkSchemas();
    TokenCounts tokens = copyTokens();
    List<ConfigRef> refs = source.read(StoreCopy::configs);
    Map<Outcome, Integer> outcomes = copyConfigs(refs);
    int fences = 0;
    long[] audit = {0, 0};
    List<String> mismatches = new ArrayList<>();
    int verified = 0;
    if (!stop.get()) { // after a failure, the next run does the rest
      fences = copyFences();
      audit = copyAudit();
      if (!options.dryRun()) {
        verified = verify(refs, mismatches);
        mismatches.addAll(verifyAudit(audit[1]));
        mismatches.addAll(verifyTokens());
      }
    }
    int liveLocks =
        source.read(
            c ->
                count(
                    c,
                    "SELECT COUNT(*) FROM locks WHERE ended_at IS NULL" + " AND expires_at > ?",
                    from.clock().millis()));
    Set<String> tenants = new TreeSet<>();
    refs.forEach(r -> tenants.add(r.tenant()));
    return new Report(
        options.dryRun(),
        tenants.size(),
        refs.size(),
        outcomes,
        revisions.get(),
        audit[0],
        fences,
        tokens,
        liveLocks,
        sorted(refused),
        sorted(failed),
        mismatches,
        verified,
        changedOnSource(),
        System.nanoTime() - t0);
  }

  // ---------------------------------------------------------------- schemas

  /**
   * Both were opened through {@link JdbcConfigRepository}, so both schemas are this program's
   * latest unless a newer cfgctl wrote one of them: then refuse, rather than drop its columns. The
   * columns copied are those both schemas have, minus the ones each database makes itself.
   */
  private void checkSchemas() {
    int s = source.read(c -> count(c, "SELECT MAX(version) FROM schema_version"));
    int t = target.read(c -> count(c, "SELECT MAX(version) FROM schema_version"));
    if (s != t) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "the source's schema is version "
              + s
              + " and the target's "
              + t
              + ": a newer cfgctl has written to "
              + (s > t ? "the source" : "the target")
              + "; copy with that version");
    }
    for (String table : TABLES) {
      List<String> theirs = source.read(c -> TableRows.columnsOf(c, table));
      List<String> ours = target.read(c -> TableRows.columnsOf(c, table));
      List<String> both = new ArrayList<>();
      for (String column : theirs) {
        if (NOT_COPIED.contains(table + "." + column)) continue;
        if (!ours.contains(column)) {
          throw new StoreException(
              Problem.INVALID_REQUEST,
              "the target's table "
                  + table
                  + " has no column "
                  + column
                  + ": copying would lose it");
        }
        both.add(column);
      }
      tables.put(table, new TableRows(table, both));
    }
  }

  // ---------------------------------------------------------------- configs

  private static List<ConfigRef> configs(Connection c) throws SQLException {
    List<ConfigRef> refs = new ArrayList<>();
    try (PreparedStatement s =
            c.prepareStatement("SELECT tenant, name FROM configs" + " ORDER BY tenant, name");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) refs.add(new ConfigRef(rs.getString(1), rs.getString(2)));
    }
    return refs;
  }

  private Map<Outcome, Integer> copyConfigs(List<ConfigRef> refs) {
    listener.phase("copy", refs.size());
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) outcomes.put(o, 0);
    for (Outcome o : inParallel(refs, this::copyOne)) {
      if (o != null) outcomes.merge(o, 1, Integer::sum);
    }
    return outcomes;
  }

  /** {@code work} on every config, {@code concurrency} at a time; the results in order. */
  private <T> List<T> inParallel(List<ConfigRef> refs, Function<ConfigRef, T> work) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.concurrency(),
            r -> {
              Thread t = new Thread(r, "cfgctl-store-copy");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (ConfigRef ref : refs) futures.add(pool.submit(() -> work.apply(ref)));
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) results.add(f.get());
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One config, in one source read and (unless there is nothing to do) one target write. */
  private Outcome copyOne(ConfigRef ref) {
    if (stop.get()) return null; // an earlier config failed: leave the rest to the next run
    Outcome outcome;
    try {
      Side src = source.snapshot(c -> Side.read(c, this, from, ref, true));
      if (src.config == null) {
        throw new StoreException(Problem.NOT_FOUND, "vanished from the source");
      }
      // a first look without a transaction: the write below decides again, inside its own
      Plan plan = target.read(c -> plan(ref, src, Side.read(c, this, to, ref, false)));
      if (!options.dryRun() && plan.writes()) {
        plan =
            target.write(
                ref.toString(),
                c -> {
                  Plan p = plan(ref, src, Side.read(c, this, to, ref, false));
                  if (p.outcome == Outcome.REFUSED) return p;
                  apply(c, ref, src, p);
                  return p;
                });
      }
      outcome = plan.outcome;
      if (outcome == Outcome.REFUSED) {
        refused.add(ref + ": " + plan.refusal);
        left.add(ref);
      } else {
        revisions.addAndGet(plan.missing.size());
        copied.put(ref, src.fingerprint(src.oldest()));
      }
      listener.done(ref, outcome);
    } catch (RuntimeException e) {
      failed.add(ref + ": " + e.getMessage());
      left.add(ref);
      stop.set(true);
      outcome = Outcome.FAILED;
    }
    return outcome;
  }

  /** What the target needs for one config. */
  private record Plan(
      Outcome outcome,
      String refusal,
      List<Object[]> missing,
      boolean writeConfig,
      boolean raiseFence,
      boolean replace) {
    boolean writes() {
      return replace || writeConfig || raiseFence || !missing.isEmpty();
    }
  }

  private Plan plan(ConfigRef ref, Side src, Side dst) {
    boolean raiseFence = src.fence > dst.fence;
    if (dst.config == null && dst.revisions.isEmpty()) {
      return new Plan(Outcome.COPIED, null, src.revisions, true, raiseFence, false);
    }
    String refusal = refusal(ref, src, dst);
    if (refusal != null) {
      if (options.overwrite())
        return new Plan(Outcome.REPLACED, null, src.revisions, true, raiseFence, true);
      return new Plan(Outcome.REFUSED, refusal, List.of(), false, false, false);
    }
    Set<Long> have = new HashSet<>();
    for (Object[] r : dst.revisions) have.add(version(r));
    List<Object[]> missing = new ArrayList<>();
    for (Object[] r : src.revisions) if (!have.contains(version(r))) missing.add(r);
    boolean writeConfig =
        !Arrays.equals(TableRows.digest(src.config), TableRows.digest(dst.config));
    Outcome o = missing.isEmpty() && !writeConfig ? Outcome.UNCHANGED : Outcome.CAUGHT_UP;
    return new Plan(o, null, missing, writeConfig, raiseFence, false);
  }

  /**
   * Why the target's rows of a config are not an earlier state of the source's, or null when they
   * are: the same row at every version both hold, and the target's latest version among them (so
   * the two histories demonstrably meet; a config the source has pruned past cannot be told apart
   * from another of the same name).
   */
  private String refusal(ConfigRef ref, Side src, Side dst) {
    String on = "the target has it with another history: ";
    if (dst.config == null) return "the target has revision rows of it but no config row";
    long theirs = src.version();
    long ours = dst.version();
    if (ours > theirs) return on + "version " + ours + " there, " + theirs + " on the source";
    Map<Long, String> digests = src.digests();
    for (Map.Entry<Long, String> e : dst.digests().entrySet()) {
      String d = digests.get(e.getKey());
      if (d != null && !d.equals(e.getValue())) return on + "version " + e.getKey() + " differs";
    }
    if (!digests.containsKey(ours)) {
      return "the target has it at version "
          + ours
          + ", which the source no longer keeps: the"
          + " two cannot be compared";
    }
    return null;
  }

  private void apply(Connection c, ConfigRef ref, Side src, Plan p) throws SQLException {
    if (p.replace) delete(c, "revisions", ref);
    if (p.writeConfig) {
      delete(c, "configs", ref);
      tables.get("configs").insert(c, List.<Object[]>of(src.config));
    }
    tables.get("revisions").insert(c, p.missing);
    if (p.raiseFence) raiseFences(c, List.<Object[]>of(src.fenceRow));
  }

  private static void delete(Connection c, String table, ConfigRef ref) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM " + table + " WHERE tenant = ? AND name = ?")) {
      Sql.set(s, ref.tenant(), ref.name());
      s.executeUpdate();
    }
  }

  /** The fence rows' numbers, where they are above the target's: a new lock there gets more. */
  private void raiseFences(Connection c, List<Object[]> rows) throws SQLException {
    tables
        .get("fences")
        .insert(
            c,
            rows,
            " ON CONFLICT (tenant, name) DO UPDATE SET"
                + " fence = excluded.fence WHERE fences.fence < excluded.fence");
  }

  long version(Object[] revision) {
    return ((Number) revision[tables.get("revisions").index("version")]).longValue();
  }

  // ---------------------------------------------------------------- one config's rows

  /** One config's rows in one store, read in one transaction. */
  private static final class Side {
    final StoreCopy copy;
    Object[] config;
    List<Object[]> revisions;
    List<String> digests = new ArrayList<>();
    Object[] fenceRow;
    long fence;
    String contentHash;

    private Side(StoreCopy copy) {
      this.copy = copy;
    }

    static Side read(
        Connection c, StoreCopy copy, JdbcConfigRepository store, ConfigRef ref, boolean content)
        throws SQLException {
      Side s = new Side(copy);
      String where = " WHERE tenant = ? AND name = ?";
      List<Object[]> config = copy.tables.get("configs").read(c, where, ref.tenant(), ref.name());
      s.config = config.isEmpty() ? null : config.get(0);
      s.revisions =
          copy.tables
              .get("revisions")
              .read(c, where + " ORDER BY version", ref.tenant(), ref.name());
      for (Object[] r : s.revisions) s.digests.add(TableRows.hex(TableRows.digest(r)));
      TableRows fences = copy.tables.get("fences");
      List<Object[]> fence = fences.read(c, where, ref.tenant(), ref.name());
      s.fenceRow = fence.isEmpty() ? null : fence.get(0);
      s.fence = fence.isEmpty() ? 0 : ((Number) s.fenceRow[fences.index("fence")]).longValue();
      if (content && s.config != null) s.contentHash = contentHash(c, store, ref, s.version());
      return s;
    }

    /** SHA-256 of the latest version's compact JSON, rebuilt the way the store reads it. */
    private static String contentHash(
        Connection c, JdbcConfigRepository store, ConfigRef ref, long version) throws SQLException {
      try {
        String json = Json.compact(store.rows().contentAt(c, ref, version));
        return TableRows.hex(TableRows.sha256().digest(json.getBytes(StandardCharsets.UTF_8)));
      } catch (StoreException e) {
        return "unreadable (" + e.getMessage() + ")";
      }
    }

    long version() {
      TableRows t = copy.tables.get("configs");
      return ((Number) config[t.index("version")]).longValue();
    }

    long oldest() {
      return revisions.isEmpty() ? 0 : copy.version(revisions.get(0));
    }

    Map<Long, String> digests() {
      Map<Long, String> m = new LinkedHashMap<>();
      for (int i = 0; i < revisions.size(); i++) {
        m.put(copy.version(revisions.get(i)), digests.get(i));
      }
      return m;
    }

    /** What verification compares, over the revisions from version {@code oldest} on. */
    Fingerprint fingerprint(long oldest) {
      if (config == null) return new Fingerprint(oldest, 0, 0, "", "", "", fence);
      java.security.MessageDigest md = TableRows.sha256();
      int count = 0;
      for (int i = 0; i < revisions.size(); i++) {
        if (copy.version(revisions.get(i)) < oldest) continue;
        md.update(digests.get(i).getBytes(StandardCharsets.UTF_8));
        count++;
      }
      return new Fingerprint(
          oldest,
          version(),
          count,
          TableRows.hex(md.digest()),
          TableRows.hex(TableRows.digest(config)),
          contentHash,
          fence);
    }
  }

  /** A config as verification sees it. */
  private record Fingerprint(
      long oldest,
      long version,
      int revisions,
      String revisionsHash,
      String configHash,
      String contentHash,
      long fence) {}

  // ---------------------------------------------------------------- verification

  /** Reads every copied config back from the target and compares it with what was read. */
  private int verify(List<ConfigRef> refs, List<String> mismatches) {
    List<ConfigRef> todo = new ArrayList<>();
    for (ConfigRef ref : refs) if (copied.containsKey(ref)) todo.add(ref);
    listener.phase("verify", todo.size());
    List<String> found =
        inParallel(
            todo,
            ref -> {
              Fingerprint want = copied.get(ref);
              Side dst = target.snapshot(c -> Side.read(c, this, to, ref, true));
              String d = differences(want, dst.fingerprint(want.oldest));
              listener.done(ref, null);
              return d == null ? null : ref + ": " + d;
            });
    for (String d : found) if (d != null) mismatches.add(d);
    return todo.size();
  }

  private static String differences(Fingerprint want, Fingerprint got) {
    List<String> d = new ArrayList<>();
    if (got.version != want.version)
      d.add("latest version " + got.version + " on the target, " + want.version + " on the source");
    if (got.revisions != want.revisions)
      d.add(got.revisions + " revisions on the target, " + want.revisions + " on the source");
    else if (!got.revisionsHash.equals(want.revisionsHash)) d.add("revision rows differ");
    if (!got.configHash.equals(want.configHash)) d.add("config rows differ");
    if (!String.valueOf(got.contentHash).equals(want.contentHash)) {
      d.add(
          "content SHA-256 "
              + abbrev(got.contentHash)
              + " on the target, "
              + abbrev(want.contentHash)
              + " on the source");
    }
    if (got.fence < want.fence)
      d.add("fence " + got.fence + " on the target, " + want.fence + " on the source");
    return d.isEmpty() ? null : String.join("; ", d);
  }

  private static String abbrev(String hash) {
    return hash == null ? "none" : hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  /** Configs whose latest version on the source is not the one copied (written meanwhile). */
  private List<String> changedOnSource() {
    if (options.dryRun()) return List.of();
    Map<ConfigRef, Long> now =
        source.read(
            c -> {
              Map<ConfigRef, Long> m = new HashMap<>();
              try (PreparedStatement s =
                      c.prepareStatement("SELECT tenant, name, version FROM configs");
                  ResultSet rs = s.executeQuery()) {
                while (rs.next())
                  m.put(new ConfigRef(rs.getString(1), rs.getString(2)), rs.getLong(3));
              }
              return m;
            });
    List<String> changed = new ArrayList<>();
    for (Map.Entry<ConfigRef, Long> e : now.entrySet()) {
      Fingerprint f = copied.get(e.getKey());
      if (f == null && !stop.get() && !left.contains(e.getKey())) {
        changed.add(e.getKey() + " (created meanwhile)");
      } else if (f != null && f.version != e.getValue()) {
        changed.add(e.getKey() + " (version " + f.version + " copied, now " + e.getValue() + ")");
      }
    }
    return sorted(changed);
  }

  // ---------------------------------------------------------------- fences, audit, tokens

  /**
   * Every fence number, those of names that were locked but never created included, raised on the
   * target to at least the source's. Returns how many the target did not have.
   */
  private int copyFences() {
    TableRows fences = tables.get("fences");
    List<Object[]> rows = source.snapshot(c -> fences.read(c, " ORDER BY tenant, name"));
    Map<String, Long> theirs = new HashMap<>();
    for (Object[] r : target.snapshot(c -> fences.read(c, ""))) {
      theirs.put(
          r[fences.index("tenant")] + "/" + r[fences.index("name")],
          ((Number) r[fences.index("fence")]).longValue());
    }
    List<Object[]> raise = new ArrayList<>();
    for (Object[] r : rows) {
      Long have = theirs.get(r[fences.index("tenant")] + "/" + r[fences.index("name")]);
      if (have == null || have < ((Number) r[fences.index("fence")]).longValue()) raise.add(r);
    }
    if (!options.dryRun()) {
      for (int i = 0; i < raise.size(); i += PAGE) {
        List<Object[]> page = raise.subList(i, Math.min(raise.size(), i + PAGE));
        target.write(
            "fences",
            c -> {
              raiseFences(c, page);
              return null;
            });
      }
    }
    return raise.size();
  }

  /**
   * The audit rows the target lacks, in the source's order, a page per transaction. Audit rows have
   * no index by config, so they are not read per config (that would scan the table once per config)
   * but in one pass: the target's rows as a sorted array of short digests, the source's streamed by
   * their sequence number. Rows of configs refused are left out; token events only with tokens.
   */
  private long[] copyAudit() {
    TableRows audit = tables.get("audit");
    Multiset have = new Multiset(target.snapshot(c -> digests(c, audit, auditFilter())));
    long copiedRows = 0;
    long after = Long.MIN_VALUE;
    while (true) {
      List<Object[]> page = new ArrayList<>();
      long last = auditPage(after, Long.MAX_VALUE, page);
      if (last == after) return new long[] {copiedRows, after};
      after = last;
      List<Object[]> missing = new ArrayList<>();
      for (Object[] r : page) {
        if (!have.take(TableRows.short64(TableRows.digest(r)))) missing.add(r);
      }
      if (!options.dryRun() && !missing.isEmpty()) {
        target.write(
            "audit",
            c -> {
              audit.insert(c, missing);
              return null;
            });
      }
      copiedRows += missing.size();
    }
  }

  /** Whether every source audit row up to {@code upTo} (its sequence number) is on the target. */
  private List<String> verifyAudit(long upTo) {
    Multiset have =
        new Multiset(target.snapshot(c -> digests(c, tables.get("audit"), auditFilter())));
    long lacking = 0;
    long after = Long.MIN_VALUE;
    while (after < upTo) {
      List<Object[]> page = new ArrayList<>();
      long last = auditPage(after, upTo, page);
      if (last == after) break;
      after = last;
      for (Object[] r : page) if (!have.take(TableRows.short64(TableRows.digest(r)))) lacking++;
    }
    return lacking == 0 ? List.of() : List.of(lacking + " audit rows are not on the target");
  }

  private String auditFilter() {
    return options.tokens() ? "" : " WHERE tenant IS NOT NULL";
  }

  /**
   * The source's next page of audit rows to copy, after sequence number {@code after} and up to
   * {@code upTo}, into {@code page}; returns the last sequence number read ({@code after} when
   * there are no more rows).
   */
  private long auditPage(long after, long upTo, List<Object[]> page) {
    TableRows audit = tables.get("audit");
    int tenant = audit.index("tenant");
    int name = audit.index("name");
    String filter = options.tokens() ? "" : " AND tenant IS NOT NULL";
    return source.read(
        c -> {
          long seq = after;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT seq, "
                      + String.join(", ", audit.columns())
                      + " FROM audit WHERE seq > ? AND seq <= ?"
                      + filter
                      + " ORDER BY seq LIMIT "
                      + PAGE)) {
            Sql.set(s, after, upTo);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                seq = rs.getLong(1);
                Object[] r = audit.row(rs, 1);
                if (r[tenant] == null
                    || r[name] == null
                    || !left.contains(new ConfigRef((String) r[tenant], (String) r[name]))) {
                  page.add(r);
                }
              }
            }
          }
          return seq;
        });
  }

  private static long[] digests(Connection c, TableRows t, String where) throws SQLException {
    long[] all = new long[16];
    int n = 0;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(t.select() + where)) {
      while (rs.next()) {
        if (n == all.length) all = Arrays.copyOf(all, n * 2);
        all[n++] = TableRows.short64(TableRows.digest(t.row(rs, 0)));
      }
    }
    return Arrays.copyOf(all, n);
  }

  /** Short digests, each taken at most as often as it occurs. */
  private static final class Multiset {
    private final long[] sorted;
    private final boolean[] taken;

    Multiset(long[] values) {
      sorted = values.clone();
      Arrays.sort(sorted);
      taken = new boolean[sorted.length];
    }

    /** Takes one occurrence of {@code v}; false when there is none left. */
    boolean take(long v) {
      int i = Arrays.binarySearch(sorted, v);
      if (i < 0) return false;
      while (i > 0 && sorted[i - 1] == v) i--;
      for (; i < sorted.length && sorted[i] == v; i++) {
        if (!taken[i]) {
          taken[i] = true;
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Tokens by id: a token the target lacks is inserted (its old secret then works there), one it
   * has is left alone but for a revocation made since on the source, which is carried over. An id
   * or secret hash the target holds for another token is refused.
   */
  private TokenCounts copyTokens() {
    TableRows tokens = tables.get("tokens");
    List<Object[]> theirs = source.snapshot(c -> tokens.read(c, " ORDER BY id"));
    if (!options.tokens()) return new TokenCounts(0, 0, 0, 0, theirs.size());
    int id = tokens.index("id");
    int hash = tokens.index("hash");
    int revokedAt = tokens.index("revoked_at");
    int[] n = new int[4];
    Database.Work<Void> work =
        c -> {
          Arrays.fill(n, 0);
          Map<Object, Object[]> byId = new HashMap<>();
          Map<Object, Object[]> byHash = new HashMap<>();
          for (Object[] t : tokens.read(c, "")) {
            byId.put(t[id], t);
            byHash.put(t[hash], t);
          }
          List<Object[]> insert = new ArrayList<>();
          for (Object[] t : theirs) {
            Object[] ours = byId.get(t[id]);
            if (ours == null && byHash.get(t[hash]) == null) {
              insert.add(t);
              n[0]++;
            } else if (ours == null || !ours[hash].equals(t[hash])) {
              refused.add(
                  "token " + t[id] + ": the target has another token with this id or secret");
              n[3]++;
            } else if (t[revokedAt] != null && ours[revokedAt] == null) {
              if (!options.dryRun()) revoke(c, t[id], t[revokedAt]);
              n[2]++;
            } else {
              n[1]++;
            }
          }
          if (!options.dryRun()) tokens.insert(c, insert);
          return null;
        };
    if (options.dryRun()) target.snapshot(work);
    else target.write("tokens", work);
    return new TokenCounts(n[0], n[1], n[2], n[3], 0);
  }

  private static void revoke(Connection c, Object id, Object at) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("UPDATE tokens SET revoked_at = ? WHERE id = ?")) {
      Sql.set(s, at, id);
      s.executeUpdate();
    }
  }

  /** Every source token the target should have is there with the same secret hash. */
  private List<String> verifyTokens() {
    if (!options.tokens()) return List.of();
    TableRows tokens = tables.get("tokens");
    int id = tokens.index("id");
    int hash = tokens.index("hash");
    Map<Object, Object> ours = new HashMap<>();
    for (Object[] t : target.snapshot(c -> tokens.read(c, ""))) ours.put(t[id], t[hash]);
    List<String> d = new ArrayList<>();
    for (Object[] t : source.snapshot(c -> tokens.read(c, ""))) {
      String refusal = "token " + t[id] + ":";
      boolean wasRefused;
      synchronized (refused) {
        wasRefused = refused.stream().anyMatch(r -> r.startsWith(refusal));
      }
      if (!wasRefused && !t[hash].equals(ours.get(t[id]))) d.add("token " + t[id] + " missing");
    }
    return d;
  }

  // ---------------------------------------------------------------- small things

  private static int count(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      Sql.set(s, args);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  private static List<String> sorted(List<String> list) {
    synchronized (list) {
      List<String> copy = new ArrayList<>(list);
      Collections.sort(copy);
      return copy;
    }
  }
}
