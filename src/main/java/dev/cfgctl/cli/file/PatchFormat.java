package dev.cfgctl.cli.file;

import dev.cfgctl.cli.Candidates;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The two patch formats cfgctl reads and writes, spelt json-patch and merge-patch on the command
 * line.
 */
public enum PatchFormat {
  JSON_PATCH("json-patch"),
  MERGE_PATCH("merge-patch");

  /** The spelling the command line takes. */
  public final String label;

  PatchFormat(String label) {
    this.label = label;
  }

  /** What --format completes to: the labels, which the converter accepts. */
  static Candidates candidates() {
    List<String> labels = new ArrayList<>();
    for (PatchFormat f : values()) labels.add(f.label);
    return Candidates.of(labels);
  }

  /** Accepts the documented spellings json-patch and merge-patch. */
  public static final class Converter implements ITypeConverter<PatchFormat> {
    @Override
    public PatchFormat convert(String value) {
      for (PatchFormat f : values()) if (f.label.equals(value)) return f;
      throw new TypeConversionException("expected json-patch or merge-patch, not '" + value + "'");
    }
  }
}
