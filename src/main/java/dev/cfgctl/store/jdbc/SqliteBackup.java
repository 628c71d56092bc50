package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/**
 * An online backup of the embedded store: {@code VACUUM INTO} a new file. It runs in one read
 * transaction on the store, so it is a consistent snapshot of the last committed state, and in WAL
 * mode it neither waits for nor blocks a server writing meanwhile (it never takes the write lock).
 * The file is written under a temporary name, owner-only, checked, forced to disk and only then
 * renamed into place, so a backup interrupted half-way never looks like one. Stateless; each call
 * stands alone.
 */
public final class SqliteBackup {
  /** What a backup holds. */
  public record Result(
      Path file, long tenants, long configs, long revisions, long bytes, long nanos) {}

  private SqliteBackup() {}

  /** Backs up the store file {@code store} to {@code file}, replacing one only if asked. */
  public static Result backup(Path store, Path file, boolean replace) {
    long t0 = System.nanoTime();
    if (!Files.isRegularFile(store)) {
      throw new StoreException(Problem.NOT_FOUND, "there is no store at " + store);
    }
    if (!replace && Files.exists(file)) {
      throw new StoreException(Problem.ALREADY_EXISTS, file + " already exists");
    }
    NativeLibrary.useCached();
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      // VACUUM INTO fills an existing empty file and keeps its permissions
      tmp =
          Files.createTempFile(
              dir,
              "." + file.getFileName() + ".",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (Connection c = open(store, false);
          PreparedStatement s = c.prepareStatement("VACUUM INTO ?")) {
        s.setString(1, tmp.toString());
        s.execute();
      }
      long[] counts;
      try (Connection c = open(tmp, true)) {
        counts = check(c);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      if (replace) {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(tmp, file); // refuses a file that appeared meanwhile
      }
      tmp = null;
      forceDirectory(dir);
      return new Result(
          file, counts[0], counts[1], counts[2], Files.size(file), System.nanoTime() - t0);
    } catch (FileAlreadyExistsException e) {
      throw new StoreException(Problem.ALREADY_EXISTS, file + " already exists");
    } catch (SQLException e) {
      throw new StoreException(
          Problem.UNAVAILABLE, "cannot back up " + store + ": " + e.getMessage());
    } catch (IOException e) {
      throw new StoreException(Problem.UNAVAILABLE, "cannot write " + file + ": " + e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a stray temporary file is all that is left
        }
      }
    }
  }

  /**
   * The backup's own check: SQLite's quick check of its structure, and that it is a cfgctl store.
   * Returns its numbers of tenants, configs and revisions.
   */
  private static long[] check(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        String result = rs.next() ? rs.getString(1) : "no answer";
        if (!"ok".equals(result)) throw new SQLException("the backup is damaged: " + result);
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                  + " AND name IN ('schema_version', 'configs', 'revisions')")) {
        if (!rs.next() || rs.getInt(1) != 3) throw new SQLException("it is not a cfgctl store");
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT (SELECT COUNT(DISTINCT tenant) FROM configs),"
                  + " (SELECT COUNT(*) FROM configs), (SELECT COUNT(*) FROM revisions)")) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
      }
    }
  }

  private static Connection open(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(10_000);
    config.setReadOnly(readOnly);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every file system lets a directory be synced; the rename is still atomic
    }
  }
}
