package dev.nucleus.rpc.e2e;

import dev.nucleus.rpc.Service;

/** Version 1 of service "Store". */
@Service(name = "Store")
public interface StoreV1 {
  long get(long key);
}
