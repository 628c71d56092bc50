package dev.cfgctl.store.jdbc;

import java.util.regex.Pattern;

/**
 * Takes the secrets out of database URLs and of messages that may quote one (a driver's error):
 * {@code password=…} parameters and {@code user:password@} user info. Thread-safe.
 */
public final class Secrets {
  private static final Pattern PASSWORD_PARAM =
      Pattern.compile("(?i)((?:password|passwd|pwd|sslpassword)=)[^&;\\s\"']*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]*:)[^@/\\s]*@");

  private Secrets() {}

  /** {@code text} with every password in it replaced by {@code …}; null stays null. */
  public static String redact(String text) {
    if (text == null) return null;
    String s = PASSWORD_PARAM.matcher(text).replaceAll("$1…");
    return USER_INFO.matcher(s).replaceAll("$1…@");
  }
}
