package dev.cfgctl.cli.file;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonInputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the files a command names ({@code -} is stdin, readable once) as JSON. Not thread-safe. */
public final class Inputs {
  /** A document read from an operand: its name for messages, its bytes, its tree. */
  public record Document(String name, byte[] bytes, JsonNode json) {
    /** Whether the text was laid out over several lines, so rewriting it should be too. */
    public boolean looksPretty() {
      for (int i = 0; i < bytes.length - 1; i++) if (bytes[i] == '\n') return true;
      return false;
    }
  }

  private final Io io;
  private boolean stdinUsed;

  public Inputs(Io io) {
    this.io = io;
  }

  public Document read(String operand, Json.Limits limits) {
    String name = operand.equals("-") ? "<stdin>" : operand;
    byte[] bytes = bytes(operand);
    try {
      return new Document(name, bytes, Json.parse(bytes, limits));
    } catch (JsonInputException e) {
      throw CliException.usage(name + ": " + e.getMessage(), null);
    }
  }

  public byte[] bytes(String operand) {
    if (operand.equals("-")) {
      if (stdinUsed) throw CliException.usage("only one operand can be - (stdin)", null);
      stdinUsed = true;
      try {
        return io.in().readAllBytes();
      } catch (IOException e) {
        throw CliException.usage("cannot read stdin: " + e.getMessage(), null);
      }
    }
    Path p = Path.of(operand);
    if (Files.isDirectory(p)) {
      throw CliException.usage(operand + " is a directory, not a file", null);
    }
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new CliException(
          ExitCode.NOT_FOUND,
          operand + ": no such file",
          "check the path; use - to read standard input");
    } catch (AccessDeniedException e) {
      throw CliException.usage(operand + ": permission denied", null);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + operand + ": " + e.getMessage(), null);
    } catch (OutOfMemoryError e) {
      throw CliException.usage(operand + " is too large to read", null);
    }
  }
}
