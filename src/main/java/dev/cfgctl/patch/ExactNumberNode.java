package dev.cfgctl.patch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number that keeps the exact text it was written with ({@code 1.0}, {@code 1e2}, {@code
 * -0}), so reading and writing a document never rewrites its numbers. Equality is by text, which is
 * what a diff needs; the {@code test} operation compares numbers by value instead (see {@link
 * Json#valueEquals}). Immutable, thread-safe.
 */
public final class ExactNumberNode extends NumericNode {
  private static final long serialVersionUID = 1L;
  private final String text;
  private transient BigDecimal decimal;

  public ExactNumberNode(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  @Override
  public BigDecimal decimalValue() {
    BigDecimal d = decimal;
    if (d == null) decimal = d = new BigDecimal(text);
    return d;
  }

  @Override
  public JsonToken asToken() {
    return isIntegralText() ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
  }

  private boolean isIntegralText() {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == 'e' || c == 'E') return false;
    }
    return true;
  }

  @Override
  public JsonParser.NumberType numberType() {
    return JsonParser.NumberType.BIG_DECIMAL;
  }

  @Override
  public boolean isIntegralNumber() {
    return isIntegralText();
  }

  @Override
  public boolean isFloatingPointNumber() {
    return !isIntegralText();
  }

  @Override
  public boolean isBigDecimal() {
    return true;
  }

  @Override
  public boolean canConvertToExactIntegral() {
    BigDecimal d = decimalValue();
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }

  @Override
  public Number numberValue() {
    return decimalValue();
  }

  @Override
  public int intValue() {
    return decimalValue().intValue();
  }

  @Override
  public long longValue() {
    return decimalValue().longValue();
  }

  @Override
  public double doubleValue() {
    return Double.parseDouble(text);
  }

  @Override
  public BigInteger bigIntegerValue() {
    return decimalValue().toBigInteger();
  }

  @Override
  public boolean canConvertToInt() {
    BigDecimal d = decimalValue();
    return d.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
        && d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
  }

  @Override
  public boolean canConvertToLong() {
    BigDecimal d = decimalValue();
    return d.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
        && d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
  }

  @Override
  public String asText() {
    return text;
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    g.writeNumber(text);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExactNumberNode && ((ExactNumberNode) o).text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
