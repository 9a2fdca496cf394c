package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Service;

/** Version 2 of service "Store": one method added; get's id is unchanged. */
@Service(name = "Store")
public interface StoreV2 {
  long get(long key);

  String describe();
}
