package dev.cfgctl.server;

import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.api.ProblemStatus;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Problem+json for the requests Jetty refuses before Javalin sees them: malformed request lines and
 * headers, undecodable URIs, headers or URIs over Jetty's size limits. Jetty's own error page is
 * HTML (and empty for methods other than GET, POST and HEAD). Statuses that have a problem of their
 * own keep it; a request whose body ended early (a stopping server) is a 503; every other refusal
 * is a 400 {@code invalid-request} whose detail names Jetty's reason, so the slug-to-status table
 * of API.md stays true. Thread-safe.
 */
final class JettyErrors extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ERROR_MESSAGE);
    Object error = request.getAttribute(ERROR_EXCEPTION);
    if (error instanceof HttpException e) {
      status = e.getCode();
      if (message == null) message = e.getReason();
    } else if (status == 500 && endOfInput(error)) {
      // the request's body ended early, as when a stopping server shuts its connections' input:
      // nothing was done with it, and the client may send it again (to this server or another)
      status = 503;
    }
    Problem problem =
        switch (status) {
          case 404 -> Problem.NOT_FOUND;
          case 405 -> Problem.METHOD_NOT_ALLOWED;
          case 413 -> Problem.TOO_LARGE;
          case 415 -> Problem.UNSUPPORTED_MEDIA_TYPE;
          case 500 -> Problem.INTERNAL;
          case 503 -> Problem.UNAVAILABLE;
          default -> Problem.INVALID_REQUEST;
        };
    String reason = HttpStatus.getMessage(status);
    String detail =
        "the server cannot read this HTTP request: "
            + reason
            + (message == null || message.equals(reason) ? "" : " (" + message + ")");
    byte[] body =
        Json.compact(ProblemJson.encode(new StoreException(problem, detail)))
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(ProblemStatus.of(problem));
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaTypes.PROBLEM_JSON);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private static boolean endOfInput(Object error) {
    for (Throwable t = error instanceof Throwable e ? e : null; t != null; t = t.getCause()) {
      if (t instanceof EofException) return true;
    }
    return false;
  }
}
