package dev.nucleus.rpc.e2e;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An implementation of {@link KeyValue}: keys of up to 16 bytes; key -1 fails undeclared; key -3
 * hangs (for a minute, or until interrupted): a server stuck in a call.
 */
final class KeyValueStore implements KeyValue {
  static final int MAX_KEY = 16;
  final Map<String, byte[]> values = new ConcurrentHashMap<>();
  final List<String> log = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();

  @Override
  public long get(long key) {
    calls.incrementAndGet();
    if (key == -1) {
      throw new IllegalStateException("no key -1 here");
    }
    if (key == -3) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return key + 1;
  }

  @Override
  public void put(String key, byte[] value) throws KeyTooLong {
    calls.incrementAndGet();
    if (key.length() > MAX_KEY) {
      throw new KeyTooLong("key of " + key.length() + " chars, at most " + MAX_KEY);
    }
    values.put(key, value);
  }

  @Override
  public void log(String line) {
    calls.incrementAndGet();
    if (line.equals("fail")) {
      throw new IllegalArgumentException("cannot log 'fail'");
    }
    log.add(line);
  }
}
