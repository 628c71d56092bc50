package dev.cfgctl.patch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Reading and writing JSON the way cfgctl needs it: numbers keep their exact text, object keys keep
 * their order, duplicate keys and trailing content are errors, and nesting depth and string/number
 * lengths are bounded before any work is done on a document. Thread-safe.
 */
public final class Json {
  /**
   * Bounds on what {@link #parse} accepts. {@code strict} input must be UTF-8 (a UTF-8 byte order
   * mark is skipped) with no lone surrogate in any string; text this program stored itself is read
   * without that check and deeper, so that nothing an older build stored becomes unreadable.
   */
  public record Limits(int maxDepth, int maxStringLength, int maxNumberLength, boolean strict) {
    public static final Limits DEFAULT = new Limits(200, 20_000_000, 1000, true);

    /** For stored text: deeper than any --max-depth (1000) allows, plus a patch's own levels. */
    public static final Limits STORED = new Limits(2000, 20_000_000, 1000, false);

    public Limits withMaxDepth(int depth) {
      return new Limits(depth, maxStringLength, maxNumberLength, strict);
    }
  }

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  // Writing goes straight to a generator, not through an ObjectMapper, whose start-up costs more
  // than a short command's whole run.
  private static final JsonFactory WRITER =
      JsonFactory.builder()
          // emoji and other non-BMP characters are written as themselves, not as \\uD83C\\uDFC3
          .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
          // whatever can be read back (Limits.STORED) can be written; Jackson's default stops at
          // 1000
          .streamWriteConstraints(
              StreamWriteConstraints.builder().maxNestingDepth(Limits.STORED.maxDepth()).build())
          .build();
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                  .withObjectEmptySeparator("")
                  .withArrayEmptySeparator(""))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n"));
  private static final JsonFactory DEFAULT_FACTORY = newFactory(Limits.DEFAULT);
  private static final JsonFactory STORED_FACTORY = newFactory(Limits.STORED);

  private Json() {}

  /**
   * Parses JSON text that this program wrote ({@link Limits#STORED}): stored rows, its own files.
   */
  public static JsonNode parse(String text) {
    try (JsonParser p = STORED_FACTORY.createParser(text)) {
      return parse(p, Limits.STORED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(byte[] bytes, Limits limits) {
    int start = limits.strict() ? Utf8.check(bytes) : 0;
    try (JsonParser p = factory(limits).createParser(bytes, start, bytes.length - start)) {
      return parse(p, limits);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode parse(InputStream in, Limits limits) throws IOException {
    return parse(in.readAllBytes(), limits);
  }

  private static JsonFactory factory(Limits limits) {
    // Field by field, not equals(): a record's equals() spins method handles on its first call,
    // which no start-up archive holds (~7 generated classes on every run of the command line).
    // Depth is checked by the tree builder, and strictness before parsing: only the string and
    // number lengths decide which factory parses.
    Limits d = Limits.DEFAULT;
    boolean isDefault =
        limits.maxStringLength() == d.maxStringLength()
            && limits.maxNumberLength() == d.maxNumberLength();
    return isDefault ? DEFAULT_FACTORY : newFactory(limits);
  }

  private static JsonFactory newFactory(Limits limits) {
    return JsonFactory.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .streamReadConstraints(
            StreamReadConstraints.builder()
                // depth is checked by the tree builder, with a clearer message
                .maxNestingDepth(Integer.MAX_VALUE)
                .maxStringLength(limits.maxStringLength())
                .maxNumberLength(limits.maxNumberLength())
                .maxDocumentLength(-1)
                .build())
        .build();
  }

  private static JsonNode parse(JsonParser p, Limits limits) throws IOException {
    JsonNode root;
    try {
      JsonToken t = p.nextToken();
      if (t == null) throw new JsonInputException("no JSON value (the input is empty)", 0, 0);
      root = value(p, t, 1, limits);
    } catch (JsonProcessingException e) {
      throw malformed("malformed JSON", e, p, false);
    }
    try {
      if (p.nextToken() == null) return root;
    } catch (JsonProcessingException e) {
      throw malformed("unexpected content after the JSON value", e, p, true);
    }
    JsonLocation l = p.currentTokenLocation();
    throw new JsonInputException(
        "unexpected content after the JSON value at line "
            + l.getLineNr()
            + ", column "
            + l.getColumnNr(),
        l.getLineNr(),
        l.getColumnNr());
  }

  private static JsonInputException malformed(
      String what, JsonProcessingException e, JsonParser p, boolean afterValue) {
    JsonLocation l = e.getLocation() != null ? e.getLocation() : p.currentLocation();
    int line = l == null ? 0 : l.getLineNr();
    int col = l == null ? 0 : l.getColumnNr();
    String where = line > 0 ? " at line " + line + ", column " + col : "";
    String detail = cleanMessage(e);
    // after a complete value, "Unrecognized token 'x': was expecting (JSON String, ...)" misleads
    if (afterValue && detail.startsWith("Unrecognized token")) {
      return new JsonInputException(what + where, line, col);
    }
    return new JsonInputException(what + where + ": " + detail, line, col);
  }

  /**
   * Jackson's message without its internals: source excerpts, feature names, constraint getters.
   */
  private static String cleanMessage(JsonProcessingException e) {
    String m = e.getOriginalMessage();
    if (m.contains("ALLOW_COMMENTS")) return "comments are not allowed in JSON";
    if (m.contains("ALLOW_NON_NUMERIC_NUMBERS")) {
      return m.replaceAll(": enable `[^`]*` to allow.*", "") + " (JSON has no NaN or Infinity)";
    }
    int nl = m.indexOf('\n');
    if (nl >= 0) m = m.substring(0, nl);
    m =
        m.replaceAll(" ?\\((start marker|for (Array|Object) starting) at .*$", "")
            .replaceAll(", from `StreamReadConstraints[^`]*`", "")
            .replaceAll("\\(CTRL-CHAR, code (\\d+)\\)", "control character $1")
            .trim();
    return m.endsWith(":") ? m.substring(0, m.length() - 1) : m;
  }

  private static JsonNode value(JsonParser p, JsonToken t, int depth, Limits limits)
      throws IOException {
    switch (t) {
      case START_OBJECT:
        {
          checkDepth(p, depth, limits.maxDepth());
          ObjectNode o = NODES.objectNode();
          for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            if (limits.strict()) checkSurrogates(p, name);
            o.set(name, value(p, p.nextToken(), depth + 1, limits));
          }
          return o;
        }
      case START_ARRAY:
        {
          checkDepth(p, depth, limits.maxDepth());
          ArrayNode a = NODES.arrayNode();
          for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            a.add(value(p, t, depth + 1, limits));
          }
          return a;
        }
      case VALUE_STRING:
        {
          String text = p.getText();
          if (limits.strict()) checkSurrogates(p, text);
          return NODES.textNode(text);
        }
      case VALUE_NUMBER_INT:
        return integer(p);
      case VALUE_NUMBER_FLOAT:
        return decimal(p);
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new JsonInputException("unexpected token " + t, 0, 0);
    }
  }

  /**
   * A number with a fraction or exponent; exponents of more than 8 digits are beyond arithmetic.
   */
  private static JsonNode decimal(JsonParser p) throws IOException {
    String text = p.getText();
    int e = Math.max(text.indexOf('e'), text.indexOf('E'));
    int digits = e < 0 ? 0 : text.length() - e - 1;
    if (digits > 0 && (text.charAt(e + 1) == '-' || text.charAt(e + 1) == '+')) digits--;
    if (digits > 8) {
      JsonLocation l = p.currentTokenLocation();
      throw new JsonInputException(
          "number "
              + cut(text, 40)
              + " has an exponent out of range at line "
              + l.getLineNr()
              + ", column "
              + l.getColumnNr(),
          l.getLineNr(),
          l.getColumnNr());
    }
    return new ExactNumberNode(text);
  }

  private static JsonNode integer(JsonParser p) throws IOException {
    String text = p.getText();
    switch (p.getNumberType()) {
      case INT:
        {
          int v = p.getIntValue();
          return Integer.toString(v).equals(text) ? NODES.numberNode(v) : new ExactNumberNode(text);
        }
      case LONG:
        {
          long v = p.getLongValue();
          return Long.toString(v).equals(text) ? NODES.numberNode(v) : new ExactNumberNode(text);
        }
      default:
        {
          BigInteger v = p.getBigIntegerValue();
          return v.toString().equals(text) ? NODES.numberNode(v) : new ExactNumberNode(text);
        }
    }
  }

  /**
   * Refuses a lone surrogate ({@code "\\ud800"}): it is no Unicode character, so no UTF-8 text can
   * hold it — PostgreSQL refuses it, and other tools turn it into U+FFFD.
   */
  private static void checkSurrogates(JsonParser p, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      JsonLocation l = p.currentTokenLocation();
      throw new JsonInputException(
          String.format(
              "malformed JSON at line %d, column %d: a lone"
                  + " surrogate \\u%04x in a string is not a character",
              l.getLineNr(), l.getColumnNr(), (int) c),
          l.getLineNr(),
          l.getColumnNr());
    }
  }

  private static void checkDepth(JsonParser p, int depth, int maxDepth) {
    if (depth > maxDepth) {
      JsonLocation l = p.currentTokenLocation();
      throw new JsonInputException(
          "JSON nested deeper than the limit of "
              + maxDepth
              + " levels at line "
              + l.getLineNr()
              + ", column "
              + l.getColumnNr(),
          l.getLineNr(),
          l.getColumnNr(),
          true);
    }
  }

  public static void write(JsonNode node, OutputStream out, boolean pretty) throws IOException {
    try (JsonGenerator g = WRITER.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      if (pretty) g.setPrettyPrinter(PRETTY);
      write(g, node);
    }
  }

  private static void write(JsonGenerator g, JsonNode n) throws IOException {
    switch (n.getNodeType()) {
      case OBJECT:
        g.writeStartObject();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          g.writeFieldName(e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
        break;
      case ARRAY:
        g.writeStartArray();
        for (JsonNode e : n) write(g, e);
        g.writeEndArray();
        break;
      case STRING:
        g.writeString(n.textValue());
        break;
      case NUMBER:
        if (n instanceof ExactNumberNode) g.writeNumber(((ExactNumberNode) n).text());
        else if (n.isInt()) g.writeNumber(n.intValue());
        else if (n.isLong()) g.writeNumber(n.longValue());
        else if (n.isBigInteger()) g.writeNumber(n.bigIntegerValue());
        else if (n.isBigDecimal()) g.writeNumber(n.decimalValue());
        else g.writeNumber(n.asText()); // double/float nodes made in code: Java's shortest text
        break;
      case BOOLEAN:
        g.writeBoolean(n.booleanValue());
        break;
      case NULL:
        g.writeNull();
        break;
      default:
        throw new IllegalArgumentException("not a JSON value: " + n.getNodeType());
    }
  }

  public static String write(JsonNode node, boolean pretty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(node, out, pretty);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public static String compact(JsonNode node) {
    return write(node, false);
  }

  /** The value for an error message: compact JSON, cut short when long. */
  public static String brief(JsonNode node) {
    return node == null ? "nothing" : brief(node, 60);
  }

  /**
   * Compact JSON of at most {@code width} characters, "..." ending a longer one. Writing stops soon
   * after {@code width}, so a brief look at a large value costs little.
   */
  public static String brief(JsonNode node, int width) {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public synchronized void write(byte[] b, int off, int len) {
            super.write(b, off, len);
            if (size() > width * 4)
              throw new EnoughWritten(); // 4 = the most bytes a character takes
          }
        };
    try {
      write(node, out, false);
    } catch (EnoughWritten e) {
      // the start is all we show
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cut(out.toString(StandardCharsets.UTF_8), width);
  }

  private static final class EnoughWritten extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EnoughWritten() {
      super(null, null, false, false);
    }
  }

  private static String cut(String s, int width) {
    return s.length() > width ? s.substring(0, width - 3) + "..." : s;
  }

  /**
   * The length in UTF-8 bytes of {@code node} written compactly ({@link #compact}), or a number
   * above {@code stopAbove} as soon as it is known to exceed it: a large value is not walked to the
   * end. Walks the tree without writing it.
   */
  public static long compactSize(JsonNode node, long stopAbove) {
    return size(node, 0, stopAbove);
  }

  private static long size(JsonNode n, long sum, long stopAbove) {
    switch (n.getNodeType()) {
      case OBJECT:
        {
          sum += n.size() > 0 ? n.size() * 2L + 1 : 2; // braces, colons and commas
          for (Iterator<Map.Entry<String, JsonNode>> it = n.fields();
              it.hasNext() && sum <= stopAbove; ) {
            Map.Entry<String, JsonNode> e = it.next();
            sum = size(e.getValue(), sum + stringSize(e.getKey()), stopAbove);
          }
          return sum;
        }
      case ARRAY:
        {
          sum += n.size() > 0 ? n.size() + 1 : 2; // brackets and commas
          for (int i = 0; i < n.size() && sum <= stopAbove; i++)
            sum = size(n.get(i), sum, stopAbove);
          return sum;
        }
      case STRING:
        return sum + stringSize(n.textValue());
      case NUMBER:
        return sum + (n instanceof ExactNumberNode x ? x.text().length() : n.asText().length());
      case BOOLEAN:
        return sum + (n.booleanValue() ? 4 : 5);
      default:
        return sum + 4; // null
    }
  }

  /** A string's length as written: quotes, escapes, UTF-8. */
  static long stringSize(String s) {
    long n = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20) {
        n += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 2 : 6;
      } else if (c == '"' || c == '\\') {
        n += 2;
      } else if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += Character.isSurrogate(c) ? 6 : 3;
      }
    }
    return n;
  }

  /**
   * How many containers deep {@code node} is (a scalar 0, {@code []} 1), or a number above {@code
   * stopAbove} as soon as it is known to exceed it.
   */
  public static int depth(JsonNode node, int stopAbove) {
    if (!node.isContainerNode()) return 0;
    if (stopAbove < 1) return 1;
    int deepest = 0;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child, stopAbove - 1));
      if (deepest > stopAbove - 1) break;
    }
    return deepest + 1;
  }

  /**
   * Equality as RFC 6902 {@code test} defines it: numbers are equal when their values are (1 and
   * 1.0), objects regardless of member order, arrays element by element.
   */
  public static boolean valueEquals(JsonNode a, JsonNode b) {
    if (a == b) return true;
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
    if (a.getNodeType() != b.getNodeType()) return false;
    if (a.isObject()) {
      if (a.size() != b.size()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !valueEquals(e.getValue(), other)) return false;
      }
      return true;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!valueEquals(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.equals(b);
  }
}
