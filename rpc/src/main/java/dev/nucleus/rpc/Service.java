package dev.nucleus.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface as an RPC service. The annotation processor ({@code nucleus-rpc-processor})
 * generates three classes beside it, in its package: {@code Foo_Proxy} (implements {@code Foo}
 * over a {@link Binding}), {@code Foo_Adapter} (a {@link Dispatcher} that calls a {@code Foo}) and
 * {@code Foo_Service} (its {@link ServiceDescriptor}, with the method ids as constants). A nested
 * interface {@code Outer.Foo} gives {@code Outer_Foo_Proxy} and so on.
 *
 * <p>What the processor accepts (anything else is a compile error naming the method and the
 * parameter):
 *
 * <ul>
 *   <li>a non-generic interface that extends no other interface;
 *   <li>abstract methods without type parameters, whose parameter and result types are supported:
 *       primitives and their boxes, {@code String}, {@code byte[]}, {@code ByteBuffer},
 *       {@code MemorySegment}, enums, non-generic records of supported types (not recursive), and
 *       arrays and {@code List}s of supported types, recursively; the result may be {@code void};
 *   <li>declared exceptions: classes with a public {@code (String)} constructor, rethrown at the
 *       client with their type and message;
 *   <li>{@link Oneway} methods: {@code void}, no declared exceptions.
 * </ul>
 *
 * <p>Default, static and private methods are not remote: they are left out of the generated code
 * (a default method runs in the proxy, at the client, and may call the remote methods).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Service {

  /**
   * The service's name, which its id is the hash of ({@link MethodIds#serviceId}). Two versions
   * of one interface keep one name so that old clients and new servers (and the other way round)
   * still talk.
   *
   * @return the name; empty (the default) means the interface's simple name
   */
  String name() default "";
}
