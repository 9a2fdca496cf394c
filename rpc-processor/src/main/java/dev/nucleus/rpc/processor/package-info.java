/**
 * The Nucleus RPC annotation processor: {@link dev.nucleus.rpc.processor.ServiceProcessor} checks
 * each {@code @Service} interface ({@code ServiceAnalyzer}, {@code WireTypes}) and writes its
 * descriptor, proxy and adapter with JavaPoet ({@code DescriptorWriter}, {@code ProxyWriter},
 * {@code AdapterWriter}, with {@code Codec} for the marshalling code). The wire format and the
 * generated-code contract are in docs/rpc-wire.md.
 */
package dev.nucleus.rpc.processor;
