package dev.nucleus.bench.peers;

import java.rmi.Remote;
import java.rmi.RemoteException;

/** The remote interface of the {@code rmi} peer: returns its argument. Public for RMI's proxies. */
public interface RmiEcho extends Remote {

  /** Returns {@code request}. */
  byte[] echo(byte[] request) throws RemoteException;
}
