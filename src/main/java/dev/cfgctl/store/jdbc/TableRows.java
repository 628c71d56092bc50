package dev.cfgctl.store.jdbc;

import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The columns of one table that a copy carries from one database to the other, found by name in
 * both schemas, with the SQL to read and write them and a digest of a row that is the same on
 * SQLite and PostgreSQL. Immutable.
 */
record TableRows(String table, List<String> columns) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  /** The columns of {@code table} in the database behind {@code c}, lower case, in table order. */
  static List<String> columnsOf(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData m = rs.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= m.getColumnCount(); i++) {
        String name = m.getColumnName(i).toLowerCase(Locale.ROOT);
        if (!IDENTIFIER.matcher(name).matches()) {
          throw new StoreException(
              Problem.UNAVAILABLE,
              "table "
                  + table
                  + " has a column named \""
                  + name
                  + "\", which the copy cannot name safely");
        }
        names.add(name);
      }
      return names;
    }
  }

  int index(String column) {
    int i = columns.indexOf(column);
    if (i < 0) throw new IllegalStateException(table + " has no column " + column);
    return i;
  }

  /** {@code SELECT <columns> FROM <table>}, to which the caller adds its WHERE and ORDER BY. */
  String select() {
    return "SELECT " + String.join(", ", columns) + " FROM " + table;
  }

  String insert() {
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", columns)
        + ") VALUES ("
        + "?, ".repeat(columns.size() - 1)
        + "?)";
  }

  /** The rows {@code select() + rest} returns, each value as the driver gives it. */
  List<Object[]> read(Connection c, String rest, Object... args) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(select() + rest)) {
      Sql.set(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) rows.add(row(rs, 0));
      }
    }
    return rows;
  }

  /** The copied columns of the current row, starting after the first {@code skip} columns. */
  Object[] row(ResultSet rs, int skip) throws SQLException {
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) row[i] = rs.getObject(skip + i + 1);
    return row;
  }

  void insert(Connection c, List<Object[]> rows) throws SQLException {
    insert(c, rows, "");
  }

  /** Inserts the rows as one batch; {@code suffix} follows the VALUES (an ON CONFLICT clause). */
  void insert(Connection c, List<Object[]> rows, String suffix) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement s = c.prepareStatement(insert() + suffix)) {
      try {
        for (Object[] row : rows) {
          Sql.set(s, row);
          s.addBatch();
        }
        s.executeBatch();
      } finally {
        s.clearBatch(); // SQLite's connection keeps the statement for reuse: never with old rows
      }
    }
  }

  /**
   * SHA-256 of a row's values as text, the same for the same values read from either database:
   * SQLite gives an INTEGER column as Integer or Long, PostgreSQL a SMALLINT as Integer.
   */
  static byte[] digest(Object[] row) {
    MessageDigest md = sha256();
    for (Object v : row) {
      if (v == null) {
        md.update((byte) 0);
        continue;
      }
      byte[] text = text(v).getBytes(StandardCharsets.UTF_8);
      md.update((byte) 1);
      md.update(ByteBuffer.allocate(4).putInt(text.length).array());
      md.update(text);
    }
    return md.digest();
  }

  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** The first eight bytes of a digest: enough to tell audit rows apart, and small to hold. */
  static long short64(byte[] digest) {
    return ByteBuffer.wrap(digest).getLong();
  }

  private static String text(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Long.toString(((Number) v).longValue());
    }
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    if (v instanceof Boolean b) return b ? "1" : "0";
    if (v instanceof byte[] b) return HexFormat.of().formatHex(b);
    return v.toString();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
