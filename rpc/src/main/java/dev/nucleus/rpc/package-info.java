/**
 * The LRPC front end: typed {@link dev.nucleus.rpc.Service @Service} interfaces, generated
 * proxies and adapters, and the contract between them and the transports.
 *
 * <p>Where to start: declare an interface with {@link dev.nucleus.rpc.Service @Service}; the
 * processor generates {@code Foo_Proxy}, {@code Foo_Adapter} and {@code Foo_Service}. Bind an
 * implementation in the same space with {@link dev.nucleus.rpc.LocalBinding#connect}. Failures
 * are {@link dev.nucleus.rpc.RpcException}s saying which leg failed; deadlines come from the
 * binding or {@link dev.nucleus.rpc.Deadlines#within}; the server sees the caller and the deadline
 * through {@link dev.nucleus.rpc.ServerCall#current()}. The wire format is
 * {@link dev.nucleus.rpc.Frame}'s (docs/rpc-wire.md).
 *
 * <p>Types marked "used by generated code" or "used by transports" are the contract between the
 * processor's output, this module and the bindings; application code rarely touches them.
 */
package dev.nucleus.rpc;
