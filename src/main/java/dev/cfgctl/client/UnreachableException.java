package dev.cfgctl.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;

/**
 * No answer from the server at all: the connection was refused, timed out, broke or failed its TLS
 * handshake. A {@link Problem#UNAVAILABLE} (exit 7) like a server's own 503, but no HTTP response
 * came, so its problem object carries no {@code status}: its type is {@code /problems/unreachable},
 * and the members say which server ({@code server}) and why ({@code cause}: {@code refused}, {@code
 * unknown-host}, {@code timeout}, {@code tls}, {@code closed} (without a word, as a TLS server does
 * to plain text), {@code broken}, or {@code lost}: a write sent before the connection broke).
 */
public final class UnreachableException extends StoreException {
  UnreachableException(String detail, String server, String cause) {
    super(Problem.UNAVAILABLE, detail);
    with("server", server);
    with("cause", cause);
  }

  /** Why the server could not be reached: one of the {@code cause} values above. */
  public String kind() {
    return members().path("cause").asText();
  }

  /**
   * For a failed TLS handshake, what failed ({@code untrusted}, {@code hostname}, {@code expired},
   * {@code not-tls} or {@code handshake}); empty otherwise.
   */
  public String tls() {
    return members().path("tls").asText("");
  }

  /** The base URL of the server. */
  public String server() {
    return members().path("server").asText();
  }

  /** Its problem object: as a server's, but with no {@code status}, since none answered. */
  public ObjectNode toProblemJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("type", "/problems/unreachable");
    o.put("title", "Server unreachable");
    o.put("detail", getMessage());
    o.setAll(members());
    return o;
  }
}
