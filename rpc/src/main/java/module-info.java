/**
 * Nucleus RPC: the LRPC front end. A user declares a {@link dev.nucleus.rpc.Service @Service}
 * interface; the annotation processor (artifact {@code nucleus-rpc-processor}) generates its
 * proxy, adapter and descriptor against the contract of {@code dev.nucleus.rpc}: {@link
 * dev.nucleus.rpc.Frame frames} (the wire format), {@link dev.nucleus.rpc.Binding bindings} (the
 * transports), {@link dev.nucleus.rpc.ClientCall client} and {@link dev.nucleus.rpc.ServerCall
 * server} calls, and the {@link dev.nucleus.rpc.RpcException exceptions} that say which leg of a
 * call failed. Only {@code dev.nucleus.rpc} is exported; {@code dev.nucleus.rpc.internal} holds
 * the machinery of the bindings.
 */
module dev.nucleus.rpc {
  requires transitive dev.nucleus.kernel;
  // One-way requests of a binding may travel over a one-way queue (KernelBinding.Builder.onewayQueue).
  requires dev.nucleus.async;

  exports dev.nucleus.rpc;
}
