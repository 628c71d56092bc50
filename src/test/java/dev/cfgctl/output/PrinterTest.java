package dev.cfgctl.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cfgctl.patch.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each printer renders the same result its own way: text lines, one JSON value, JSON Lines. */
class PrinterTest {
  /** Two named items: a line each in text, an array in json, an item a line in jsonl. */
  private static final Result NAMES =
      new Result() {
        @Override
        public ArrayNode toJson() {
          ArrayNode a = Json.NODES.arrayNode();
          jsonLines().forEach(a::add);
          return a;
        }

        @Override
        public List<JsonNode> jsonLines() {
          return List.of(
              Json.NODES.objectNode().put("name", "a"), Json.NODES.objectNode().put("name", "b"));
        }

        @Override
        public void printText(PrintStream out, boolean pretty) {
          out.println("a");
          out.println("b");
        }
      };

  @Test
  void textPrintsTheResultsOwnLines() {
    assertThat(print(Format.TEXT, false)).isEqualTo("a\nb\n");
  }

  @Test
  void jsonPrintsTheWholeResultAsOneValue() {
    assertThat(print(Format.JSON, false)).isEqualTo("[{\"name\":\"a\"},{\"name\":\"b\"}]\n");
  }

  @Test
  void jsonIndentsWhenPretty() {
    assertThat(print(Format.JSON, true))
        .isEqualTo("[\n  {\n    \"name\": \"a\"\n  },\n  {\n    \"name\": \"b\"\n  }\n]\n");
  }

  @Test
  void jsonLinesPrintsEachItemCompactOnItsOwnLineEvenWhenPretty() {
    assertThat(print(Format.JSONL, true)).isEqualTo("{\"name\":\"a\"}\n{\"name\":\"b\"}\n");
  }

  @Test
  void aSingleValueIsOneJsonLine() {
    Result one = Result.json(Json.NODES.objectNode().put("n", 1));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Format.JSONL.printer(new PrintStream(bytes, true, StandardCharsets.UTF_8), true).print(one);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}\n");
  }

  private static String print(Format format, boolean pretty) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    format.printer(new PrintStream(bytes, true, StandardCharsets.UTF_8), pretty).print(NAMES);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
