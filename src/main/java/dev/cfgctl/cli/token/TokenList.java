package dev.cfgctl.cli.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.output.ListResult;
import dev.cfgctl.output.Table;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
import java.io.PrintStream;
import java.util.List;

/** What {@code token list} shows: the tokens, never their secrets; a line each in jsonl. */
record TokenList(List<Token> tokens) implements ListResult {
  @Override
  public List<JsonNode> jsonLines() {
    return tokens.stream().<JsonNode>map(Token::toJson).toList();
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    Table t = new Table("ID", "USER", "TENANT", "ROLE", "CREATED", "EXPIRES", "REVOKED");
    for (Token k : tokens) {
      t.row(
          k.id(),
          k.principal().id(),
          k.principal().tenant(),
          k.principal().role().label(),
          Times.format(k.createdAt()),
          k.expiresAt() == null ? "never" : Times.format(k.expiresAt()),
          k.revokedAt() == null ? "-" : Times.format(k.revokedAt()));
    }
    t.print(out);
  }
}
