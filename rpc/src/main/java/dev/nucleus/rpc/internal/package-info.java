/**
 * The machinery of the bindings, not exported: the local binding's call slots and their pool,
 * frame growth from arenas, strict UTF-8 validation.
 */
package dev.nucleus.rpc.internal;
