package io.miroir.config;

/** An invalid configuration; the message starts with the dotted path of the offending key. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }
}
