package dev.nucleus.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link Service} as one-way: no reply. The proxy's call returns once the
 * request is delivered, or throws the {@link RpcException} that says why it was not (not
 * delivered, deadline exceeded in the send phase, peer dead, not permitted). What the server then
 * does, including a failure or an unknown method, is not reported to the client: the binding logs
 * it at the server.
 *
 * <p>A one-way method returns {@code void} and declares no exceptions; the processor rejects
 * anything else.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Oneway {}
