package dev.cfgctl.cli.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.output.Result;
import dev.cfgctl.store.Token;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What {@code token create} prints: the new token's secret, unless it went to {@code secretFile}
 * (null: none); in JSON the token with its secret or the file's name.
 */
record TokenIssued(Token.Issued issued, Path secretFile) implements Result {
  @Override
  public ObjectNode toJson() {
    ObjectNode o = issued.token().toJson();
    if (secretFile == null) {
      o.put("token", issued.secret());
    } else {
      o.put("secretFile", secretFile.toString());
    }
    return o;
  }

  @Override
  public void printText(PrintStream out, boolean pretty) {
    if (secretFile == null) out.println(issued.secret());
  }
}
