package dev.cfgctl.api;

/** The media types of the config API's bodies (API.md). */
public final class MediaTypes {
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  /** RFC 6902. */
  public static final String JSON_PATCH = "application/json-patch+json";

  /** RFC 7396. */
  public static final String MERGE_PATCH = "application/merge-patch+json";

  private MediaTypes() {}
}
