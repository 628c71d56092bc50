package dev.cfgctl.cli.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.jdbc.Secrets;
import dev.cfgctl.store.jdbc.StoreCopy;
import dev.cfgctl.store.jdbc.StoreCopy.Outcome;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What {@code store copy} reports of a copy from the store shown as {@code from} to {@code to};
 * {@code tokens}: whether --tokens asked for the tokens. Its text is the summary for people, which
 * the command prints on stderr.
 */
record StoreCopied(StoreCopy.Report report, String from, String to, boolean tokens)
    implements Result {
  @Override
  public ObjectNode toJson() {
    StoreCopy.Report r = report;
    ObjectNode o = Json.NODES.objectNode();
    o.put("from", from);
    o.put("to", to);
    o.put("dryRun", r.dryRun());
    o.put("tenants", r.tenants());
    ObjectNode configs = o.putObject("configs");
    configs.put("total", r.configs());
    r.outcomes().forEach((k, v) -> configs.put(camel(k.label), v));
    o.put("revisions", r.revisions());
    o.put("auditRows", r.auditRows());
    o.put("fences", r.fences());
    ObjectNode t = o.putObject("tokens");
    t.put("copied", r.tokens().copied());
    t.put("alreadyThere", r.tokens().unchanged());
    t.put("revocationsCarriedOver", r.tokens().revoked());
    t.put("refused", r.tokens().refused());
    t.put("leftBehind", r.tokens().notCopied());
    o.put("liveLocksLeftBehind", r.liveLocks());
    o.put("verified", r.verified());
    array(o.putArray("refused"), r.refused());
    array(o.putArray("failed"), r.failed());
    array(o.putArray("mismatches"), r.mismatches());
    array(o.putArray("changedOnSource"), r.changedOnSource());
    o.put("seconds", Math.round(r.nanos() / 1e6) / 1000.0);
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    StoreCopy.Report r = report;
    r.refused().forEach(s -> out.println("refused: " + s));
    r.failed().forEach(s -> out.println("failed: " + Secrets.redact(s)));
    r.mismatches().forEach(s -> out.println("differs: " + s));
    StoreCopy.TokenCounts t = r.tokens();
    String tokenText =
        tokens
            ? String.format(
                Locale.ROOT,
                "tokens: %d %s, %d already there, %d revocations carried over",
                t.copied(),
                r.dryRun() ? "to copy" : "copied",
                t.unchanged(),
                t.revoked())
            : "tokens: " + t.notCopied() + " left behind (--tokens copies them)";
    out.println(
        String.format(
            Locale.ROOT,
            "%s %s -> %s: %d configs of %d tenants (%s);"
                + " %d revisions, %d audit rows, %d fences; %s; %d live locks left behind; %s in %.1f s",
            r.dryRun() ? "dry run, nothing written:" : "copied",
            from,
            to,
            r.configs(),
            r.tenants(),
            outcomes(r),
            r.revisions(),
            r.auditRows(),
            r.fences(),
            tokenText,
            r.liveLocks(),
            r.dryRun() ? "not verified" : "verified " + r.verified(),
            r.nanos() / 1e9));
    if (!r.changedOnSource().isEmpty()) {
      List<String> c = r.changedOnSource();
      out.println(
          "note: "
              + c.size()
              + " configs changed on the source during the copy ("
              + String.join(", ", c.subList(0, Math.min(5, c.size())))
              + (c.size() > 5 ? ", …" : "")
              + "); run the copy again (with the source's server stopped) to bring them over");
    }
  }

  private static String outcomes(StoreCopy.Report r) {
    StringBuilder b = new StringBuilder();
    int tried = 0;
    for (Outcome o : Outcome.values()) {
      int n = r.outcomes().get(o);
      tried += n;
      if (n > 0 || o == Outcome.COPIED)
        b.append(b.length() == 0 ? "" : ", ")
            .append(n)
            .append(' ')
            .append(r.dryRun() && o == Outcome.COPIED ? "to copy" : o.label);
    }
    if (tried < r.configs()) b.append(", ").append(r.configs() - tried).append(" not tried");
    return b.toString();
  }

  private static void array(ArrayNode a, List<String> items) {
    items.forEach(a::add);
  }

  /** "already there" → "alreadyThere". */
  private static String camel(String label) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : label.toCharArray()) {
      if (c == ' ') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }
}
