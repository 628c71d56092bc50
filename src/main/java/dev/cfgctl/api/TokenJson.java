package dev.cfgctl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
import java.time.Instant;
import java.util.List;

/**
 * Tokens on the wire: their public records, and a new token's record with its secret, which is sent
 * once. Thread-safe (stateless).
 */
public final class TokenJson {
  private TokenJson() {}

  public static ObjectNode encodeIssued(Token.Issued t) {
    ObjectNode o = t.token().toJson();
    o.put("token", t.secret());
    return o;
  }

  public static Token.Issued decodeIssued(JsonNode o) {
    return new Token.Issued(decode(o), o.get("token").textValue());
  }

  public static ObjectNode encodeList(List<Token> tokens) {
    return PageJson.items(tokens, Token::toJson);
  }

  public static List<Token> decodeList(JsonNode list) {
    return PageJson.decode(list, TokenJson::decode).items();
  }

  private static Token decode(JsonNode o) {
    return new Token(
        o.get("id").asText(),
        new Principal(
            o.get("user").asText(),
            o.get("displayName").asText(),
            o.get("tenant").asText(),
            Role.parse(o.get("role").asText())),
        time(o, "createdAt"),
        time(o, "expiresAt"),
        time(o, "revokedAt"));
  }

  private static Instant time(JsonNode o, String member) {
    JsonNode v = o.get(member);
    return v == null || v.isNull() ? null : Times.parse(v.asText(), member);
  }
}
