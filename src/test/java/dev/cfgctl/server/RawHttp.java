package dev.cfgctl.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client over one keep-alive socket that sends requests byte for byte as built:
 * header values that are not ASCII, control characters, duplicate or missing headers, bodies
 * without a Content-Type, chunked bodies. {@code java.net.http} refuses or rewrites most of these.
 * Not thread-safe: one per thread.
 */
final class RawHttp implements AutoCloseable {
  /** One request: the request target is sent as it is (percent-encode it yourself). */
  static final class Request {
    final String method;
    final byte[] target;
    final List<String[]> headers = new ArrayList<>();
    final List<byte[][]> rawHeaders = new ArrayList<>();
    byte[] body;

    /** Sends the body chunked (in pieces of this many bytes) instead of with a Content-Length. */
    int chunkSize;

    Request(String method, String target) {
      this(method, target.getBytes(StandardCharsets.UTF_8));
    }

    Request(String method, byte[] target) {
      this.method = method;
      this.target = target;
    }

    Request header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }

    /** A header whose value is sent as these bytes (e.g. UTF-8 or Latin-1, or control bytes). */
    Request rawHeader(String name, byte[] value) {
      rawHeaders.add(new byte[][] {name.getBytes(StandardCharsets.US_ASCII), value});
      return this;
    }

    Request body(byte[] body) {
      this.body = body;
      return this;
    }

    String header(String name) {
      for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
      for (byte[][] h : rawHeaders) {
        if (new String(h[0], StandardCharsets.US_ASCII).equalsIgnoreCase(name)) {
          return new String(h[1], StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    String targetText() {
      return new String(target, StandardCharsets.ISO_8859_1);
    }

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (body == null ? 0 : body.length));
      out.writeBytes(method.getBytes(StandardCharsets.US_ASCII));
      out.write(' ');
      out.writeBytes(target);
      out.writeBytes(" HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      for (String[] h : headers) {
        out.writeBytes((h[0] + ": ").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(h[1].getBytes(StandardCharsets.UTF_8));
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      for (byte[][] h : rawHeaders) {
        out.writeBytes(h[0]);
        out.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(h[1]);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      if (body != null && chunkSize > 0) {
        out.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length; i += chunkSize) {
          int n = Math.min(chunkSize, body.length - i);
          out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(body, i, n);
          out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } else {
        if (body != null || !method.equals("GET") && !method.equals("DELETE")) {
          int n = body == null ? 0 : body.length;
          out.writeBytes(("Content-Length: " + n + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        if (body != null) out.writeBytes(body);
      }
      return out.toByteArray();
    }

    /** The request as a curl command line (bodies shortened), for reports. */
    String curl(String base) {
      StringBuilder b =
          new StringBuilder("curl -sS -i -X ")
              .append(method)
              .append(" '")
              .append(base)
              .append(shorten(targetText(), 300))
              .append('\'');
      for (String[] h : headers) {
        String v = h[0].equalsIgnoreCase("Authorization") ? h[1] : shorten(h[1], 200);
        b.append(" -H '").append(h[0]).append(": ").append(escape(v)).append('\'');
      }
      for (byte[][] h : rawHeaders) {
        b.append(" -H $'")
            .append(new String(h[0], StandardCharsets.US_ASCII))
            .append(": ")
            .append(escapeBytes(h[1], 200))
            .append('\'');
      }
      if (chunkSize > 0) b.append(" -H 'Transfer-Encoding: chunked'");
      if (body != null) {
        b.append(" --data-binary $'").append(escapeBytes(body, 600)).append('\'');
      }
      return b.toString();
    }
  }

  /** A response: status, headers (names in lower case, the first of each), body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + shorten(text(), 800);
    }
  }

  private final String host;
  private final int port;
  private final int timeoutMillis;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawHttp(String host, int port, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Sends the request and reads the response. A connection the server closed while it was idle is
   * opened again and the request sent again (the server never saw it).
   */
  Response send(Request r) {
    byte[] bytes = r.bytes();
    for (int attempt = 1; ; attempt++) {
      boolean fresh = socket == null;
      try {
        if (fresh) open();
        write(bytes);
        Response resp = read(r.method.equals("HEAD"));
        String conn = resp.header("Connection");
        if (conn != null && conn.toLowerCase(Locale.ROOT).contains("close")) close();
        return resp;
      } catch (IOException e) {
        close();
        if (fresh || attempt > 1 || !(e instanceof StaleConnection)) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Nothing came back on a connection that was already open: the server had closed it. */
  private static final class StaleConnection extends IOException {
    private static final long serialVersionUID = 1L;

    StaleConnection(String message) {
      super(message);
    }
  }

  private void open() throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), timeoutMillis);
    socket.setSoTimeout(timeoutMillis);
    socket.setTcpNoDelay(true);
    in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
    out = socket.getOutputStream();
  }

  private void write(byte[] bytes) throws IOException {
    if (bytes.length <= 256 * 1024) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new StaleConnection("write failed: " + e);
      }
      return;
    }
    // large: written from another thread, so a server that answers before reading it all is heard
    OutputStream o = out;
    Thread writer =
        new Thread(
            () -> {
              try {
                o.write(bytes);
                o.flush();
              } catch (IOException e) {
                // the server may stop reading once it has refused the request; its answer is what
                // counts
              }
            },
            "raw-http-writer");
    writer.setDaemon(true);
    writer.start();
  }

  private Response read(boolean head) throws IOException {
    String statusLine = line(true);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP response: " + shorten(statusLine, 200));
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l; !(l = line(false)).isEmpty(); ) {
      int colon = l.indexOf(':');
      if (colon <= 0) throw new IOException("bad header line: " + l);
      headers.putIfAbsent(
          l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    if (status == 100) return read(head); // 100-continue: the real answer follows
    byte[] body;
    String te = headers.get("transfer-encoding");
    String cl = headers.get("content-length");
    if (head || status == 204 || status == 304 || status < 200) {
      body = new byte[0];
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      while (true) {
        String size = line(false);
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!line(false).isEmpty()) {} // trailers
          break;
        }
        b.writeBytes(in.readNBytes(n));
        line(false);
      }
      body = b.toByteArray();
    } else if (cl != null) {
      int n = Integer.parseInt(cl);
      body = in.readNBytes(n);
      if (body.length < n) throw new IOException("body cut short: " + body.length + " of " + n);
    } else {
      body = in.readAllBytes();
      close();
    }
    return new Response(status, headers, body);
  }

  private String line(boolean first) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (first && b.size() == 0) throw new StaleConnection("connection closed by the server");
        throw new IOException("connection closed in the middle of a response");
      }
      if (c == '\n') break;
      if (c != '\r') b.write(c);
      if (b.size() > 1 << 20) throw new IOException("header line too long");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    socket = null;
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…(" + s.length() + " chars)";
  }

  private static String escape(String s) {
    return s.replace("'", "'\\''");
  }

  static String escapeBytes(byte[] b, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(b.length, max);
    for (int i = 0; i < n; i++) {
      int c = b[i] & 0xff;
      if (c == '\'' || c == '\\') sb.append('\\').append((char) c);
      else if (c >= 0x20 && c < 0x7f) sb.append((char) c);
      else sb.append(String.format("\\x%02x", c));
    }
    if (b.length > max) sb.append("…(").append(b.length).append(" bytes)");
    return sb.toString();
  }
}
