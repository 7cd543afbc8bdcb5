package io.miroir.meili;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Parsing of document write bodies ({@code POST|PUT /indexes/{uid}/documents}, {@code …/delete-batch}) with
 * Meilisearch 1.21's synchronous verdicts, so that a batch is judged whole before any node call (SPEC §1.3, D10;
 * MEILISEARCH-1.21-API §2.6, §4.3, §7.5).
 *
 * <p>Every rejection here is synchronous: the caller answers it with {@link MeiliException#httpStatus()} and
 * {@link MeiliException#body()} and creates no task. Checks run in Meilisearch's order: the {@code csvDelimiter}
 * parameter (400), the {@code Content-Type} (415), an empty body (400 {@code missing_payload}), then the bytes
 * (400 {@code malformed_payload}; a non-object element or NDJSON value is 500 {@code internal}, as on the node).
 * The body-size limit is the caller's; {@link #payloadTooLarge(long)} builds its error.
 */
public final class DocumentPayload {
  private static final String ACCEPTED = "`application/json`, `application/x-ndjson`, `text/csv`";

  private DocumentPayload() {
  }

  /** The documents of a write body, in payload order. */
  public static List<JsonObject> parse(Buffer body, String contentTypeHeader, String csvDelimiterParam) {
    return parsePayload(body, contentTypeHeader, csvDelimiterParam).documents();
  }

  /**
   * The documents together with the raw facts {@link BatchValidator#validate(ParsedPayload, String, String,
   * java.util.Set)} needs to fail a batch exactly as Meilisearch would; prefer this over {@link #parse}.
   */
  public static ParsedPayload parsePayload(Buffer body, String contentTypeHeader, String csvDelimiterParam) {
    Byte delimiter = csvDelimiter(csvDelimiterParam);
    PayloadFormat format = format(contentTypeHeader, delimiter != null);
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    if (bytes.length == 0) {
      throw new MeiliException(ErrorCode.MISSING_PAYLOAD, "A " + format.label() + " payload is missing.");
    }
    return switch (format) {
      case JSON -> JsonDocuments.readJson(bytes);
      case NDJSON -> JsonDocuments.readNdjson(bytes);
      case CSV -> new ParsedPayload(PayloadFormat.CSV,
          CsvDocuments.read(bytes, delimiter == null ? (byte) ',' : delimiter));
    };
  }

  /**
   * The {@code csvDelimiter} query parameter: null when absent, else its single ASCII byte. Meilisearch checks it
   * before anything else, whatever the content type.
   */
  public static Byte csvDelimiter(String param) {
    if (param == null) {
      return null;
    }
    int chars = param.codePointCount(0, param.length());
    if (chars == 0) {
      throw delimiterError("Invalid value in parameter `csvDelimiter`: expected a string of one character, but found "
          + "an empty string");
    }
    if (chars > 1) {
      throw delimiterError("Invalid value in parameter `csvDelimiter`: expected a string of one character, but found "
          + "the following string of " + chars + " characters: `" + param + "`");
    }
    if (param.charAt(0) > 0x7F) {
      throw delimiterError("csv delimiter must be an ascii character. Found: `" + param + "`");
    }
    return (byte) param.charAt(0);
  }

  private static MeiliException delimiterError(String message) {
    return new MeiliException(ErrorCode.INVALID_DOCUMENT_CSV_DELIMITER, message);
  }

  /** The payload format named by the {@code Content-Type} header (null when absent), or Meilisearch's 415. */
  public static PayloadFormat format(String contentTypeHeader, boolean csvDelimiterGiven) {
    if (contentTypeHeader == null) {
      throw new MeiliException(ErrorCode.MISSING_CONTENT_TYPE,
          "A Content-Type header is missing. Accepted values for the Content-Type header are: " + ACCEPTED);
    }
    MediaType type = MediaType.parse(contentTypeHeader);
    if (type == null) {
      throw invalidContentType(MediaType.trimOws(contentTypeHeader));
    }
    String essence = type.type() + "/" + type.subtype();
    PayloadFormat format = switch (essence) {
      case "application/json" -> PayloadFormat.JSON;
      case "application/x-ndjson" -> PayloadFormat.NDJSON;
      case "text/csv" -> PayloadFormat.CSV;
      default -> throw invalidContentType(essence);
    };
    if (csvDelimiterGiven && format != PayloadFormat.CSV) {
      throw new MeiliException(ErrorCode.INVALID_CONTENT_TYPE, "The Content-Type `" + format.mediaType()
          + "` does not support the use of a csv delimiter. The csv delimiter can only be used with the "
          + "Content-Type `text/csv`.");
    }
    return format;
  }

  private static MeiliException invalidContentType(String shown) {
    return new MeiliException(ErrorCode.INVALID_CONTENT_TYPE, "The Content-Type `" + shown
        + "` is invalid. Accepted values for the Content-Type header are: " + ACCEPTED);
  }

  /**
   * A {@code delete-batch} body (a JSON array of ids) as Meilisearch reads it: strings kept, any other value
   * stringified as serde_json prints it ({@code 1} → {@code "1"}, {@code 1.0} → {@code "1.0"}). Its
   * {@code Content-Type} rules are those of every JSON route and are the caller's.
   */
  public static List<String> parseIdList(Buffer body) {
    return JsonDocuments.readIdList(body == null ? new byte[0] : body.getBytes());
  }

  /** Meilisearch's 413 for a body above {@code limitBytes} ({@code --http-payload-size-limit}). */
  public static MeiliException payloadTooLarge(long limitBytes) {
    return new MeiliException(ErrorCode.PAYLOAD_TOO_LARGE,
        "The provided payload reached the size limit. The maximum accepted payload size is "
            + formatByteSize(limitBytes) + ".");
  }

  /**
   * A byte count as Meilisearch 1.21 prints its payload limit: a multiple of 1024 in the largest binary unit that
   * fits ({@code 1 KiB}, {@code 1.5 MiB}, {@code 1000 KiB}), anything else in the largest decimal unit that fits
   * ({@code 100 MB}, {@code 1.536 KB}, {@code 999 B}); the number as Rust prints an {@code f64}.
   */
  public static String formatByteSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size [" + bytes + "]");
    }
    boolean binary = bytes % 1024 == 0;
    String[] units = binary
        ? new String[] {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
        : new String[] {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
    BigInteger step = BigInteger.valueOf(binary ? 1024 : 1000);
    BigInteger size = BigInteger.valueOf(bytes);
    BigInteger unitBytes = BigInteger.ONE;
    int unit = 0;
    while (unit + 1 < units.length && size.compareTo(unitBytes.multiply(step)) >= 0) {
      unitBytes = unitBytes.multiply(step);
      unit++;
    }
    double value = new BigDecimal(size).doubleValue() / unitBytes.doubleValue();
    return RustFormat.display(value) + " " + units[unit];
  }
}
