/** The measuring stick: ping-pong harness, floors, JMH benchmarks. */
package dev.nucleus.bench;
