package dev.cfgctl.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * A plain socket on a random loopback port that answers the n-th request (from 0) with the bytes
 * the script gives, then closes the connection: whatever a misbehaving server or proxy might send.
 * The script's {@link #HANG} keeps the connection open without answering.
 */
public final class ScriptedServer implements AutoCloseable {
  public static final byte[] HANG = new byte[0];

  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  /** Each request's Idempotency-Key header, or "" when it had none. */
  final List<String> keys = Collections.synchronizedList(new ArrayList<>());

  private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
  private final ServerSocket socket;
  private final IntFunction<byte[]> script;

  public ScriptedServer(IntFunction<byte[]> script) throws IOException {
    this.script = script;
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "scripted-server");
    t.setDaemon(true);
    t.start();
  }

  public String base() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  /** A whole HTTP/1.1 response. */
  public static byte[] http(int status, String contentType, String body, String... headers) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return concat(head(status, contentType, b.length, headers), b);
  }

  public static String head(int status, String contentType, long length, String... headers) {
    StringBuilder s = new StringBuilder("HTTP/1.1 " + status + " Scripted\r\n");
    if (contentType != null) s.append("Content-Type: ").append(contentType).append("\r\n");
    s.append("Content-Length: ").append(length).append("\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2)
      s.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    return s.append("\r\n").toString();
  }

  public static byte[] concat(String head, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private void serve() {
    for (int n = 0; ; n++) {
      Socket s;
      try {
        s = socket.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        String head = readRequest(s.getInputStream());
        keys.add(
            head.lines()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("idempotency-key:"))
                .map(l -> l.substring(16).trim())
                .findFirst()
                .orElse(""));
        requests.add(head.substring(0, head.indexOf("\r\n")));
        byte[] answer = script.apply(n);
        if (answer == HANG) {
          open.add(s);
          continue;
        }
        s.getOutputStream().write(answer);
        s.getOutputStream().flush();
        s.close();
      } catch (IOException e) {
        closeQuietly(s);
      }
    }
  }

  /** Reads the head and the body (by Content-Length); the head. */
  private static String readRequest(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int c = in.read();
      if (c < 0) throw new IOException("request ended early");
      head.write(c);
      matched = (c == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    long length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Long.parseLong(line.substring(15).trim());
      }
    }
    in.readNBytes((int) length);
    return text;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
    synchronized (open) {
      open.forEach(ScriptedServer::closeQuietly);
    }
  }
}
