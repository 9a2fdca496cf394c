package dev.nucleus.rpc.e2e;

/** An enum that travels as its ordinal. */
public enum Color { RED, GREEN, BLUE }
