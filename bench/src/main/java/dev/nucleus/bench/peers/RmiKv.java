package dev.nucleus.bench.peers;

import java.rmi.Remote;
import java.rmi.RemoteException;

/**
 * The remote interface of the {@code rmi-kv-*} peers: the operations of the LRPC entries'
 * service, {@link dev.nucleus.bench.lrpc.Bench}, as RMI declares a remote method (each may throw
 * {@link RemoteException}). Public for RMI's proxies.
 */
public interface RmiKv extends Remote {

  /**
   * {@code Bench.nothing()}: the null call.
   *
   * @throws RemoteException if the call fails
   */
  void nothing() throws RemoteException;

  /**
   * {@code Bench.echo(long)}: one word each way.
   *
   * @param value any value
   * @return {@code value}
   * @throws RemoteException if the call fails
   */
  long echo(long value) throws RemoteException;

  /**
   * {@code Bench.take(byte[])}: takes the bytes (the server gets its own copy, deserialized).
   *
   * @param data the bytes
   * @return how many there were
   * @throws RemoteException if the call fails
   */
  int take(byte[] data) throws RemoteException;
}
