package io.miroir.meili;

/**
 * A {@code Content-Type} value read the way Meilisearch's HTTP stack reads it (the Rust {@code mime} crate behind
 * actix's {@code mime_type()}): {@code type/subtype[+suffix]} then {@code ;name=value} parameters, type and subtype
 * case-insensitive, no whitespace before {@code ;}. Only the essence matters to Meilisearch; a value that does not
 * parse is echoed verbatim in its {@code invalid_content_type} message (MEILISEARCH-1.21-API §4.3).
 *
 * @param type lower-case top-level type
 * @param subtype lower-case subtype without its {@code +suffix}
 */
record MediaType(String type, String subtype) {

  /** The parsed value, or null when the {@code mime} crate would refuse it. */
  static MediaType parse(String header) {
    String s = trimOws(header);
    if (s.equals("*/*")) {
      return new MediaType("*", "*");
    }
    int slash = topLevel(s);
    if (slash < 0) {
      return null;
    }
    int i = slash + 1;
    int plus = -1;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+' && i > slash + 1) {
        plus = i;
      } else if (c == ';' && i > slash + 1) {
        break;
      } else if (!isToken(c)) {
        return null;
      }
    }
    if (i < s.length() && !paramsValid(s, i + 1)) {
      return null;
    }
    String subtype = s.substring(slash + 1, plus >= 0 ? plus : i);
    return new MediaType(s.substring(0, slash).toLowerCase(java.util.Locale.ROOT),
        subtype.toLowerCase(java.util.Locale.ROOT));
  }

  /** HTTP strips optional whitespace around a header value before any application sees it. */
  static String trimOws(String header) {
    int start = 0;
    int stop = header.length();
    while (start < stop && (header.charAt(start) == ' ' || header.charAt(start) == '\t')) {
      start++;
    }
    while (stop > start && (header.charAt(stop - 1) == ' ' || header.charAt(stop - 1) == '\t')) {
      stop--;
    }
    return header.substring(start, stop);
  }

  private static int topLevel(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '/' && i > 0) {
        return i;
      }
      if (!isToken(c)) {
        return -1;
      }
    }
    return -1;
  }

  /** {@code name=value} pairs after {@code ;}: a space may open a name, values are tokens or quoted strings. */
  private static boolean paramsValid(String s, int start) {
    int i = start;
    while (i < s.length()) {
      if (s.charAt(i) == ' ') {
        i++;
        continue;
      }
      int eq = i;
      while (eq < s.length() && s.charAt(eq) != '=') {
        if (!isToken(s.charAt(eq))) {
          return false;
        }
        eq++;
      }
      if (eq == s.length() || eq == i) {
        return false;
      }
      i = value(s, eq + 1);
      if (i < 0) {
        return false;
      }
    }
    return true;
  }

  /** Index after a parameter value and its {@code ;}, or -1 if the value is not well formed. */
  private static int value(String s, int start) {
    if (start < s.length() && s.charAt(start) == '"') {
      int close = start + 1;
      while (close < s.length() && s.charAt(close) != '"') {
        char c = s.charAt(close);
        if (c < 32 || c == 127) {
          return -1;
        }
        close++;
      }
      if (close == s.length()) {
        return -1;
      }
      int i = close + 1;
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      if (i == s.length()) {
        return i;
      }
      return s.charAt(i) == ';' ? i + 1 : -1;
    }
    int i = start;
    while (i < s.length() && s.charAt(i) != ';') {
      if (!isToken(s.charAt(i))) {
        return -1;
      }
      i++;
    }
    if (i == s.length()) {
      return i;
    }
    return i > start ? i + 1 : -1;
  }

  /** RFC 7230 {@code tchar}. */
  private static boolean isToken(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
