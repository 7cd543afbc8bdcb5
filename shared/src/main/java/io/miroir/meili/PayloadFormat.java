package io.miroir.meili;

/** The three document payload formats Meilisearch accepts (MEILISEARCH-1.21-API §7.5), named as its messages name them. */
public enum PayloadFormat {
  JSON("json", "application/json"),
  NDJSON("ndjson", "application/x-ndjson"),
  CSV("csv", "text/csv");

  private final String label;
  private final String mediaType;

  PayloadFormat(String label, String mediaType) {
    this.label = label;
    this.mediaType = mediaType;
  }

  /** The word Meilisearch uses in its messages ({@code "A csv payload is missing."}). */
  public String label() {
    return label;
  }

  public String mediaType() {
    return mediaType;
  }
}
