package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input over a real server (PRODUCT.md section 6): every case is answered with its documented
 * 4xx problem+json, never a 500 or a stack trace, writes nothing, and leaves the server healthy.
 * Where java.net.http cannot send the bytes (invalid UTF-8 in a path, chunked or truncated bodies,
 * malformed request lines), a raw socket does.
 */
class BadInputApiTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";

  /** Where a test writes what must be accepted: another tenant, so the checks on CFG hold. */
  static final String SCRATCH = "/v1/tenants/scratch/configs/accepted";

  static final String DOC = "{\"title\":\"Spring\",\"items\":[1,2,3]}";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String editor;
  String admin;
  int checked;

  @BeforeEach
  void start() {
    s =
        new TestServer(
            Stores.sqlite(dir.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100), clock),
            clock);
    editor = s.token("alice", "acme", Role.EDITOR);
    admin = s.token("root", "acme", Role.ADMIN);
    Response c = s.send("PUT", CFG, editor, JSON, DOC, "If-None-Match", "*");
    assertThat(c.status()).as(c.toString()).isEqualTo(201);
  }

  /** After every test: still healthy, nothing written, and a normal write still works. */
  @AfterEach
  void stillHealthy() {
    try {
      assertThat(checked).as("cases checked").isPositive();
      assertThat(s.send("GET", "/v1/health", null, null, (String) null).status()).isEqualTo(200);
      assertUnchanged();
      Response w =
          s.send(
              "PATCH",
              CFG,
              editor,
              JSON_PATCH,
              "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Summer\"}]",
              "If-Match",
              "\"1\"");
      assertThat(w.status()).as(w.toString()).isEqualTo(200);
      assertThat(w.header("ETag")).isEqualTo("\"2\"");
      assertThat(s.log.toString(StandardCharsets.UTF_8))
          .as("server log")
          .doesNotContain("internal error");
    } finally {
      s.close();
    }
  }

  // ---------------------------------------------------------------- bodies

  @Test
  void malformedAndTruncatedJsonIsInvalidJsonWithItsPosition() {
    String[] bad = {
      "",
      "{",
      "{\"title\":",
      "{\"title\":\"Spr",
      "{\"a\":[1,2",
      "{\"a\":1,}",
      "[1 2]",
      "{'a':1}",
      "{\"a\":NaN}",
      "{\"a\":1} x",
      "{\"a\":1}{\"b\":2}",
      "{\"a\":1,\"a\":2}",
      "/* c */ {}",
      "\u0000",
      "{\"a\":\"\u0001\"}",
      "tru",
      "{\"a\":01}"
    };
    for (String body : bad) {
      Response put = s.send("PUT", CFG, editor, JSON, body, "If-Match", "\"1\"");
      refused(put, 400, "invalid-json");
      assertThat(put.json().has("line")).as(body).isTrue();
      assertThat(put.json().has("column")).as(body).isTrue();
      refused(s.send("PATCH", CFG, editor, JSON_PATCH, body), 400, "invalid-json");
      refused(s.send("PATCH", CFG, editor, MERGE_PATCH, body), 400, "invalid-json");
    }
    Response at =
        s.send("PUT", CFG, editor, JSON, "{\n  \"a\": [1,\n  2,,]\n}", "If-Match", "\"1\"");
    refused(at, 400, "invalid-json");
    assertThat(at.json().get("line").asInt()).isEqualTo(3);
  }

  @Test
  void aBodyCutShortOfItsContentLengthIsRefused() {
    byte[] head =
        ("PUT "
                + CFG
                + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + editor
                + "\r\nContent-Type: application/json\r\nIf-Match: \"1\"\r\nContent-Length: 100\r\n"
                + "Connection: close\r\n\r\n{\"title\":\"cut")
            .getBytes(StandardCharsets.UTF_8);
    RawResponse r = raw(head, true);
    assertThat(r.status).as(r.toString()).isBetween(400, 499);
    refusedRaw(r, r.status, null);
  }

  @Test
  void wrongOrMissingContentTypesAreUnsupportedMediaType() {
    for (String type :
        new String[] {
          null,
          "text/plain",
          "application/xml",
          "application/json-patch+json",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "json",
          ";",
          "*/*"
        }) {
      refused(
          s.send("PUT", CFG, editor, type, "{}", "If-Match", "\"1\""),
          415,
          "unsupported-media-type");
    }
    for (String type :
        new String[] {
          null,
          JSON,
          "text/plain",
          "application/json-patch",
          "*/*",
          "application/merge-patch+json-patch+json"
        }) {
      refused(s.send("PATCH", CFG, editor, type, "[]"), 415, "unsupported-media-type");
    }
    // a JSON object body of a POST as well, and nothing happens: no lock, no token
    for (String type : new String[] {null, "text/plain", "application/x-www-form-urlencoded"}) {
      refused(
          s.send("POST", CFG + "/lock", editor, type, "{\"ttlSeconds\":30}"),
          415,
          "unsupported-media-type");
      refused(
          s.send(
              "POST",
              "/v1/tokens",
              s.adminToken,
              type,
              "{\"user\":\"mallory\",\"tenant\":\"acme\",\"role\":\"admin\"}"),
          415,
          "unsupported-media-type");
    }
    assertThat(s.send("GET", CFG + "/lock", editor, null, (String) null).status()).isEqualTo(404);
    assertThat(s.send("GET", "/v1/tokens", s.adminToken, null, (String) null).body())
        .doesNotContain("mallory");
    // parameters and letter case do not matter; an optional body may be left out untyped
    assertThat(
            s.send(
                    "PATCH",
                    CFG,
                    editor,
                    "Application/JSON-Patch+JSON; charset=utf-8",
                    "[]",
                    "If-Match",
                    "\"1\"")
                .status())
        .isEqualTo(200);
    refused(s.send("POST", CFG + "/redo", editor, null, ""), 409, "nothing-to-redo");
  }

  @Test
  void invalidPointersAndOperationsAreInvalidPatch() {
    String[] bad = {
      "[{\"op\":\"add\",\"path\":\"title\",\"value\":1}]",
      "[{\"op\":\"add\",\"path\":\"/a/~2\",\"value\":1}]",
      "[{\"op\":\"add\",\"path\":\"/a~\",\"value\":1}]",
      "[{\"op\":\"add\",\"path\":5,\"value\":1}]",
      "[{\"op\":\"add\",\"path\":null,\"value\":1}]",
      "[{\"op\":\"add\",\"value\":1}]",
      "[{\"op\":\"add\",\"path\":\"/a\"}]",
      "[{\"op\":\"move\",\"from\":\"a\",\"path\":\"/b\"}]",
      "[{\"op\":\"copy\",\"path\":\"/b\"}]",
      "[{\"op\":\"move\",\"from\":\"/items\",\"path\":\"/items/0\"}]",
      "[{\"op\":\"remove\",\"path\":\"\"}]",
      "[{\"op\":\"jump\",\"path\":\"/a\"}]",
      "[{\"path\":\"/a\"}]",
      "[{\"op\":\"ADD\",\"path\":\"/a\",\"value\":1}]",
      "[1]",
      "[[]]",
      "{\"op\":\"add\",\"path\":\"/a\",\"value\":1}",
      "\"add\"",
      "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":1},{\"op\":\"add\",\"path\":\"x\",\"value\":1}]",
    };
    for (String patch : bad) {
      Response r = s.send("PATCH", CFG, editor, JSON_PATCH, patch, "If-Match", "\"1\"");
      if (r.status() == 422) {
        refused(r, 422, "patch-failed"); // an op that is well-formed but does not apply
      } else {
        refused(r, 400, "invalid-patch");
        assertThat(r.json().has("opIndex")).as(patch).isTrue();
        assertThat(r.json().has("reason")).as(patch).isTrue();
      }
    }
    Response second = s.send("PATCH", CFG, editor, JSON_PATCH, bad[bad.length - 1]);
    assertThat(second.json().get("opIndex").asInt()).isEqualTo(1);
    // well-formed pointers to nothing: the patch fails, atomically
    for (String patch :
        new String[] {
          "[{\"op\":\"replace\",\"path\":\"/nope\",\"value\":1}]",
          "[{\"op\":\"add\",\"path\":\"/items/01\",\"value\":1}]",
          "[{\"op\":\"add\",\"path\":\"/items/99\",\"value\":1}]",
          "[{\"op\":\"add\",\"path\":\"/items/-1\",\"value\":1}]",
          "[{\"op\":\"remove\",\"path\":\"/items/-\"}]",
          "[{\"op\":\"add\",\"path\":\"/title/x\",\"value\":1}]",
          "[{\"op\":\"add\",\"path\":\"/a\",\"value\":1},{\"op\":\"remove\",\"path\":\"/zz\"}]",
        }) {
      refused(s.send("PATCH", CFG, editor, JSON_PATCH, patch), 422, "patch-failed");
    }
  }

  @Test
  void tooManyOpsAreRefusedBeforeAnyIsApplied() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i <= 10_000; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"op\":\"add\",\"path\":\"/n")
          .append(i)
          .append("\",\"value\":1}");
    }
    Response r =
        s.send("PATCH", CFG, editor, JSON_PATCH, b.append("]").toString(), "If-Match", "\"1\"");
    refused(r, 400, "too-many-ops");
    assertThat(r.json().get("limit").asInt()).isEqualTo(10_000);
  }

  @Test
  void bodiesOverFiveMebibytesAreTooLarge() {
    byte[] big = bigDocument(6 * MIB);
    Response put = s.send("PUT", CFG, editor, JSON, big, "If-Match", "\"1\"");
    refused(put, 413, "too-large");
    assertThat(put.json().get("limit").asLong()).isEqualTo(5L * MIB);
    refused(s.send("PATCH", CFG, editor, MERGE_PATCH, big), 413, "too-large");
    refused(s.send("POST", CFG + "/undo", editor, JSON, big), 413, "too-large");
    // the same over a raw socket, with Content-Length and chunked
    String head =
        "PUT "
            + CFG
            + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + editor
            + "\r\nContent-Type: application/json\r\nIf-Match: \"1\"\r\nConnection: close\r\n";
    refusedRaw(
        raw(
            concat(
                (head + "Content-Length: " + big.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII),
                big),
            false),
        413,
        "too-large");
    refusedRaw(
        raw(
            concat(
                (head + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                chunked(big, 65536)),
            false),
        413,
        "too-large");
    // a body just under the limit is fine (written elsewhere, to keep this config untouched)
    Response ok =
        s.send(
            "PUT", SCRATCH, s.adminToken, JSON, bigDocument(5 * MIB - 100), "If-None-Match", "*");
    assertThat(ok.status()).as(ok.header("Content-Type")).isEqualTo(201);
  }

  @Test
  void deepNestingIsTooDeep() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    for (String body : new String[] {deep, deepObject, "[".repeat(10_000)}) {
      Response put = s.send("PUT", CFG, editor, JSON, body, "If-Match", "\"1\"");
      refused(put, 400, "too-deep");
      assertThat(put.json().get("limit").asInt()).isEqualTo(200);
      refused(s.send("PATCH", CFG, editor, MERGE_PATCH, body), 400, "too-deep");
      refused(
          s.send(
              "PATCH",
              CFG,
              editor,
              JSON_PATCH,
              "[{\"op\":\"add\",\"path\":\"/d\",\"value\":" + body + "}]"),
          400,
          "too-deep");
      refused(
          s.send("POST", CFG + "/undo", editor, JSON, "{\"steps\":" + body + "}"), 400, "too-deep");
      refused(s.send("POST", CFG + "/lock", editor, JSON, body), 400, "too-deep");
      refused(s.send("POST", "/v1/tokens", admin, JSON, body), 400, "too-deep");
    }
    // 200 levels are the limit, not 199
    String atLimit = "[".repeat(200) + "]".repeat(200);
    refused(
        s.send("PUT", CFG, editor, JSON, "{\"d\":" + atLimit + "}", "If-Match", "\"1\""),
        400,
        "too-deep");
    String objectAtLimit = "{\"d\":".repeat(199) + "[]" + "}".repeat(199);
    Response ok = s.send("PUT", SCRATCH, s.adminToken, JSON, objectAtLimit, "If-None-Match", "*");
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
  }

  @Test
  void hugeNumbersAndStringsAreBoundedByTheStreamConstraints() {
    String longNumber = "1".repeat(1001);
    for (String body :
        new String[] {
          "{\"n\":" + longNumber + "}",
          "{\"n\":0." + longNumber + "}",
          "{\"n\":1e999999999}",
          "{\"n\":1E-123456789}",
          "{\"n\":-" + longNumber + "}"
        }) {
      refused(s.send("PUT", CFG, editor, JSON, body, "If-Match", "\"1\""), 400, "invalid-json");
      refused(s.send("PATCH", CFG, editor, MERGE_PATCH, body), 400, "invalid-json");
      refused(
          s.send("POST", CFG + "/undo", editor, JSON, body.replace("\"n\"", "\"steps\"")),
          400,
          "invalid-json");
    }
    // numbers a long cannot hold, where the API wants one
    for (String n : new String[] {"99999999999999999999", "1e300", "-1e300", "1.5", "1e-3"}) {
      refused(
          s.send("POST", CFG + "/undo", editor, JSON, "{\"steps\":" + n + "}"),
          400,
          "invalid-request");
      refused(
          s.send(
              "POST",
              CFG + "/rollback",
              editor,
              JSON,
              "{\"toVersion\":" + n + "}",
              "If-Match",
              "\"1\""),
          400,
          "invalid-request");
      refused(
          s.send("POST", CFG + "/lock", editor, JSON, "{\"ttlSeconds\":" + n + "}"),
          400,
          "invalid-request");
    }
    // a 6 MB string is over the body limit; long strings where the API bounds them
    String longString = "x".repeat(6 * MIB);
    refused(sendLarge(s, editor, "{\"s\":\"" + longString + "\"}"), 413, "too-large");
    refused(
        s.send("POST", CFG + "/lock", editor, JSON, "{\"client\":\"" + "c".repeat(201) + "\"}"),
        400,
        "invalid-request");
    refused(
        s.send("POST", CFG + "/lock", editor, JSON, "{\"note\":\"" + "n".repeat(100_000) + "\"}"),
        400,
        "invalid-request");
    refused(
        s.send("PATCH", CFG, editor, JSON_PATCH, "[]", "Change-Message", "m".repeat(501)),
        400,
        "invalid-request");
    refused(
        s.send("PATCH", CFG, editor, JSON_PATCH, "[]", "Lock-Id", "l".repeat(101)),
        400,
        "invalid-request");
  }

  @Test
  void invalidUtf8IsInvalidJson() {
    byte[][] bad = {
      {'{', '"', 't', '"', ':', '"', (byte) 0xff, '"', '}'},
      {'{', '"', 't', '"', ':', '"', (byte) 0xc3, '"', '}'},
      {'{', '"', 't', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'},
      {'{', '"', (byte) 0xfe, '"', ':', '1', '}'},
      {(byte) 0xc0, (byte) 0xaf},
    };
    for (byte[] body : bad) {
      refused(s.send("PUT", CFG, editor, JSON, body, "If-Match", "\"1\""), 400, "invalid-json");
      refused(s.send("PATCH", CFG, editor, MERGE_PATCH, body), 400, "invalid-json");
      refused(s.send("POST", CFG + "/lock", editor, JSON, body), 400, "invalid-json");
    }
  }

  @Test
  void invalidUtf8AndControlBytesInThePathAreRefused() {
    String[][] paths = {
      {"/v1/tenants/acme/configs/%FF", "invalid-request"},
      {"/v1/tenants/acme/configs/%C3", "invalid-request"},
      {"/v1/tenants/acme/configs/%ED%A0%80", "invalid-request"},
      {"/v1/tenants/%FF/configs/landing", "invalid-request"},
      {"/v1/tenants/acme/configs/a%00b", "invalid-request"},
      {"/v1/tenants/acme/configs/a%0Ab", "invalid-name"},
    };
    for (String[] p : paths) {
      RawResponse r =
          raw(
              ("PUT "
                      + p[0]
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + editor
                      + "\r\nContent-Type: application/json\r\nIf-None-Match: *\r\nContent-Length: 2\r\n"
                      + "Connection: close\r\n\r\n{}")
                  .getBytes(StandardCharsets.ISO_8859_1),
              false);
      refusedRaw(r, 400, p[1]);
    }
    byte[] rawByte =
        concat(
            ("PUT /v1/tenants/acme/configs/x").getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff, (byte) 0xfe},
            (" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + editor
                    + "\r\nContent-Type: application/json"
                    + "\r\nIf-None-Match: *\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII));
    refusedRaw(raw(rawByte, false), 400, "invalid-request");
  }

  // ---------------------------------------------------------------- names

  @Test
  void namesOutsideTheirPatternAreInvalidNames() {
    String[] names = {
      "..%2F..%2Fetc%2Fpasswd",
      "%2E%2E",
      "a%2Fb",
      "%22quoted%22",
      "it's",
      "'%3B%20drop%20table%20configs%3B%20--",
      "x%27%20OR%20%271%27%3D%271",
      "caf%C3%A9",
      "%E2%98%83",
      "a".repeat(64),
      "Landing",
      ".hidden",
      "-dash",
      "_under",
      "a%20b",
      "a%5Cb",
      "a%3Bb",
      "a*",
      "%F0%9F%8E%89"
    };
    for (String name : names) {
      Response put =
          s.send(
              "PUT", "/v1/tenants/acme/configs/" + name, admin, JSON, "{}", "If-None-Match", "*");
      refused(put, 400, "invalid-name");
      assertThat(put.json().has("name")).isTrue();
      refused(
          s.send("GET", "/v1/tenants/acme/configs/" + name, admin, null, (String) null),
          400,
          "invalid-name");
      refused(
          s.send(
              "PUT",
              "/v1/tenants/" + name + "/configs/landing",
              admin,
              JSON,
              "{}",
              "If-None-Match",
              "*"),
          400,
          "invalid-name");
      refused(
          s.send("POST", "/v1/tenants/acme/configs/" + name + "/lock", admin, JSON, "{}"),
          400,
          "invalid-name");
    }
    // 63 characters is a name (of nothing yet)
    refused(
        s.send("GET", "/v1/tenants/acme/configs/" + "a".repeat(63), admin, null, (String) null),
        404,
        "not-found");
    // dot segments as sent: never a way to another tenant's or another config's resource
    String[][] dotted = {
      {"/v1/tenants/acme/configs/../configs/landing", "404"},
      {"/v1/tenants/globex/../acme/configs/landing", "404"},
      {"/v1/tenants/acme/configs/./x", "404"},
      {"/v1/tenants/acme/configs//x", "404"},
      {"/v1/tenants/acme/configs/..", "400"},
      {"/v1/tenants/acme/configs/.", "400"},
    };
    for (String[] d : dotted) {
      RawResponse r =
          raw(
              ("PUT "
                      + d[0]
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + editor
                      + "\r\nContent-Type: application/json\r\nIf-Match: *\r\nContent-Length: 2\r\n"
                      + "Connection: close\r\n\r\n{}")
                  .getBytes(StandardCharsets.US_ASCII),
              false);
      refusedRaw(r, Integer.parseInt(d[1]), d[1].equals("404") ? "not-found" : "invalid-name");
    }
  }

  // ---------------------------------------------------------------- authentication

  @Test
  void forgedTruncatedAndEmptyTokensAreUnauthorized() {
    String[] headers = {
      "Bearer cfgctl_forged",
      "Bearer " + editor.substring(0, editor.length() - 1),
      "Bearer " + editor.substring(1),
      "Bearer " + editor + "x",
      "Bearer " + editor.toUpperCase(Locale.ROOT),
      "Bearer ",
      "Bearer",
      "Bearer  ",
      "Bearer " + "a".repeat(1000),
      "Bearer ' OR '1'='1",
      "Bearer " + editor + " " + editor,
      "Bearer\t" + editor,
      "Basic YWxpY2U6c2VjcmV0",
      "Basic " + editor,
      "Token " + editor,
      "Digest username=\"alice\"",
      editor,
      "",
      "Bearer" + editor,
      "Bearer: " + editor,
      "Bearer,Bearer " + editor
    };
    for (String h : headers) {
      Response r =
          s.send(
              "PATCH",
              CFG,
              null,
              JSON_PATCH,
              "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"x\"}]",
              "Authorization",
              h);
      assertThat(r.status()).as(h.length() > 80 ? h.substring(0, 80) : h).isEqualTo(401);
      refused(r, 401, "unauthorized");
      assertThat(r.header("WWW-Authenticate")).as(h).startsWith("Bearer");
      refused(
          s.send("GET", CFG, null, null, (String) null, "Authorization", h), 401, "unauthorized");
    }
    refused(s.send("PATCH", CFG, null, JSON_PATCH, "[]"), 401, "unauthorized");
    // the scheme is case-insensitive (RFC 9110 11.1)
    assertThat(
            s.send("GET", CFG, null, null, (String) null, "Authorization", "bearer " + editor)
                .status())
        .isEqualTo(200);
    // bytes outside ASCII in the header
    RawResponse r =
        raw(
            concat(
                ("GET " + CFG + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ")
                    .getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xff, (byte) 0xc3, 'a'},
                "\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
            false);
    refusedRaw(r, 401, "unauthorized");
  }

  // ---------------------------------------------------------------- preconditions and queries

  @Test
  void ifMatchGarbageIsAnInvalidRequest() {
    String[] garbage = {
      "abc",
      "W/\"1\"",
      "\"1\", \"2\"",
      "\"-1\"",
      "\"99999999999999999999\"",
      "1",
      "\"\"",
      "\"0\"",
      "\"1",
      "1\"",
      "\"01\"",
      "\" 1\"",
      "**",
      "*, \"1\"",
      "\"1\"x",
      "\"1e0\""
    };
    for (String g : garbage) {
      refused(s.send("PUT", CFG, editor, JSON, "{}", "If-Match", g), 400, "invalid-request");
      refused(
          s.send("PATCH", CFG, editor, JSON_PATCH, "[]", "If-Match", g), 400, "invalid-request");
      refused(
          s.send("PATCH", CFG, editor, MERGE_PATCH, "{}", "If-Match", g), 400, "invalid-request");
      refused(
          s.send("DELETE", CFG, editor, null, (String) null, "If-Match", g),
          400,
          "invalid-request");
      refused(
          s.send("POST", CFG + "/rollback", editor, JSON, "{\"toVersion\":1}", "If-Match", g),
          400,
          "invalid-request");
      refused(
          s.send("POST", CFG + "/undo", editor, JSON, "{}", "If-Match", g), 400, "invalid-request");
    }
    refused(
        s.send("PUT", CFG, editor, JSON, "{}", "If-None-Match", "\"1\""), 400, "invalid-request");
    refused(
        s.send("PUT", CFG, editor, JSON, "{}", "If-None-Match", "*", "If-Match", "\"1\""),
        400,
        "invalid-request");
    // a stale but well-formed version is the documented conflict
    refused(
        s.send("PUT", CFG, editor, JSON, "{}", "If-Match", "\"999999999999999999\""),
        412,
        "version-conflict");
  }

  @Test
  void queryGarbageIsAnInvalidRequest() {
    for (String v :
        new String[] {
          "abc",
          "0",
          "-1",
          "1.5",
          "99999999999999999999",
          "1e3",
          "%00",
          "%FF",
          "0x1",
          "+1%20",
          "1;2"
        }) {
      refused(
          s.send("GET", CFG + "?version=" + v, editor, null, (String) null),
          400,
          "invalid-request");
      refused(
          s.send("GET", CFG + "/revisions/" + v, editor, null, (String) null),
          400,
          "invalid-request");
      refused(
          s.send("GET", CFG + "/history?limit=" + v, editor, null, (String) null),
          400,
          "invalid-request");
      refused(
          s.send("GET", CFG + "/history?before=" + v, editor, null, (String) null),
          400,
          "invalid-request");
      refused(
          s.send("GET", "/v1/tenants/acme/configs?limit=" + v, editor, null, (String) null),
          400,
          "invalid-request");
    }
    refused(s.send("GET", CFG + "?version=2", editor, null, (String) null), 404, "not-found");
    for (String t : new String[] {"yesterday", "2026-13-01T00:00:00Z", "1", "%FF"}) {
      refused(
          s.send("GET", CFG + "/history?since=" + t, editor, null, (String) null),
          400,
          "invalid-request");
      refused(
          s.send("GET", CFG + "/history?until=" + t, editor, null, (String) null),
          400,
          "invalid-request");
    }
    refused(
        s.send("GET", "/v1/tenants/acme/locks?staleAfter=-1", editor, null, (String) null),
        400,
        "invalid-request");
    refused(
        s.send("GET", "/v1/tenants/acme/locks?staleAfter=x", editor, null, (String) null),
        400,
        "invalid-request");
  }

  // ---------------------------------------------------------------- bodies of the other routes

  @Test
  void wrongTypesInRouteBodiesAreInvalidRequests() {
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put(
        "/undo",
        new String[] {
          "[]",
          "\"x\"",
          "1",
          "null",
          "true",
          "{\"steps\":\"1\"}",
          "{\"steps\":true}",
          "{\"steps\":[1]}",
          "{\"steps\":0}",
          "{\"steps\":-1}",
          "{\"steps\":1001}",
          "{\"scope\":5}",
          "{\"scope\":\"everyone\"}",
          "{\"scope\":\"MINE\"}",
          "{\"scope\":[\"mine\"]}"
        });
    cases.put(
        "/redo",
        new String[] {"[]", "{\"steps\":\"x\"}", "{\"scope\":\"mine\"}", "{\"steps\":-5}"});
    cases.put(
        "/rollback",
        new String[] {
          "{}",
          "[]",
          "{\"toVersion\":\"1\"}",
          "{\"toVersion\":null}",
          "{\"toVersion\":[1]}",
          "{\"toVersion\":true}",
          "{\"to\":1}"
        });
    cases.put(
        "/lock",
        new String[] {
          "[]",
          "\"lock\"",
          "{\"ttlSeconds\":\"60\"}",
          "{\"ttlSeconds\":0}",
          "{\"ttlSeconds\":-5}",
          "{\"ttlSeconds\":99999999}",
          "{\"client\":5}",
          "{\"client\":[\"x\"]}",
          "{\"note\":{}}",
          "{\"takeOver\":\"yes\"}",
          "{\"takeOver\":1}",
          "{\"reason\":false}"
        });
    cases.put(
        "/lock/lk_nope", new String[] {"[]", "{\"ttlSeconds\":\"x\"}", "{\"ttlSeconds\":1.5}"});
    for (Map.Entry<String, String[]> e : cases.entrySet()) {
      String method = e.getKey().startsWith("/lock/") ? "PUT" : "POST";
      for (String body : e.getValue()) {
        Response r = s.send(method, CFG + e.getKey(), editor, JSON, body, "If-Match", "\"1\"");
        assertThat(r.status())
            .as(method + " " + e.getKey() + " " + body + " → " + r)
            .isEqualTo(400);
        refused(r, 400, "invalid-request");
      }
    }
    refused(
        s.send("POST", CFG + "/rollback", editor, JSON, "", "If-Match", "\"1\""),
        400,
        "invalid-json");
    refused(
        s.send("POST", CFG + "/rollback", editor, JSON, "{\"toVersion\":0}", "If-Match", "\"1\""),
        404,
        "not-found");
    refused(
        s.send("POST", CFG + "/rollback", editor, JSON, "{\"toVersion\":-1}", "If-Match", "\"1\""),
        404,
        "not-found");
    refused(
        s.send("DELETE", CFG + "/lock?force=yes", admin, null, (String) null),
        400,
        "invalid-request");
  }

  @Test
  void wrongTypesInTokenBodiesAreRefusedAndCreateNoToken() {
    int before =
        s.send("GET", "/v1/tokens", s.adminToken, null, (String) null).json().get("items").size();
    String[][] cases = {
      {"{\"user\":1,\"tenant\":\"acme\",\"role\":\"viewer\"}", "invalid-request"},
      {"{\"user\":\"\",\"tenant\":\"acme\",\"role\":\"viewer\"}", "invalid-request"},
      {"{\"user\":\" \",\"tenant\":\"acme\",\"role\":\"viewer\"}", "invalid-request"},
      {"{\"tenant\":\"acme\",\"role\":\"viewer\"}", "invalid-request"},
      {"{\"user\":\"x\",\"role\":\"viewer\"}", "invalid-request"},
      {"{\"user\":\"x\",\"tenant\":\"acme\"}", "invalid-request"},
      {"{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"god\"}", "invalid-request"},
      {"{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"Admin\"}", "invalid-request"},
      {"{\"user\":\"x\",\"tenant\":\"acme\",\"role\":[\"admin\"]}", "invalid-request"},
      {"{\"user\":\"x\",\"tenant\":\"../acme\",\"role\":\"viewer\"}", "invalid-name"},
      {
        "{\"user\":\"x\",\"tenant\":\"'; drop table tokens; --\",\"role\":\"viewer\"}",
        "invalid-name"
      },
      {"{\"user\":\"x\",\"tenant\":5,\"role\":\"viewer\"}", "invalid-request"},
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"displayName\":{}}",
        "invalid-request"
      },
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":\"1\"}",
        "invalid-request"
      },
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":0}",
        "invalid-request"
      },
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":-1}",
        "invalid-request"
      },
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":1e9}",
        "invalid-request"
      },
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":99999999999}",
        "invalid-request"
      },
      {
        "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":2.5}",
        "invalid-request"
      },
      {
        "{\"user\":\"" + "u".repeat(201) + "\",\"tenant\":\"acme\",\"role\":\"viewer\"}",
        "invalid-request"
      },
      {"[]", "invalid-request"},
      {"", "invalid-json"},
      {"{\"user\":", "invalid-json"},
    };
    for (String[] c : cases) {
      refused(s.send("POST", "/v1/tokens", admin, JSON, c[0]), 400, c[1]);
    }
    refused(
        s.send(
            "POST",
            "/v1/tokens",
            editor,
            JSON,
            "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"admin\"}"),
        403,
        "forbidden");
    refused(
        s.send("DELETE", "/v1/tokens/..%2F..", s.adminToken, null, (String) null),
        404,
        "not-found");
    refused(
        s.send("DELETE", "/v1/tokens/'%20OR%201=1", s.adminToken, null, (String) null),
        404,
        "not-found");
    assertThat(s.send("GET", "/v1/tokens", s.adminToken, null, (String) null).json().get("items"))
        .hasSize(before);
  }

  // ---------------------------------------------------------------- HTTP itself

  @Test
  void methodsARouteDoesNotHaveAreMethodNotAllowed() {
    refused(s.send("POST", CFG, editor, JSON, "{}"), 405, "method-not-allowed");
    refused(s.send("POST", "/v1/health", editor, JSON, "{}"), 405, "method-not-allowed");
    refused(s.send("PATCH", CFG + "/lock", editor, JSON, "{}"), 405, "method-not-allowed");
    refused(s.send("PUT", "/v1/tokens", admin, JSON, "{}"), 405, "method-not-allowed");
    refused(
        s.send("DELETE", CFG + "/history", editor, null, (String) null), 405, "method-not-allowed");
    for (String method : new String[] {"BREW", "PROPFIND", "TRACE"}) {
      RawResponse r =
          raw(
              (method
                      + " "
                      + CFG
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + editor
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII),
              false);
      refusedRaw(r, 405, "method-not-allowed");
    }
    refused(s.send("GET", "/v1/nothing", editor, null, (String) null), 404, "not-found");
    refused(s.send("GET", CFG + "/", editor, null, (String) null), 404, "not-found");
  }

  @Test
  void malformedRequestsAnsweredByJettyAreProblemsToo() {
    String auth = "Authorization: Bearer " + editor + "\r\n";
    String put =
        "PUT "
            + CFG
            + " HTTP/1.1\r\nHost: x\r\n"
            + auth
            + "Content-Type: application/json\r\nIf-Match: \"1\"\r\n";
    // each answered by Jetty, before routing: 400 invalid-request whatever Jetty's own status
    // (414, 431, 505), its reason in the detail
    String[] requests = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET " + CFG + " HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET " + CFG + " HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n",
      "GET "
          + CFG
          + " HTTP/1.1\r\nHost: x\r\n"
          + auth
          + "X-Big: "
          + "b".repeat(64 * 1024)
          + "\r\n\r\n",
      "GET /v1/" + "u".repeat(64 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n",
      put + "Content-Length: abc\r\n\r\n{}",
      put + "Content-Length: -2\r\n\r\n{}",
      put + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
      put + "Transfer-Encoding: gzip\r\n\r\n{}",
      put + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      "GET " + CFG + " HTTP/1.1\r\nHost: x\r\nHost: y\r\n" + auth + "\r\n",
      "GET " + CFG + " HTTP/1.1\r\n" + auth + "\r\n",
      "GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET " + CFG + " HTTP/1.1\r\nHost: x\r\n" + auth + "X-Bad\u0001: 1\r\n\r\n",
    };
    for (String req : requests) {
      RawResponse r = raw(req.getBytes(StandardCharsets.ISO_8859_1), false);
      assertThat(r.status)
          .as((req.length() > 80 ? req.substring(0, 80) : req) + " → " + r)
          .isEqualTo(400);
      refusedRaw(r, 400, "invalid-request");
    }
    // a malformed chunked body reaches the handler as a body it cannot read
    refusedRaw(
        raw(
            (put + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII),
            false),
        400,
        "invalid-request");
  }

  // ---------------------------------------------------------------- helpers

  /** Asserts a problem response with no internals in it, then that nothing was written. */
  void refused(Response r, int status, String slug) {
    checked++;
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/problem+json");
    problemBody(r.body(), status, slug);
    assertUnchanged();
  }

  void refusedRaw(RawResponse r, int status, String slug) {
    checked++;
    assertThat(r.status).as(r.toString()).isEqualTo(status);
    assertThat(r.headers.get("content-type"))
        .as(r.toString())
        .startsWith("application/problem+json");
    problemBody(r.body, status, slug);
    assertUnchanged();
  }

  static void problemBody(String body, int status, String slug) {
    JsonNode p = Json.parse(body);
    if (slug != null) assertThat(p.get("type").asText()).as(body).isEqualTo("/problems/" + slug);
    assertThat(p.get("type").asText()).as(body).startsWith("/problems/");
    assertThat(p.get("status").asInt()).as(body).isEqualTo(status);
    assertThat(p.get("title").asText()).as(body).isNotEmpty();
    assertThat(p.get("detail").asText()).as(body).isNotEmpty();
    assertThat(body)
        .doesNotContain("Exception")
        .doesNotContain("\tat ")
        .doesNotContain(".java:")
        .doesNotContain("org.eclipse")
        .doesNotContain("io.javalin")
        .doesNotContain("com.fasterxml")
        .doesNotContain("java.lang")
        .doesNotContain("<html");
  }

  /** The config is still at version 1 with its content, alone in its tenant, and unlocked. */
  void assertUnchanged() {
    Response g = s.send("GET", CFG, editor, null, (String) null);
    assertThat(g.status()).as(g.toString()).isEqualTo(200);
    assertThat(g.header("ETag")).isEqualTo("\"1\"");
    assertThat(g.body()).isEqualTo(DOC);
    Response list = s.send("GET", "/v1/tenants/acme/configs", editor, null, (String) null);
    assertThat(list.json().get("items")).as(list.toString()).hasSize(1);
    assertThat(s.send("GET", CFG + "/history", editor, null, (String) null).json().get("items"))
        .hasSize(1);
    assertThat(s.send("GET", CFG + "/lock", editor, null, (String) null).status()).isEqualTo(404);
  }

  static byte[] bigDocument(int bytes) {
    StringBuilder b = new StringBuilder(bytes + 64).append("{\"items\":[");
    while (b.length() < bytes - 40)
      b.append(b.length() > 12 ? "," : "").append("\"abcdefghijklmnopqrstuvwxyz\"");
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] chunked(byte[] body, int size) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(body.length + body.length / size * 10 + 16);
    for (int i = 0; i < body.length; i += size) {
      int n = Math.min(size, body.length - i);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, i, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  record RawResponse(int status, Map<String, String> headers, String body) {
    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  /**
   * Sends {@code request} as it is over a new connection and reads the response to its end. The
   * request is written from another thread, so a server that answers before reading it all (and
   * closes) is still heard; {@code halfClose} ends the request stream after it, as a cut-off
   * client.
   */
  RawResponse raw(byte[] request, boolean halfClose) {
    try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(request);
                  out.flush();
                  if (halfClose) socket.shutdownOutput();
                } catch (IOException e) {
                  // the server may close before reading everything: its answer is what counts
                }
              });
      writer.start();
      byte[] response = readAll(socket.getInputStream());
      writer.join(30_000);
      return parse(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
        if (complete(got.toByteArray())) break;
      }
    } catch (java.net.SocketException e) {
      if (got.size() == 0) throw e; // a reset after the answer is fine
    }
    return got.toByteArray();
  }

  /** Whether a response with a Content-Length has arrived whole (others are read to the close). */
  private static boolean complete(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) return false;
    for (String line : text.substring(0, end).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return bytes.length >= end + 4 + Integer.parseInt(line.substring(15).trim());
      }
    }
    return false;
  }

  private static RawResponse parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    assertThat(end).as("a whole HTTP response, not: " + text).isPositive();
    List<String> lines = new ArrayList<>(List.of(text.substring(0, end).split("\r\n")));
    int status = Integer.parseInt(lines.remove(0).split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = dechunk(body);
    return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < body.length) {
      int eol = i;
      while (eol + 1 < body.length && !(body[eol] == '\r' && body[eol + 1] == '\n')) eol++;
      int size =
          Integer.parseInt(new String(body, i, eol - i, StandardCharsets.US_ASCII).trim(), 16);
      if (size == 0) break;
      out.write(body, eol + 2, size);
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }

  /**
   * A body over the limit, sent whole before the answer is read. The server reads and drops the
   * excess before answering 413, but under load the client has been seen (once in a full CI run) to
   * get a closed connection instead; a second attempt must then get the 413. Known issue, in the
   * notes.
   */
  private static TestServer.Response sendLarge(TestServer s, String token, String body) {
    try {
      return s.send("PUT", CFG, token, JSON, body, "If-Match", "\"1\"");
    } catch (java.io.UncheckedIOException e) {
      return s.send("PUT", CFG, token, JSON, body, "If-Match", "\"1\"");
    }
  }
}
