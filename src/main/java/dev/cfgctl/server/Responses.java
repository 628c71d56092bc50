package dev.cfgctl.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.DocumentHeaders;
import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.api.ProblemStatus;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writing answers: JSON bodies, problem+json, and the one place where a response gets the version
 * headers of a document or of a new version. Thread-safe (stateless).
 */
final class Responses {
  private Responses() {}

  /** A document's ETag, time, version and author, for a read or a write that answers it. */
  static void document(Context ctx, Document d) {
    DocumentHeaders.write(d, ctx::header);
  }

  /** The version a write made when it answers no document (a delete, an undo, a rollback). */
  static void newVersion(Context ctx, long version) {
    DocumentHeaders.writeVersion(version, ctx::header);
    markReplayed(ctx);
  }

  /**
   * The response to a content write: the new content, or with {@code Prefer: return=minimal} (RFC
   * 7240) no body (204; 201 stays 201), for clients that only need the new version.
   */
  static void written(Context ctx, int status, Document d) {
    document(ctx, d);
    if (d.unchanged()) ctx.header(DocumentHeaders.UNCHANGED, "true");
    markReplayed(ctx);
    String prefer = ctx.header("Prefer");
    boolean minimal = prefer != null && prefer.contains("return=minimal");
    // a replay whose version is no longer retained has no content to send again
    if (minimal || d.content() == null) {
      if (minimal) ctx.header("Preference-Applied", "return=minimal");
      ctx.status(status == 201 ? 201 : 204);
      return;
    }
    json(ctx, status, d.content());
  }

  /** Says so when the answer is the remembered one of a write made before under its key. */
  static void markReplayed(Context ctx) {
    if (Requests.replayed(ctx)) ctx.header("Idempotent-Replayed", "true");
  }

  /** Writes {@code body} straight to the response, so a large config is never held as text too. */
  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType(MediaTypes.JSON);
    try {
      Json.write(body, ctx.outputStream(), false);
    } catch (IOException e) {
      // the client went away: there is no one to answer
    }
  }

  static void problem(Context ctx, StoreException e) {
    ctx.status(ProblemStatus.of(e.problem()));
    ctx.contentType(MediaTypes.PROBLEM_JSON);
    ctx.result(Json.compact(ProblemJson.encode(e)).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The problem answer written out at once: for a refused WebSocket upgrade, whose answer Javalin
   * would leave without its body.
   */
  static void problemNow(Context ctx, StoreException e) throws IOException {
    byte[] body = Json.compact(ProblemJson.encode(e)).getBytes(StandardCharsets.UTF_8);
    ctx.res().setStatus(ProblemStatus.of(e.problem()));
    ctx.res().setContentType(MediaTypes.PROBLEM_JSON);
    ctx.res().setContentLength(body.length);
    ctx.res().getOutputStream().write(body);
    ctx.res().flushBuffer();
  }
}
