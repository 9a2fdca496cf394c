package dev.nucleus.examples.kv;

import dev.nucleus.rpc.Oneway;
import dev.nucleus.rpc.Service;
import java.util.List;

/** A key-value store: the service the example serves from a process space. */
@Service
public interface KeyValue {

  /**
   * The value stored under {@code key}.
   *
   * @param key the key
   * @return the value, or null if there is none
   */
  byte[] get(String key);

  /**
   * Stores {@code value} under {@code key}, replacing what was there.
   *
   * @param key the key
   * @param value the value, at most {@link KeyValueStore#MAX_VALUE} bytes
   * @throws ValueTooLarge if the value is larger than the store takes
   */
  void put(String key, byte[] value) throws ValueTooLarge;

  /**
   * Removes {@code key}.
   *
   * @param key the key
   * @return whether it was there
   */
  boolean remove(String key);

  /**
   * The keys, sorted.
   *
   * @return every key stored
   */
  List<String> keys();

  /**
   * Counts a hit for {@code key} without waiting for the store: a one-way message.
   *
   * @param key the key
   */
  @Oneway
  void touch(String key);

  /**
   * How often {@link #touch} has been called for {@code key}.
   *
   * @param key the key
   * @return the number of touches
   */
  long touches(String key);
}
