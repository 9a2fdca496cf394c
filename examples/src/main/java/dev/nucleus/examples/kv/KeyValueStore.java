package dev.nucleus.examples.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** The store: a concurrent map, called by the server pool's threads at once. */
public final class KeyValueStore implements KeyValue {

  /** An empty store. */
  public KeyValueStore() {}

  /** The largest value taken: 256 bytes, within what one call carries today. */
  public static final int MAX_VALUE = 256;

  private final ConcurrentMap<String, byte[]> values = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, LongAdder> touches = new ConcurrentHashMap<>();

  @Override
  public byte[] get(String key) {
    return values.get(key);
  }

  @Override
  public void put(String key, byte[] value) throws ValueTooLarge {
    if (value.length > MAX_VALUE) {
      throw new ValueTooLarge(value.length + " bytes for '" + key + "', at most " + MAX_VALUE);
    }
    values.put(key, value.clone());
  }

  @Override
  public boolean remove(String key) {
    return values.remove(key) != null;
  }

  @Override
  public List<String> keys() {
    final List<String> keys = new ArrayList<>(values.keySet());
    keys.sort(null);
    return keys;
  }

  @Override
  public void touch(String key) {
    touches.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  @Override
  public long touches(String key) {
    final LongAdder n = touches.get(key);
    return n == null ? 0 : n.sum();
  }
}
