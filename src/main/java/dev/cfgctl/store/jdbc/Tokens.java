package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.jdbc.Sql.audit;
import static dev.cfgctl.store.jdbc.Sql.detail;
import static dev.cfgctl.store.jdbc.Sql.random;
import static dev.cfgctl.store.jdbc.Sql.set;

import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Token;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens of the JDBC store: random secrets shown once, stored as SHA-256 hashes. Callers
 * decide who may administer tokens first; a tenant's tokens stay invisible to others here.
 */
final class Tokens {
  /**
   * How long a token read from the database is trusted without reading it again. Revoking through
   * this store takes effect at once; a revocation through another server or process sharing the
   * database as soon as its notice arrives ({@link ChangeWatch}: milliseconds), and within this
   * time at the latest (a server that runs no change watch).
   */
  private static final long TRUSTED_NANOS = 1_000_000_000L;

  private final Database db;
  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  /**
   * When the last revocation through this store committed: tokens read before it are read again.
   */
  private volatile long revokedAtNanos = System.nanoTime();

  private record Known(Token token, long readAtNanos) {}

  Tokens(Database db, Clock clock, ChangeWatch changes) {
    this.db = db;
    this.clock = clock;
    changes.onTokens(this::revokedElsewhere);
  }

  /** A token was revoked through another server or process: every token is read again. */
  private void revokedElsewhere() {
    revokedAtNanos = System.nanoTime();
    known.clear();
  }

  /** Issues a token for {@code subject} on behalf of {@code who}. */
  Token.Issued create(Principal who, Principal subject, Integer expiresInDays) {
    if (subject.id() == null || subject.id().isBlank() || subject.id().length() > 200) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "a token needs a user id (1-200 characters)");
    }
    if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
      throw new StoreException(Problem.INVALID_REQUEST, "expiresInDays must be between 1 and 3650");
    }
    return db.write("tokens", c -> issue(c, who, subject, expiresInDays));
  }

  /**
   * On first start of a server: when no token exists, creates an admin token for all tenants and
   * returns it (its secret is shown once); otherwise empty.
   */
  Optional<Token.Issued> bootstrapAdmin() {
    Principal admin = new Principal("admin", "admin", Principal.ALL_TENANTS, Role.ADMIN);
    return db.write(
        "tokens",
        c -> {
          try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM tokens");
              ResultSet rs = s.executeQuery()) {
            rs.next();
            if (rs.getLong(1) > 0) return Optional.empty();
          }
          return Optional.of(issue(c, admin, admin, null));
        });
  }

  private Token.Issued issue(Connection c, Principal who, Principal subject, Integer days)
      throws SQLException {
    Instant now = clock.instant();
    String secret = "cfgctl_" + random(32);
    Token t =
        new Token(
            "tok_" + random(9),
            new Principal(
                subject.id(),
                subject.name() == null || subject.name().isBlank() ? subject.id() : subject.name(),
                subject.tenant(),
                subject.role()),
            now,
            days == null ? null : now.plusSeconds(days * 86400L),
            null);
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO tokens (id, hash, user_id,"
                + " display_name, tenant, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      set(
          s,
          t.id(),
          hash(secret),
          t.principal().id(),
          t.principal().name(),
          t.principal().tenant(),
          t.principal().role().label(),
          now.toEpochMilli(),
          t.expiresAt() == null ? null : t.expiresAt().toEpochMilli());
      s.executeUpdate();
    }
    audit(
        c,
        null,
        who,
        now,
        "token-created",
        detail("token", t.id(), "user", subject.id(), "role", subject.role().label()));
    return new Token.Issued(t, secret);
  }

  /** The tokens of the tenants {@code who} sees. */
  List<Token> list(Principal who) {
    return db.read(
        c -> {
          List<Token> tokens = new ArrayList<>();
          try (PreparedStatement s =
                  c.prepareStatement(TOKEN_COLUMNS + " FROM tokens ORDER BY created_at, id");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              Token t = token(rs);
              if (who.sees(t.principal().tenant())) tokens.add(t);
            }
          }
          return tokens;
        });
  }

  /** Revokes a token of a tenant {@code who} sees; any other is not found. */
  void revoke(Principal who, String id) {
    db.write(
        "tokens",
        c -> {
          Token t = null;
          try (PreparedStatement s =
              c.prepareStatement(TOKEN_COLUMNS + " FROM tokens WHERE id = ?")) {
            set(s, id);
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next()) t = token(rs);
            }
          }
          if (t == null || !who.sees(t.principal().tenant())) {
            throw new StoreException(Problem.NOT_FOUND, "no token " + id);
          }
          Instant now = clock.instant();
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            set(s, now.toEpochMilli(), id);
            s.executeUpdate();
          }
          audit(c, null, who, now, "token-revoked", detail("token", id));
          ChangeWatch.notifyTokens(c, db.dialect);
          return null;
        });
    revokedAtNanos = System.nanoTime();
    known.clear();
  }

  Principal authenticate(String secret) {
    StoreException refused =
        new StoreException(Problem.UNAUTHORIZED, "the bearer token is unknown, expired or revoked");
    if (secret == null || secret.length() > 200) throw refused;
    String hash = hash(secret);
    Known k = known.get(hash);
    Token t;
    if (k != null
        && k.readAtNanos - revokedAtNanos > 0
        && System.nanoTime() - k.readAtNanos < TRUSTED_NANOS) {
      t = k.token;
    } else {
      long readAt = System.nanoTime();
      t =
          db.read(
              c -> {
                try (PreparedStatement s =
                    c.prepareStatement(TOKEN_COLUMNS + " FROM tokens WHERE hash = ?")) {
                  set(s, hash);
                  try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? token(rs) : null;
                  }
                }
              });
      if (t != null) {
        if (known.size() >= 10_000) known.clear();
        known.put(hash, new Known(t, readAt));
      }
    }
    Instant now = clock.instant();
    if (t == null
        || t.revokedAt() != null
        || (t.expiresAt() != null && !t.expiresAt().isAfter(now))) {
      throw refused;
    }
    return t.principal();
  }

  private static final String TOKEN_COLUMNS =
      "SELECT id, user_id, display_name, tenant, role," + " created_at, expires_at, revoked_at";

  private static Token token(ResultSet rs) throws SQLException {
    return new Token(
        rs.getString(1),
        new Principal(
            rs.getString(2), rs.getString(3), rs.getString(4), Role.parse(rs.getString(5))),
        Instant.ofEpochMilli(rs.getLong(6)),
        instant(rs, 7),
        instant(rs, 8));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static String hash(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
