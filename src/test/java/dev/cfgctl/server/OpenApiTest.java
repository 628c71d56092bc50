package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document that ships in the jar ({@code openapi.yaml}) against the server: the same
 * routes both ways, and real answers whose statuses the document lists for their operation.
 */
class OpenApiTest {
  static final String CONFIG = "/v1/tenants/{tenant}/configs/{name}";
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final Set<String> METHODS =
      Set.of("get", "put", "post", "patch", "delete", "head", "options");

  /**
   * Documented, not served yet: the change stream comes later (issue 3). The routes test fails once
   * the server has it, so this list only shrinks.
   */
  static Map<String, Object> doc;

  /** "METHOD /path/{param}" → the operation. */
  static final Map<String, Map<String, Object>> operations = new TreeMap<>();

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = ConfigServer.class.getResourceAsStream("/openapi.yaml")) {
      assertThat(in).as("openapi.yaml on the class path (and so in the jar)").isNotNull();
      doc = new Yaml().load(in);
    }
    map(doc, "paths")
        .forEach(
            (path, item) ->
                map(item)
                    .forEach(
                        (method, op) -> {
                          if (METHODS.contains(method))
                            operations.put(method.toUpperCase(Locale.ROOT) + " " + path, map(op));
                        }));
  }

  @BeforeEach
  void start() {
    s =
        new TestServer(
            Stores.sqlite(dir.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100), clock),
            clock);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  @Test
  void servedRoutesAreTheDocumentedOperations() {
    List<String> served = s.server.routes();
    assertThat(served).as("served routes").isNotEmpty();
    Set<String> documented = new TreeSet<>(operations.keySet());
    assertThat(served)
        .as("served routes missing from openapi.yaml")
        .allSatisfy(r -> assertThat(documented).contains(r));
    assertThat(documented)
        .as("documented operations the server does not serve")
        .allSatisfy(r -> assertThat(served).contains(r));
  }

  @Test
  void documentIsOpenApi31WithBearerAuthAndEveryProblem() {
    assertThat(doc.get("openapi")).isEqualTo("3.1.0");
    Map<String, Object> bearer = map(map(map(doc, "components"), "securitySchemes"), "bearer");
    assertThat(bearer).containsEntry("type", "http").containsEntry("scheme", "bearer");
    List<String> types = new ArrayList<>();
    for (Problem p : Problem.values()) types.add(p.type());
    Object documented =
        map(map(map(map(map(doc, "components"), "schemas"), "Problem"), "properties"), "type")
            .get("enum");
    assertThat(new TreeSet<Object>((List<?>) documented))
        .as("problem types")
        .isEqualTo(new TreeSet<Object>(types));
    // health alone needs no token
    operations.forEach(
        (route, op) ->
            assertThat(op.containsKey("security"))
                .as(route + " overrides security")
                .isEqualTo(route.equals("GET /v1/health")));
  }

  @Test
  void everyReferenceResolvesAndEveryPathParameterIsDeclared() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(resolve(ref)).as(ref).isNotNull());
    Pattern param = Pattern.compile("\\{(\\w+)}");
    map(doc, "paths")
        .forEach(
            (path, item) -> {
              Set<String> declared = new TreeSet<>();
              pathParams(map(item).get("parameters"), declared);
              for (Map.Entry<String, Object> e : map(item).entrySet()) {
                if (METHODS.contains(e.getKey()))
                  pathParams(map(e.getValue()).get("parameters"), declared);
              }
              Set<String> used = new TreeSet<>();
              for (Matcher m = param.matcher(path); m.find(); ) used.add(m.group(1));
              assertThat(declared).as(path).isEqualTo(used);
            });
  }

  @Test
  void realAnswersHaveStatusesTheDocumentLists() {
    String editor = s.token("alice", "acme", Role.EDITOR);
    String admin = s.adminToken;
    Set<String> exercised = new TreeSet<>();
    exercised.add(check("GET /v1/health", s.send("GET", "/v1/health", null, null, (String) null)));
    exercised.add(
        check(
            "PUT " + CONFIG, s.send("PUT", CFG, editor, JSON, "{\"a\":1}", "If-None-Match", "*")));
    exercised.add(
        check(
            "GET /v1/tenants/{tenant}/configs",
            s.send("GET", "/v1/tenants/acme/configs", editor, null, (String) null)));
    exercised.add(check("GET " + CONFIG, s.send("GET", CFG, editor, null, (String) null)));
    exercised.add(
        check(
            "PATCH " + CONFIG,
            s.send(
                "PATCH",
                CFG,
                editor,
                "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]")));
    exercised.add(check("DELETE " + CONFIG, s.send("DELETE", CFG, editor, null, (String) null)));
    exercised.add(
        check(
            "GET " + CONFIG + "/history",
            s.send("GET", CFG + "/history", editor, null, (String) null)));
    exercised.add(
        check(
            "GET " + CONFIG + "/sessions",
            s.send("GET", CFG + "/sessions", editor, null, (String) null)));
    exercised.add(
        check(
            "GET /v1/tenants/{tenant}/events",
            s.send(
                "GET",
                "/v1/tenants/acme/events",
                s.token("eve", "globex", Role.ADMIN),
                null,
                (String) null)));
    exercised.add(
        check(
            "GET " + CONFIG + "/events",
            s.send("GET", CFG + "/events?since=99", editor, null, (String) null)));
    exercised.add(
        check(
            "GET " + CONFIG + "/revisions/{version}",
            s.send("GET", CFG + "/revisions/1", editor, null, (String) null)));
    exercised.add(
        check("POST " + CONFIG + "/undo", s.send("POST", CFG + "/undo", editor, JSON, "{}")));
    exercised.add(
        check("POST " + CONFIG + "/redo", s.send("POST", CFG + "/redo", editor, JSON, "{}")));
    exercised.add(
        check(
            "POST " + CONFIG + "/rollback",
            s.send("POST", CFG + "/rollback", editor, JSON, "{\"toVersion\":1}", "If-Match", "*")));
    exercised.add(
        check(
            "GET " + CONFIG + "/lock", s.send("GET", CFG + "/lock", editor, null, (String) null)));
    Response lock = s.send("POST", CFG + "/lock", editor, JSON, "{\"ttlSeconds\":60}");
    exercised.add(check("POST " + CONFIG + "/lock", lock));
    String lockPath = CFG + "/lock/" + lock.json().get("id").asText();
    exercised.add(
        check("PUT " + CONFIG + "/lock/{id}", s.send("PUT", lockPath, editor, JSON, "{}")));
    exercised.add(
        check(
            "GET /v1/tenants/{tenant}/locks",
            s.send("GET", "/v1/tenants/acme/locks?staleAfter=0", editor, null, (String) null)));
    exercised.add(
        check(
            "DELETE " + CONFIG + "/lock/{id}",
            s.send("DELETE", lockPath, editor, null, (String) null)));
    exercised.add(
        check(
            "DELETE " + CONFIG + "/lock",
            s.send("DELETE", CFG + "/lock?force=true", admin, null, (String) null)));
    Response token =
        s.send(
            "POST",
            "/v1/tokens",
            admin,
            JSON,
            "{\"user\":\"bob\",\"tenant\":\"acme\",\"role\":\"viewer\"}");
    exercised.add(check("POST /v1/tokens", token));
    exercised.add(check("GET /v1/tokens", s.send("GET", "/v1/tokens", admin, null, (String) null)));
    exercised.add(
        check(
            "DELETE /v1/tokens/{id}",
            s.send(
                "DELETE",
                "/v1/tokens/" + token.json().get("id").asText(),
                admin,
                null,
                (String) null)));
    assertThat(exercised)
        .as("every served route is exercised")
        .isEqualTo(new TreeSet<>(s.server.routes()));
  }

  /**
   * Asserts the answer's status is listed for the operation (exactly or as "4XX"), and returns the
   * route.
   */
  static String check(String route, Response r) {
    Map<String, Object> op = operations.get(route);
    assertThat(op).as(route + " in openapi.yaml").isNotNull();
    Set<String> listed = map(op, "responses").keySet();
    String status = Integer.toString(r.status());
    assertThat(listed).as(route + " answered " + r).containsAnyOf(status, status.charAt(0) + "XX");
    assertThat(r.status()).as(route + " answered " + r).isLessThan(500);
    if (r.status() >= 400) {
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }
    return route;
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if ("$ref".equals(k)) refs.add((String) v);
            else collectRefs(v, refs);
          });
    } else if (node instanceof List<?> l) {
      l.forEach(e -> collectRefs(e, refs));
    }
  }

  private static Object resolve(String ref) {
    if (!ref.startsWith("#/")) return null;
    Object node = doc;
    for (String part : ref.substring(2).split("/")) {
      if (!(node instanceof Map<?, ?> m)) return null;
      node = m.get(part.replace("~1", "/").replace("~0", "~"));
    }
    return node;
  }

  private static void pathParams(Object parameters, Set<String> into) {
    if (parameters == null) return;
    for (Object p : (List<?>) parameters) {
      Map<String, Object> param = map(p);
      if (param.containsKey("$ref")) param = map(resolve((String) param.get("$ref")));
      if ("path".equals(param.get("in"))) {
        assertThat(param.get("required")).as("path parameter " + param.get("name")).isEqualTo(true);
        into.add((String) param.get("name"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }

  private static Map<String, Object> map(Map<String, Object> node, String key) {
    assertThat(node).containsKey(key);
    return map(node.get(key));
  }
}
