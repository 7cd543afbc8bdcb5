package io.miroir.tasks;

import io.miroir.meili.ErrorCode;
import io.miroir.meili.MeiliException;
import io.miroir.store.TaskQuery;
import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the query parameters of {@code GET /tasks}, {@code DELETE /tasks} and {@code POST /tasks/cancel} into a
 * {@link TaskQuery} exactly as Meilisearch 1.21 does (D1; API reference §2.7), with its error codes and messages,
 * which were read off the real binary:
 *
 * <ul>
 *   <li>Parameters are handled in the order they first appear; a repeated parameter keeps its last value; the first
 *       problem is reported. Names are case-sensitive; an unknown one is {@code bad_request} with a "did you mean".
 *   <li>Lists are comma-separated; empty items are skipped; an item {@code *} makes the whole filter "any"; items are
 *       not trimmed. Statuses and types are matched ignoring ASCII case. A list with no item at all ({@code uids=})
 *       matches no task; since an empty set in {@link TaskQuery} means "any", such a filter is a set holding a value
 *       no task has: {@link #NO_UID} or {@link #NO_VALUE}.
 *   <li>Numbers are unsigned 32-bit. Dates are RFC 3339 or {@code YYYY-MM-DD}; a date-only {@code after*} bound means
 *       after the end of that day; {@code *} means no bound.
 *   <li>Deletion and cancelation accept the same filters minus {@code limit}, {@code from} and {@code reverse}, and
 *       need at least one of them to be present ({@code missing_task_filters}).
 * </ul>
 */
public final class TaskQueryParser {
  /** Default page size of {@code GET /tasks}. */
  public static final int DEFAULT_LIMIT = 20;
  /** The uid no task has: stands for an empty list of uids, batch uids or canceledBy. */
  public static final long NO_UID = -1;
  /** The string no task has as status, type or index uid: stands for an empty list of them. */
  public static final String NO_VALUE = "";

  private static final long U32_MAX = 0xFFFF_FFFFL;
  private static final int INDEX_UID_MAX_BYTES = 400;

  /** Task statuses in Meilisearch's order (the order its error messages list them). */
  public static final List<String> STATUSES = List.of("enqueued", "processing", "succeeded", "failed", "canceled");
  /** Task types in Meilisearch's order (the order its error messages list them). */
  public static final List<String> TYPES = List.of("documentAdditionOrUpdate", "documentEdition", "documentDeletion",
      "settingsUpdate", "indexCreation", "indexDeletion", "indexUpdate", "indexSwap", "taskCancelation",
      "taskDeletion", "dumpCreation", "snapshotCreation", "export", "upgradeDatabase");

  private static final List<String> FILTERS = List.of("uids", "batchUids", "canceledBy", "types", "statuses",
      "indexUids", "afterEnqueuedAt", "beforeEnqueuedAt", "afterStartedAt", "beforeStartedAt", "afterFinishedAt",
      "beforeFinishedAt");
  private static final List<String> LIST_PARAMS = List.of("limit", "from", "reverse", "batchUids", "uids",
      "canceledBy", "types", "statuses", "indexUids", "afterEnqueuedAt", "beforeEnqueuedAt", "afterStartedAt",
      "beforeStartedAt", "afterFinishedAt", "beforeFinishedAt");

  private static final String INVALID_DATE = "`%s` is an invalid date-time. It should follow the YYYY-MM-DD or "
      + "RFC 3339 date-time format.";
  private static final String MISSING_FILTERS = "Query parameters to filter the tasks to %s are missing. Available "
      + "query parameters are: `uids`, `indexUids`, `statuses`, `types`, `canceledBy`, `beforeEnqueuedAt`, "
      + "`afterEnqueuedAt`, `beforeStartedAt`, `afterStartedAt`, `beforeFinishedAt`, `afterFinishedAt`.";

  // Like the `time` crate Meilisearch uses: any single-byte separator between date and time (not only `T`), a
  // fraction of any length (digits past the ninth ignored), `Z` in either case or a ±HH:MM offset.
  private static final Pattern RFC3339 = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})[\\x00-\\x7F](\\d{2}):(\\d{2}):(\\d{2})"
      + "(?:\\.(\\d+))?(?:([Zz])|([+-])(\\d{2}):(\\d{2}))");
  private static final Pattern DATE = Pattern.compile("([+-]?\\d{4})-(\\d{2})-(\\d{2})");

  private TaskQueryParser() {
  }

  /** {@code GET /tasks}. */
  public static TaskQuery parseList(MultiMap params) {
    return parse(params, LIST_PARAMS).query();
  }

  /** {@code DELETE /tasks}: filters only, at least one of them. */
  public static TaskQuery parseDeletion(MultiMap params) {
    return requireFilter(parse(params, FILTERS), "delete");
  }

  /** {@code POST /tasks/cancel}: filters only, at least one of them. */
  public static TaskQuery parseCancelation(MultiMap params) {
    return requireFilter(parse(params, FILTERS), "cancel");
  }

  /**
   * The {@code originalFilter} of a taskCancelation or taskDeletion: Meilisearch records the request's raw query
   * string, undecoded, behind a {@code ?} (e.g. {@code "?uids=1"}, {@code "?indexUids=a%2Cb"}).
   *
   * @param rawQuery the query string as received (Vert.x {@code HttpServerRequest.query()}), without the {@code ?}
   */
  public static String originalFilter(String rawQuery) {
    return "?" + (rawQuery == null ? "" : rawQuery);
  }

  /**
   * An {@code originalFilter} rebuilt from decoded parameters, for callers that no longer have the raw query. Names
   * and values are percent-encoded except for unreserved characters and {@code , *}, which keeps the common cases
   * ({@code ?statuses=enqueued,processing}) identical to what a client sends.
   */
  public static String originalFilter(MultiMap params) {
    StringBuilder b = new StringBuilder("?");
    for (Map.Entry<String, String> e : params.entries()) {
      if (b.length() > 1) {
        b.append('&');
      }
      b.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    return b.toString();
  }

  private static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (x & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~,*".indexOf(c) >= 0) {
        b.append(c);
      } else {
        b.append('%').append(String.format("%02X", x & 0xFF));
      }
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- parsing

  private record Parsed(TaskQuery query, boolean anyFilter) {
  }

  private static TaskQuery requireFilter(Parsed parsed, String verb) {
    if (!parsed.anyFilter()) {
      throw new MeiliException(ErrorCode.MISSING_TASK_FILTERS, String.format(MISSING_FILTERS, verb));
    }
    return parsed.query();
  }

  private static Parsed parse(MultiMap params, List<String> accepted) {
    Builder q = new Builder();
    for (Map.Entry<String, String> e : lastValues(params).entrySet()) {
      if (!accepted.contains(e.getKey())) {
        throw unknownParameter(e.getKey(), accepted);
      }
      q.set(e.getKey(), e.getValue());
    }
    return new Parsed(q.build(), q.anyFilter);
  }

  /** Each name at the place it first appears, with the value it last had, as Meilisearch reads a query string. */
  private static Map<String, String> lastValues(MultiMap params) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : params.entries()) {
      out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static MeiliException unknownParameter(String name, List<String> accepted) {
    StringBuilder expected = new StringBuilder();
    for (String a : accepted) {
      expected.append(expected.length() == 0 ? "" : ", ").append('`').append(a).append('`');
    }
    return new MeiliException(ErrorCode.BAD_REQUEST,
        "Unknown parameter `" + name + "`: " + DidYouMean.suggest(name, accepted) + "expected one of " + expected);
  }

  private static MeiliException invalid(ErrorCode code, String location, String why) {
    return new MeiliException(code, "Invalid value in parameter `" + location + "`: " + why);
  }

  /** Accumulates parameters into a {@link TaskQuery}; unset filters stay "any". */
  private static final class Builder {
    private Set<Long> uids = Set.of();
    private Set<Long> batchUids = Set.of();
    private Set<Long> canceledBy = Set.of();
    private Set<String> types = Set.of();
    private Set<String> statuses = Set.of();
    private Set<String> indexUids = Set.of();
    private final Instant[] dates = new Instant[6];
    private int limit = DEFAULT_LIMIT;
    private Long from;
    private boolean reverse;
    private boolean anyFilter;

    void set(String name, String value) {
      anyFilter |= FILTERS.contains(name);
      switch (name) {
        case "limit" -> limit = (int) Math.min(Integer.MAX_VALUE, u32(value, name, ErrorCode.INVALID_TASK_LIMIT));
        case "from" -> from = u32(value, name, ErrorCode.INVALID_TASK_FROM);
        case "reverse" -> reverse = bool(value);
        case "uids" -> uids = uidList(value, name, ErrorCode.INVALID_TASK_UIDS);
        case "batchUids" -> batchUids = uidList(value, name, ErrorCode.INVALID_BATCH_UIDS);
        case "canceledBy" -> canceledBy = uidList(value, name, ErrorCode.INVALID_TASK_CANCELED_BY);
        case "types" -> types = list(value, name, ErrorCode.INVALID_TASK_TYPES, TaskQueryParser::type, NO_VALUE);
        case "statuses" -> statuses = list(value, name, ErrorCode.INVALID_TASK_STATUSES, TaskQueryParser::status,
            NO_VALUE);
        case "indexUids" -> indexUids = list(value, name, ErrorCode.INVALID_INDEX_UID, TaskQueryParser::indexUid,
            NO_VALUE);
        default -> setDate(name, value);
      }
    }

    private void setDate(String name, String value) {
      int slot = FILTERS.indexOf(name) - FILTERS.indexOf("afterEnqueuedAt");
      ErrorCode code = switch (name) {
        case "afterEnqueuedAt" -> ErrorCode.INVALID_TASK_AFTER_ENQUEUED_AT;
        case "beforeEnqueuedAt" -> ErrorCode.INVALID_TASK_BEFORE_ENQUEUED_AT;
        case "afterStartedAt" -> ErrorCode.INVALID_TASK_AFTER_STARTED_AT;
        case "beforeStartedAt" -> ErrorCode.INVALID_TASK_BEFORE_STARTED_AT;
        case "afterFinishedAt" -> ErrorCode.INVALID_TASK_AFTER_FINISHED_AT;
        default -> ErrorCode.INVALID_TASK_BEFORE_FINISHED_AT;
      };
      dates[slot] = "*".equals(value) ? null : date(value, name.startsWith("after"), name, code);
    }

    TaskQuery build() {
      return new TaskQuery(uids, batchUids, canceledBy, types, statuses, indexUids, dates[0], dates[1], dates[2],
          dates[3], dates[4], dates[5], limit, from, reverse);
    }
  }

  private static long u32(String value, String location, ErrorCode code) {
    Long v = parseU32(value);
    if (v == null) {
      throw invalid(code, location, "could not parse `" + value + "` as a positive integer");
    }
    return v;
  }

  /** Rust's {@code u32::from_str}: an optional {@code +}, then ASCII digits, at most 4294967295. */
  private static Long parseU32(String s) {
    String digits = s.startsWith("+") ? s.substring(1) : s;
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    String significant = digits.replaceFirst("^0+(?=.)", "");
    if (significant.length() > 10) {
      return null;
    }
    long v = Long.parseLong(significant);
    return v > U32_MAX ? null : v;
  }

  private static boolean bool(String value) {
    if ("true".equals(value)) {
      return true;
    }
    if ("false".equals(value)) {
      return false;
    }
    throw invalid(ErrorCode.INVALID_TASK_REVERSE, "reverse",
        "could not parse `" + value + "` as a boolean, expected either `true` or `false`");
  }

  private static Set<Long> uidList(String value, String name, ErrorCode code) {
    return list(value, name, code, item -> {
      Long v = parseU32(item);
      if (v == null) {
        throw new IllegalArgumentException("could not parse `" + item + "` as a positive integer");
      }
      return v;
    }, NO_UID);
  }

  /**
   * A comma-separated list: empty items skipped, {@code *} anywhere means any (empty set), no item at all means
   * none ({@code nothing}). An item that does not parse is reported at {@code name[i]} when the list has several
   * items, at {@code name} otherwise.
   */
  private static <T> Set<T> list(String value, String name, ErrorCode code, Function<String, T> parseItem,
      T nothing) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (!item.isEmpty()) {
        items.add(item);
      }
    }
    boolean star = false;
    Set<T> out = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String item = items.get(i);
      if ("*".equals(item)) {
        star = true;
        continue;
      }
      try {
        out.add(parseItem.apply(item));
      } catch (IllegalArgumentException e) {
        throw invalid(code, items.size() > 1 ? name + "[" + i + "]" : name, e.getMessage());
      }
    }
    if (star) {
      return Set.of();
    }
    return out.isEmpty() ? Set.of(nothing) : out;
  }

  private static String status(String item) {
    return canonical(item, STATUSES, "`" + item + "` is not a valid task status. Available statuses are "
        + quoted(STATUSES) + ".");
  }

  private static String type(String item) {
    return canonical(item, TYPES, "`" + item + "` is not a valid task type. Available types are "
        + quoted(TYPES) + ".");
  }

  /** Meilisearch compares statuses and types with {@code eq_ignore_ascii_case}; answer the canonical spelling. */
  private static String canonical(String item, List<String> known, String error) {
    for (String k : known) {
      if (equalsIgnoreAsciiCase(k, item)) {
        return k;
      }
    }
    throw new IllegalArgumentException(error);
  }

  private static boolean equalsIgnoreAsciiCase(String a, String b) {
    if (a.length() != b.length()) {
      return false;
    }
    for (int i = 0; i < a.length(); i++) {
      if (asciiLower(a.charAt(i)) != asciiLower(b.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  private static String quoted(List<String> values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append(b.length() == 0 ? "" : ", ").append('`').append(v).append('`');
    }
    return b.toString();
  }

  /**
   * Meilisearch's index uid rule. Its message says 512 bytes, but 1.21 rejects anything above 400 bytes (checked on
   * the binary: 400 passes, 401 fails), so that is the limit enforced here, with Meilisearch's message.
   */
  private static String indexUid(String item) {
    boolean valid = item.length() <= INDEX_UID_MAX_BYTES
        && item.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_');
    if (!valid) {
      throw new IllegalArgumentException("`" + item + "` is not a valid index uid. Index uid can be an integer or a "
          + "string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more "
          + "than 512 bytes.");
    }
    return item;
  }

  // ---------------------------------------------------------------- dates

  /** An RFC 3339 date-time, else {@code YYYY-MM-DD} (midnight UTC; for an {@code after*} bound the next midnight). */
  static Instant date(String value, boolean after, String location, ErrorCode code) {
    Instant full = rfc3339(value);
    if (full != null) {
      return full;
    }
    LocalDate day = dateOnly(value);
    if (day == null) {
      throw invalid(code, location, String.format(INVALID_DATE, value));
    }
    // Meilisearch keeps the day itself when the next one is out of its calendar's range (year 9999 is its last).
    LocalDate bound = after && !(day.getYear() == 9999 && day.getDayOfYear() == day.lengthOfYear())
        ? day.plusDays(1) : day;
    return bound.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static Instant rfc3339(String value) {
    Matcher m = RFC3339.matcher(value);
    if (!m.matches()) {
      return null;
    }
    try {
      int second = Integer.parseInt(m.group(6));
      boolean leap = second == 60;
      // A leap second stands for the last nanosecond of second 59, whatever fraction was written.
      LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          leap ? 59 : second, leap ? 999_999_999 : nanos(m.group(7)));
      Integer offsetSeconds = offsetSeconds(m);
      if (offsetSeconds == null) {
        return null;
      }
      // Offsets reach ±23:59 in RFC 3339, beyond java.time's ±18:00, so apply them by hand.
      Instant at = local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds);
      return leap && !isLastNanoOfMonthUtc(at) ? null : at;
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The `time` crate accepts second 60 only where a leap second can occur: the end of a month, in UTC. */
  private static boolean isLastNanoOfMonthUtc(Instant at) {
    LocalDateTime utc = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    return utc.getHour() == 23 && utc.getMinute() == 59 && utc.getSecond() == 59 && utc.getNano() == 999_999_999
        && utc.getDayOfMonth() == utc.toLocalDate().lengthOfMonth();
  }

  private static int nanos(String fraction) {
    if (fraction == null) {
      return 0;
    }
    String nine = (fraction + "000000000").substring(0, 9); // digits past the ninth are ignored
    return Integer.parseInt(nine);
  }

  private static Integer offsetSeconds(Matcher m) {
    if (m.group(8) != null) {
      return 0;
    }
    int hours = Integer.parseInt(m.group(10));
    int minutes = Integer.parseInt(m.group(11));
    if (hours > 23 || minutes > 59) {
      return null;
    }
    int sign = "-".equals(m.group(9)) ? -1 : 1;
    return sign * (hours * 3600 + minutes * 60);
  }

  private static LocalDate dateOnly(String value) {
    Matcher m = DATE.matcher(value);
    if (!m.matches()) {
      return null;
    }
    try {
      return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * deserr's suggestion for an unknown parameter: the closest accepted name by Damerau–Levenshtein distance, if
   * within the typo budget of the received name's length in bytes (none up to 3 bytes).
   */
  static final class DidYouMean {
    private DidYouMean() {
    }

    static String suggest(String received, List<String> accepted) {
      int bytes = received.getBytes(StandardCharsets.UTF_8).length;
      int allowed = bytes <= 3 ? -1 : bytes <= 7 ? 1 : bytes <= 12 ? 2 : bytes <= 17 ? 3 : bytes <= 24 ? 4 : 5;
      String best = null;
      int bestDistance = Integer.MAX_VALUE;
      for (String a : accepted) {
        int d = distance(received, a);
        if (d <= allowed && d < bestDistance) { // strictly less: the first of equals wins, as Rust's min_by
          best = a;
          bestDistance = d;
        }
      }
      return best == null ? "" : "did you mean `" + best + "`? ";
    }

    /** Unrestricted Damerau–Levenshtein distance over code points (transpositions of adjacent symbols count 1). */
    static int distance(String a, String b) {
      int[] s = a.codePoints().toArray();
      int[] t = b.codePoints().toArray();
      int max = s.length + t.length;
      Map<Integer, Integer> lastRow = new HashMap<>();
      int[][] d = new int[s.length + 2][t.length + 2];
      d[0][0] = max;
      for (int i = 0; i <= s.length; i++) {
        d[i + 1][0] = max;
        d[i + 1][1] = i;
      }
      for (int j = 0; j <= t.length; j++) {
        d[0][j + 1] = max;
        d[1][j + 1] = j;
      }
      for (int i = 1; i <= s.length; i++) {
        int lastMatchCol = 0;
        for (int j = 1; j <= t.length; j++) {
          int k = lastRow.getOrDefault(t[j - 1], 0);
          int l = lastMatchCol;
          int cost = s[i - 1] == t[j - 1] ? 0 : 1;
          if (cost == 0) {
            lastMatchCol = j;
          }
          d[i + 1][j + 1] = Math.min(Math.min(d[i][j] + cost, d[i + 1][j] + 1),
              Math.min(d[i][j + 1] + 1, d[k][l] + (i - k - 1) + 1 + (j - l - 1)));
        }
        lastRow.put(s[i - 1], i);
      }
      return d[s.length + 1][t.length + 1];
    }
  }
}
