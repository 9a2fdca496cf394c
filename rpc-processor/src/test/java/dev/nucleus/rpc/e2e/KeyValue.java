package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Oneway;
import dev.nucleus.rpc.Service;

/** The example service. */
@Service
public interface KeyValue {

  /**
   * The value under {@code key}.
   *
   * @param key the key
   * @return the value, 0 if none
   */
  long get(long key);

  /**
   * Stores {@code value} under {@code key}.
   *
   * @param key the key
   * @param value the value
   * @throws KeyTooLong if the key is longer than the store allows
   */
  void put(String key, byte[] value) throws KeyTooLong;

  /**
   * Logs a line at the server.
   *
   * @param line the line
   */
  @Oneway
  void log(String line);
}
