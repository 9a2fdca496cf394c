package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Service;

/** Tells the caller what the server sees of its call. */
@Service
public interface Introspect {
  /**
   * What the server sees of this call, and of a call it makes to itself if {@code depth > 0}.
   *
   * @param depth how many nested calls to make
   * @return the server's view
   */
  CallInfo whoIsCalling(int depth);
}
