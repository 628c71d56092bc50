package dev.cfgctl.cli.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.internal.BaseDirs;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonInputException;
import dev.cfgctl.store.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named profiles like kubectl's contexts: a server (or a local store), a token file, the CA file an
 * https server's certificate is checked against, and a tenant, kept in {@code
 * $XDG_CONFIG_HOME/cfgctl/config.json} (owner-only), one of them current.
 */
public final class Contexts {
  /** One profile; a null server means the embedded store (at {@code store}, or the default). */
  public record Context(
      String server, String tokenFile, String caFile, String tenant, String store) {
    ObjectNode toJson() {
      ObjectNode o = Json.NODES.objectNode();
      if (server != null) o.put("server", server);
      if (tokenFile != null) o.put("tokenFile", tokenFile);
      if (caFile != null) o.put("caFile", caFile);
      if (tenant != null) o.put("tenant", tenant);
      if (store != null) o.put("store", store);
      return o;
    }

    static Context fromJson(JsonNode o) {
      return new Context(
          text(o, "server"),
          text(o, "tokenFile"),
          text(o, "caFile"),
          text(o, "tenant"),
          text(o, "store"));
    }

    private static String text(JsonNode o, String member) {
      return o.path(member).isTextual() ? o.get(member).asText() : null;
    }
  }

  final Path file;
  String current;
  public final Map<String, Context> all = new TreeMap<>();

  private Contexts(Path file) {
    this.file = file;
  }

  static Path defaultFile(Io io) {
    return BaseDirs.of(io.env()).config().resolve("config.json");
  }

  public static Contexts load(Io io) {
    Contexts c = new Contexts(defaultFile(io));
    JsonNode root;
    try {
      root = Json.parse(Files.readString(c.file));
    } catch (NoSuchFileException e) {
      return c;
    } catch (IOException e) {
      throw CliException.usage("cannot read " + c.file + ": " + e.getMessage(), null);
    } catch (JsonInputException e) {
      throw CliException.usage(
          c.file + " is not valid JSON: " + e.getMessage(),
          "fix it by hand, or move it away and set up contexts again with: cfgctl context set");
    }
    c.current = root.path("current").isTextual() ? root.get("current").asText() : null;
    root.path("contexts")
        .fields()
        .forEachRemaining(e -> c.all.put(e.getKey(), Context.fromJson(e.getValue())));
    return c;
  }

  /** The context named, or the current one; null when there is none. */
  public Context get(String name) {
    String n = name != null ? name : current;
    if (n == null) return null;
    Context c = all.get(n);
    if (c == null) {
      throw CliException.usage(
          "no context named \""
              + n
              + "\""
              + (name == null ? " (the current one in " + file + ")" : ""),
          all.isEmpty()
              ? "create one: cfgctl context set "
                  + n
                  + " --server URL"
                  + " --token-file FILE --tenant T"
              : "known contexts: " + String.join(", ", all.keySet()));
    }
    return c;
  }

  void save() {
    ObjectNode root = Json.NODES.objectNode();
    if (current != null) root.put("current", current);
    ObjectNode contexts = root.putObject("contexts");
    all.forEach((name, c) -> contexts.set(name, c.toJson()));
    try {
      PrivateFiles.create(file);
    } catch (IOException e) {
      throw CliException.usage("cannot write " + file + ": " + e.getMessage(), null);
    }
    Outputs.writeAtomically(file, root, true); // keeps the file's owner-only permissions
  }
}
