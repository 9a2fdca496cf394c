package dev.nucleus.rpc;

/**
 * One remote method of a service, as the generated {@code Foo_Service} declares it: the proxy
 * passes it to {@link Binding#begin}, and the binding and error messages use it. Used by
 * generated code.
 *
 * @param service the service's name ({@link Service#name()})
 * @param name the method's name
 * @param signature its signature, e.g. {@code (J)J} ({@link MethodIds})
 * @param id its id, {@link MethodIds#methodId MethodIds.methodId(name, signature)}
 * @param oneway whether it is {@link Oneway}
 * @param declaredExceptions how many exception types it declares; a declared failure reported
 *     by the server carries an index below this
 */
public record MethodDescriptor(String service, String name, String signature, int id, boolean oneway,
    int declaredExceptions) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException if {@code declaredExceptions} is negative, or a one-way
   *     method declares exceptions
   */
  public MethodDescriptor {
    if (declaredExceptions < 0 || (oneway && declaredExceptions > 0)) {
      throw new IllegalArgumentException("declared exceptions must be 0 or more, and 0 for a oneway method: "
          + declaredExceptions);
    }
  }

  /**
   * The id of the service the method belongs to.
   *
   * @return {@link MethodIds#serviceId MethodIds.serviceId(service)}
   */
  public int serviceId() {
    return MethodIds.serviceId(service);
  }

  /**
   * The method as error messages name it, e.g. {@code KeyValue.get(J)J}.
   *
   * @return service, name and signature
   */
  @Override
  public String toString() {
    return service + "." + name + signature;
  }
}
