package dev.cfgctl.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The two patch formats cfgctl reads and writes. */
public enum PatchFormat {
  JSON_PATCH,
  MERGE_PATCH;

  /** Accepts the documented spellings json-patch and merge-patch. */
  public static final class Converter implements ITypeConverter<PatchFormat> {
    @Override
    public PatchFormat convert(String value) {
      switch (value) {
        case "json-patch": return JSON_PATCH;
        case "merge-patch": return MERGE_PATCH;
        default:
          throw new TypeConversionException("expected json-patch or merge-patch, not '" + value + "'");
      }
    }
  }
}
