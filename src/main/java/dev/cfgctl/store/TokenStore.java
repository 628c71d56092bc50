package dev.cfgctl.store;

import java.util.List;

/**
 * Bearer tokens: their administration (admins only, each within their tenant) and what a secret
 * stands for. A server can authenticate through this alone; every {@link ConfigStore} is one.
 * Implementations are thread-safe.
 */
public interface TokenStore {
  Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays);

  List<Token> tokens(Principal who);

  void revokeToken(Principal who, String id);

  /**
   * The principal a bearer token stands for; {@code unauthorized} when it is unknown, expired or
   * revoked.
   */
  Principal authenticate(String secret);
}
