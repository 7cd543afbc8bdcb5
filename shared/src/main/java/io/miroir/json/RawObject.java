package io.miroir.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.AbstractCollection;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A JSON object read lazily from the bytes of a node answer ({@link RawJson#searchAnswer}): the field boundaries are
 * known, a field's value is decoded the first time it is read, and {@link JsonOutput} writes every field nobody
 * replaced or opened byte for byte. It behaves as an insertion-ordered {@code Map} (get, put, remove, iteration,
 * removal through iterators), so code written for the maps of a decoded {@link JsonObject} works unchanged.
 *
 * <p>A value read as an object or array is a mutable {@code LinkedHashMap}/{@code ArrayList} the caller may edit, so
 * such a field is written from the decoded value from then on; a string, number, boolean or null read is immutable,
 * so its bytes stay the truth. Not thread-safe, like the maps it stands for.
 *
 * <p>It is a {@code LinkedHashMap} only so that code which looks at the map's class treats it as the ordered map it
 * is (Vert.x's {@link JsonObject#copy} keeps the order of a LinkedHashMap only): the inherited table stays empty and
 * every public method of HashMap and LinkedHashMap is overridden to work on the fields.
 */
@SuppressWarnings("serial")
public final class RawObject extends LinkedHashMap<String, Object> {
  private static final Object UNREAD = new Object();
  /** The field's bytes are its value (unread, or read as an immutable scalar). */
  private static final byte RAW = 0;
  /** Written from {@code values[i]}: read as a container, or replaced by put. */
  private static final byte DECODED = 1;
  private static final byte REMOVED = 2;

  private final byte[] src;
  private final int start;
  private final int end;
  private int slots;
  private int live;
  /** Per slot: name start, name end (content between the quotes), value start, value end; -1 for a put field. */
  private int[] ranges;
  /** Per slot: the decoded name, or null while only compared as bytes. */
  private String[] names;
  private Object[] values;
  private byte[] state;
  /** Per slot: the name has a backslash escape or a non-ASCII byte, so it is compared decoded. */
  private boolean[] complexName;
  /** True once a field was removed, added or decoded as a container: the object is no longer its bytes. */
  private boolean changed;

  /** The object {@code src[start, end)}, whose fields are found the first time it is read. */
  RawObject(byte[] src, int start, int end) {
    super(1);
    this.src = src;
    this.start = start;
    this.end = end;
  }

  /**
   * Finds the field boundaries, once, on first use: a hit the merge never reaches (below the window of every node)
   * is never split into fields, only skipped over.
   */
  private void scanned() {
    if (names != null) {
      return;
    }
    int capacity = 24;
    ranges = new int[capacity * 4];
    names = new String[capacity];
    values = new Object[capacity];
    state = new byte[capacity];
    complexName = new boolean[capacity];
    try {
      scanFields();
    } catch (IndexOutOfBoundsException e) {
      throw new DecodeException("truncated JSON");
    }
  }

  private void scanFields() {
    byte[] src = this.src;
    int i = RawJson.skipWs(src, start + 1);
    if (src[i] == '}') {
      checkEnd(i + 1);
      return;
    }
    while (true) {
      RawJson.expect(src, i, '"');
      int nameStart = i + 1;
      int j = nameStart;
      boolean complex = false;
      while (true) {
        byte c = src[j];
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          complex = true;
          j += 2;
        } else {
          complex |= c < 0;
          j++;
        }
      }
      int nameEnd = j;
      i = RawJson.skipWs(src, nameEnd + 1);
      RawJson.expect(src, i, ':');
      i = RawJson.skipWs(src, i + 1);
      int valueStart = i;
      i = RawJson.skipValue(src, i);
      add(nameStart, nameEnd, valueStart, i, complex);
      i = RawJson.skipWs(src, i);
      if (src[i] == '}') {
        checkEnd(i + 1);
        return;
      }
      RawJson.expect(src, i, ',');
      i = RawJson.skipWs(src, i + 1);
    }
  }

  private void checkEnd(int i) {
    if (i != end) {
      throw new DecodeException("malformed JSON object at byte " + start);
    }
  }

  private void add(int nameStart, int nameEnd, int valueStart, int valueEnd, boolean complex) {
    int k = slots;
    if (k == names.length) {
      grow();
    }
    ranges[4 * k] = nameStart;
    ranges[4 * k + 1] = nameEnd;
    ranges[4 * k + 2] = valueStart;
    ranges[4 * k + 3] = valueEnd;
    values[k] = UNREAD;
    complexName[k] = complex;
    slots++;
    live++;
  }

  private void grow() {
    int capacity = names.length * 2;
    ranges = Arrays.copyOf(ranges, capacity * 4);
    names = Arrays.copyOf(names, capacity);
    values = Arrays.copyOf(values, capacity);
    state = Arrays.copyOf(state, capacity);
    complexName = Arrays.copyOf(complexName, capacity);
  }

  private String name(int k) {
    String n = names[k];
    if (n == null) {
      n = RawJson.string(src, ranges[4 * k], ranges[4 * k + 1]);
      names[k] = n;
    }
    return n;
  }

  private boolean nameIs(int k, String key) {
    String n = names[k];
    if (n != null) {
      return n.equals(key);
    }
    if (complexName[k]) {
      return name(k).equals(key);
    }
    int from = ranges[4 * k];
    int length = ranges[4 * k + 1] - from;
    if (length != key.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (src[from + i] != key.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private int indexOf(Object key) {
    scanned();
    if (!(key instanceof String s)) {
      return -1;
    }
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED && nameIs(k, s)) {
        return k;
      }
    }
    return -1;
  }

  private Object value(int k) {
    Object v = values[k];
    if (v == UNREAD) {
      v = RawJson.decode(src, ranges[4 * k + 2], ranges[4 * k + 3]);
      values[k] = v;
      if (v instanceof Map || v instanceof java.util.List) {
        state[k] = DECODED;
        changed = true;
      }
    }
    return v;
  }

  @Override
  public Object get(Object key) {
    int k = indexOf(key);
    return k < 0 ? null : value(k);
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object put(String key, Object value) {
    scanned();
    int k = indexOf(key);
    changed = true;
    if (k >= 0) {
      Object old = value(k);
      values[k] = value;
      state[k] = DECODED;
      return old;
    }
    if (slots == names.length) {
      grow();
    }
    k = slots++;
    Arrays.fill(ranges, 4 * k, 4 * k + 4, -1);
    names[k] = key;
    values[k] = value;
    state[k] = DECODED;
    live++;
    return null;
  }

  @Override
  public Object remove(Object key) {
    int k = indexOf(key);
    if (k < 0) {
      return null;
    }
    Object old = value(k);
    removeSlot(k);
    return old;
  }

  private void removeSlot(int k) {
    state[k] = REMOVED;
    values[k] = null;
    live--;
    changed = true;
  }

  @Override
  public int size() {
    scanned();
    return live;
  }

  @Override
  public boolean isEmpty() {
    scanned();
    return live == 0;
  }

  @Override
  public void clear() {
    scanned();
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED) {
        removeSlot(k);
      }
    }
  }

  @Override
  public void putAll(Map<? extends String, ?> m) {
    m.forEach(this::put);
  }

  @Override
  public boolean containsValue(Object value) {
    scanned();
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED && Objects.equals(value(k), value)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Object getOrDefault(Object key, Object defaultValue) {
    int k = indexOf(key);
    return k < 0 ? defaultValue : value(k);
  }

  @Override
  public Object putIfAbsent(String key, Object value) {
    Object v = get(key);
    return v == null ? put(key, value) : v;
  }

  @Override
  public boolean remove(Object key, Object value) {
    int k = indexOf(key);
    if (k < 0 || !Objects.equals(value(k), value)) {
      return false;
    }
    removeSlot(k);
    return true;
  }

  @Override
  public boolean replace(String key, Object oldValue, Object newValue) {
    int k = indexOf(key);
    if (k < 0 || !Objects.equals(value(k), oldValue)) {
      return false;
    }
    put(key, newValue);
    return true;
  }

  @Override
  public Object replace(String key, Object value) {
    return containsKey(key) ? put(key, value) : null;
  }

  @Override
  public Object computeIfAbsent(String key, Function<? super String, ?> mappingFunction) {
    Object v = get(key);
    if (v == null) {
      v = mappingFunction.apply(key);
      if (v != null) {
        put(key, v);
      }
    }
    return v;
  }

  @Override
  public Object computeIfPresent(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
    Object old = get(key);
    if (old == null) {
      return null;
    }
    Object v = remappingFunction.apply(key, old);
    if (v == null) {
      remove(key);
    } else {
      put(key, v);
    }
    return v;
  }

  @Override
  public Object compute(String key, BiFunction<? super String, ? super Object, ?> remappingFunction) {
    Object old = get(key);
    Object v = remappingFunction.apply(key, old);
    if (v == null) {
      if (old != null || containsKey(key)) {
        remove(key);
      }
      return null;
    }
    put(key, v);
    return v;
  }

  @Override
  public Object merge(String key, Object value, BiFunction<? super Object, ? super Object, ?> remappingFunction) {
    Objects.requireNonNull(value);
    Object old = get(key);
    Object v = old == null ? value : remappingFunction.apply(old, value);
    if (v == null) {
      remove(key);
    } else {
      put(key, v);
    }
    return v;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    scanned();
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED) {
        action.accept(name(k), value(k));
      }
    }
  }

  @Override
  public void replaceAll(BiFunction<? super String, ? super Object, ?> function) {
    scanned();
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED) {
        values[k] = function.apply(name(k), value(k));
        state[k] = DECODED;
        changed = true;
      }
    }
  }

  /** A plain LinkedHashMap with the fields (values shared, as HashMap's clone shares them). */
  @Override
  public Object clone() {
    return decoded();
  }

  @Override
  public boolean equals(Object o) {
    scanned();
    if (o == this) {
      return true;
    }
    if (!(o instanceof Map<?, ?> m) || m.size() != size()) {
      return false;
    }
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED) {
        Object v = value(k);
        String key = name(k);
        if (v == null ? !(m.get(key) == null && m.containsKey(key)) : !v.equals(m.get(key))) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    scanned();
    int h = 0;
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED) {
        h += Objects.hashCode(name(k)) ^ Objects.hashCode(value(k));
      }
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("{");
    forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(v == this ? "(this Map)" : v));
    return b.append('}').toString();
  }

  @Override
  public Set<String> keySet() {
    scanned();
    return new AbstractSet<>() {
      @Override
      public Iterator<String> iterator() {
        return fields(Map.Entry::getKey);
      }

      @Override
      public int size() {
        return live;
      }

      @Override
      public boolean contains(Object o) {
        return containsKey(o);
      }

      @Override
      public boolean remove(Object o) {
        int k = indexOf(o);
        if (k < 0) {
          return false;
        }
        removeSlot(k);
        return true;
      }
    };
  }

  @Override
  public Collection<Object> values() {
    scanned();
    return new AbstractCollection<>() {
      @Override
      public Iterator<Object> iterator() {
        return fields(Map.Entry::getValue);
      }

      @Override
      public int size() {
        return live;
      }
    };
  }

  /** An iterator over one part of each field, in order, whose {@code remove} removes the field. */
  private <T> Iterator<T> fields(Function<Map.Entry<String, Object>, T> part) {
    Iterator<Map.Entry<String, Object>> entries = entrySet().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public T next() {
        return part.apply(entries.next());
      }

      @Override
      public void remove() {
        entries.remove();
      }
    };
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    scanned();
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next = advance(0);
          private int last = -1;

          private int advance(int from) {
            while (from < slots && state[from] == REMOVED) {
              from++;
            }
            return from;
          }

          @Override
          public boolean hasNext() {
            return next < slots;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= slots) {
              throw new NoSuchElementException();
            }
            last = next;
            next = advance(next + 1);
            return new Field(last);
          }

          @Override
          public void remove() {
            if (last < 0 || state[last] == REMOVED) {
              throw new IllegalStateException();
            }
            removeSlot(last);
          }
        };
      }

      @Override
      public int size() {
        return live;
      }
    };
  }

  /** One field, read through to the object. */
  private final class Field implements Map.Entry<String, Object> {
    private final int k;

    Field(int k) {
      this.k = k;
    }

    @Override
    public String getKey() {
      return name(k);
    }

    @Override
    public Object getValue() {
      return state[k] == REMOVED ? null : value(k);
    }

    @Override
    public Object setValue(Object value) {
      Object old = getValue();
      values[k] = value;
      state[k] = DECODED;
      changed = true;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e && Objects.equals(getKey(), e.getKey())
          && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return getKey() + "=" + getValue();
    }
  }

  /** Every field decoded, in order, as Vert.x's decoder would have given the object. */
  public LinkedHashMap<String, Object> decoded() {
    scanned();
    LinkedHashMap<String, Object> out = new LinkedHashMap<>(Math.max(4, live * 2));
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED) {
        out.put(name(k), value(k));
      }
    }
    return out;
  }

  /**
   * Writes the object: its own bytes when nothing changed, else field by field, untouched values as bytes and the
   * others through {@code writer}.
   */
  void writeTo(JsonGenerator g, JsonOutput.ValueWriter writer) throws IOException {
    if (!changed) {
      // Unread, or read without a change: the object's own bytes.
      g.writeRawValue(new RawBytes(src, start, end));
      return;
    }
    // Field by field, as one raw value: untouched names and values as their bytes, the others encoded.
    Bytes out = new Bytes(end - start + 16);
    out.add((byte) '{');
    boolean first = true;
    for (int k = 0; k < slots; k++) {
      byte s = state[k];
      if (s == REMOVED) {
        continue;
      }
      if (!first) {
        out.add((byte) ',');
      }
      first = false;
      int nameStart = ranges[4 * k];
      if (nameStart >= 0) {
        out.add(src, nameStart - 1, ranges[4 * k + 1] + 1);
      } else {
        out.add(JsonOutput.toBuffer(names[k]).getBytes());
      }
      out.add((byte) ':');
      if (s == RAW) {
        out.add(src, ranges[4 * k + 2], ranges[4 * k + 3]);
      } else {
        out.add(JsonOutput.toBuffer(values[k]).getBytes());
      }
    }
    out.add((byte) '}');
    g.writeRawValue(new RawBytes(out.bytes, 0, out.size));
  }

  /**
   * Removes every field whose name starts with {@code prefix}, comparing the names' bytes (no name is decoded
   * unless it is escaped or not ASCII). Returns how many were removed.
   */
  public int removeKeysStartingWith(String prefix) {
    scanned();
    int removed = 0;
    for (int k = 0; k < slots; k++) {
      if (state[k] != REMOVED && nameStartsWith(k, prefix)) {
        removeSlot(k);
        removed++;
      }
    }
    return removed;
  }

  private boolean nameStartsWith(int k, String prefix) {
    if (names[k] != null || complexName[k]) {
      return name(k).startsWith(prefix);
    }
    int from = ranges[4 * k];
    if (ranges[4 * k + 1] - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (src[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** A growable byte array. */
  private static final class Bytes {
    byte[] bytes;
    int size;

    Bytes(int capacity) {
      bytes = new byte[capacity];
    }

    void add(byte b) {
      if (size == bytes.length) {
        bytes = Arrays.copyOf(bytes, size * 2);
      }
      bytes[size++] = b;
    }

    void add(byte[] from, int start, int end) {
      int length = end - start;
      if (size + length > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size * 2, size + length));
      }
      System.arraycopy(from, start, bytes, size, length);
      size += length;
    }

    void add(byte[] all) {
      add(all, 0, all.length);
    }
  }

}
