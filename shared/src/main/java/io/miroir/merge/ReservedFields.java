package io.miroir.merge;

import io.miroir.json.RawObject;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one place that knows Miroir's reserved document fields (SPEC §1.5, D6, D13).
 *
 * <p>Reading: any field named {@code _miroir_*} belongs to the orchestrator and is removed from everything a client
 * reads (hits, {@code _formatted}, {@code _matchesPosition}, documents, facet distributions and stats, settings), so a
 * client cannot tell the fields exist. Removal is by prefix, whatever features are on.
 *
 * <p>Writing: the <em>active</em> fields ({@code _miroir_shard} always, {@code _miroir_updated_at} with anti-entropy,
 * {@code _miroir_expires_at} with TTL) must stay filterable on every node whatever {@code filterableAttributes} a
 * client sends ({@link #filterableForNodes}).
 */
public final class ReservedFields {
  public static final String PREFIX = "_miroir_";
  public static final String SHARD = "_miroir_shard";
  public static final String UPDATED_AT = "_miroir_updated_at";
  public static final String EXPIRES_AT = "_miroir_expires_at";

  /** Settings whose value is a list of attribute names that may name a reserved field on a node. */
  private static final List<String> ATTRIBUTE_LIST_SETTINGS =
      List.of("filterableAttributes", "sortableAttributes", "displayedAttributes", "searchableAttributes");

  /** A node's error naming only reserved fields as available: one node without them has none configured. */
  private static final Pattern ONLY_RESERVED = Pattern.compile(
      "Available (filterable|facet-searchable|sortable) attributes? patterns are: `_miroir_\\w+`\\.");
  /** Reserved names inside a node's list of available attributes, in both spellings Meilisearch uses. */
  private static final Pattern RESERVED_IN_LIST = Pattern.compile(
      "`_miroir_\\w+`, |, `_miroir_\\w+`(?=[.,])|(?<=`)_miroir_\\w+, |, _miroir_\\w+(?=[`,])");

  private final List<String> active;

  private ReservedFields(List<String> active) {
    this.active = List.copyOf(active);
  }

  /** The reserved fields in use with these features: {@code _miroir_shard} always, the others when on. */
  public static ReservedFields of(boolean antiEntropy, boolean ttl) {
    List<String> names = new ArrayList<>(3);
    names.add(SHARD);
    if (antiEntropy) {
      names.add(UPDATED_AT);
    }
    if (ttl) {
      names.add(EXPIRES_AT);
    }
    return new ReservedFields(names);
  }

  /** Only {@code _miroir_shard}. */
  public static ReservedFields shardOnly() {
    return of(false, false);
  }

  /** The active reserved names, {@code _miroir_shard} first. */
  public List<String> active() {
    return active;
  }

  /** True for any name a client must never see ({@code _miroir_*}). */
  public static boolean isReserved(String name) {
    return name != null && name.startsWith(PREFIX);
  }

  /** Removes every top-level {@code _miroir_*} field of a document in place and returns it. */
  public static JsonObject stripDocument(JsonObject document) {
    if (document != null) {
      stripKeys(document.getMap());
    }
    return document;
  }

  /** Removes {@code _miroir_*} from a hit, its {@code _formatted} copy and its {@code _matchesPosition} keys. */
  public static JsonObject stripHit(JsonObject hit) {
    if (hit != null) {
      stripHitMap(hit.getMap());
    }
    return hit;
  }

  /** {@link #stripHit} for each element of a hit (or document) list, in place. */
  public static JsonArray stripHits(JsonArray hits) {
    if (hits != null) {
      for (Object o : hits.getList()) {
        Map<String, Object> hit = MeiliOrder.asMap(o);
        if (hit != null) {
          stripHitMap(hit);
        }
      }
    }
    return hits;
  }

  static void stripHitMap(Map<String, Object> hit) {
    stripKeys(hit);
    Map<String, Object> formatted = MeiliOrder.asMap(hit.get("_formatted"));
    if (formatted != null) {
      stripKeys(formatted);
    }
    Map<String, Object> positions = MeiliOrder.asMap(hit.get("_matchesPosition"));
    if (positions != null) {
      stripKeys(positions);
    }
  }

  /**
   * A node's error message as one node without reserved fields words it: Meilisearch lists the available
   * filterable (or sortable, facet-searchable) attributes when a request names another one, and a node lists
   * {@code _miroir_shard} there. It is removed from the list; a list of only reserved fields becomes Meilisearch's
   * sentence for an index without such attributes.
   */
  public static String stripErrorMessage(String message) {
    if (message == null || !message.contains(PREFIX)) {
      return message;
    }
    String out = ONLY_RESERVED.matcher(message).replaceAll("This index does not have configured $1 attributes.");
    return RESERVED_IN_LIST.matcher(out).replaceAll("");
  }

  /** Removes {@code _miroir_*} keys from a facetDistribution, facetStats or fieldDistribution object, in place. */
  public static JsonObject stripKeys(JsonObject object) {
    if (object != null) {
      stripKeys(object.getMap());
    }
    return object;
  }

  /**
   * Removes reserved names from a settings answer in place: from {@code filterableAttributes} (strings and the
   * {@code attributePatterns} of rule objects; a rule left without patterns goes) and from the sortable, displayed
   * and searchable lists.
   */
  public static JsonObject stripSettings(JsonObject settings) {
    if (settings == null) {
      return null;
    }
    for (String key : ATTRIBUTE_LIST_SETTINGS) {
      Object value = settings.getValue(key);
      if (value instanceof JsonArray array) {
        stripAttributeList(array);
      }
    }
    return settings;
  }

  /**
   * Removes reserved names from one attribute-list setting value in place (the answer of a settings sub-route such
   * as {@code GET …/settings/filterable-attributes}); handles both strings and filterable rule objects.
   */
  public static JsonArray stripAttributeList(JsonArray list) {
    if (list == null) {
      return null;
    }
    Iterator<Object> it = list.getList().iterator();
    while (it.hasNext()) {
      Object item = it.next();
      if (item instanceof String s) {
        if (isReserved(s)) {
          it.remove();
        }
      } else if (stripRule(MeiliOrder.asMap(item))) {
        it.remove();
      }
    }
    return list;
  }

  /**
   * The {@code filterableAttributes} value to send to nodes for a client's value (a list of strings and/or rule
   * objects, or null for a reset): the client's value with every active reserved field added as a plain name.
   *
   * <p>Filterable rules are matched first-match-wins, so a client pattern such as {@code *} placed before ours could
   * switch filtering off for {@code _miroir_shard}. Our names are therefore appended when no client pattern matches
   * them (keeping the client's rule positions, which Meilisearch quotes in error messages), and put first otherwise.
   */
  public JsonArray filterableForNodes(JsonArray clientValue) {
    JsonArray client = clientValue == null ? new JsonArray() : clientValue.copy();
    Set<String> present = new LinkedHashSet<>();
    boolean shadowed = false;
    for (Object item : client.getList()) {
      for (String pattern : patternsOf(item)) {
        present.add(pattern);
        for (String name : active) {
          shadowed |= !pattern.equals(name) && globMatches(pattern, name);
        }
      }
    }
    List<Object> ours = new ArrayList<>(active.size());
    for (String name : active) {
      if (!present.contains(name) || shadowed) {
        ours.add(name);
      }
    }
    if (ours.isEmpty()) {
      return client;
    }
    JsonArray out = new JsonArray();
    if (shadowed) {
      ours.forEach(out::add);
      client.forEach(out::add);
    } else {
      client.forEach(out::add);
      ours.forEach(out::add);
    }
    return out;
  }

  private static List<String> patternsOf(Object item) {
    if (item instanceof String s) {
      return List.of(s);
    }
    Map<String, Object> rule = MeiliOrder.asMap(item);
    List<Object> patterns = rule == null ? null : MeiliOrder.asList(rule.get("attributePatterns"));
    if (patterns == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(patterns.size());
    for (Object p : patterns) {
      out.add(String.valueOf(p));
    }
    return out;
  }

  /** Drops reserved names from a rule's patterns; true when the rule is left with none and must go. */
  private static boolean stripRule(Map<String, Object> rule) {
    List<Object> patterns = rule == null ? null : MeiliOrder.asList(rule.get("attributePatterns"));
    if (patterns == null || patterns.isEmpty()) {
      return false;
    }
    patterns.removeIf(p -> p instanceof String s && isReserved(s));
    return patterns.isEmpty();
  }

  /** Meilisearch attribute patterns: {@code *} matches any run of characters. */
  static boolean globMatches(String pattern, String name) {
    if (pattern.indexOf('*') < 0) {
      return pattern.equals(name);
    }
    String[] parts = pattern.split("\\*", -1);
    int pos = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == 0) {
        if (!name.startsWith(part)) {
          return false;
        }
        pos = part.length();
      } else if (i == parts.length - 1) {
        return name.length() - part.length() >= pos && name.endsWith(part);
      } else {
        int at = name.indexOf(part, pos);
        if (at < 0) {
          return false;
        }
        pos = at + part.length();
      }
    }
    return pos == name.length();
  }

  private static void stripKeys(Map<String, Object> map) {
    if (map instanceof RawObject raw) {
      // A hit read lazily from a node answer: names compared as bytes, none decoded.
      raw.removeKeysStartingWith(PREFIX);
      return;
    }
    map.keySet().removeIf(ReservedFields::isReserved);
  }
}
