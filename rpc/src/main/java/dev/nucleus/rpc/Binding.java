package dev.nucleus.rpc;

/**
 * A client's connection to one exported service: the transport under a generated proxy. LRPC's
 * binding object: it owns what its calls need (frames over argument stacks, preallocated and
 * reused), so a call does no lookup and, with primitive arguments, allocates nothing.
 *
 * <p>Implementations: {@link LocalBinding} (the server in the same space, called on the client's
 * thread) and the kernel transport (another thread or process space). All keep the same rules:
 * copy semantics, the exceptions of {@link RpcException}, deadlines, caller identity.
 *
 * <p>The proxy's use, for every method:
 *
 * <pre>{@code
 * try (ClientCall call = binding.begin(KeyValue_Service.GET)) {
 *   call.request().putLong(key);
 *   Frame reply = call.invoke();      // call.send() for a oneway method
 *   long result = reply.getLong();
 *   reply.expectEnd();
 *   return result;
 * }
 * }</pre>
 *
 * <p>Thread-safety: a binding is used by any number of threads at once; each {@link #begin}
 * returns a call that no one else holds until it is closed.
 */
public interface Binding {

  /**
   * Takes a call for {@code method} from the binding, its deadline fixed now: the innermost
   * {@link Deadlines#within} around this call if any, else the binding's default. Does not block
   * (a binding whose calls are all taken makes another).
   *
   * @param method the method to call (a constant of the generated {@code Foo_Service})
   * @return the call, its request frame empty; close it when the reply has been read
   * @throws NotDeliveredException if the binding is closed
   */
  ClientCall begin(MethodDescriptor method);
}
