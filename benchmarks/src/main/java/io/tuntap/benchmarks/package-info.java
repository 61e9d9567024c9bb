// SPDX-License-Identifier: Apache-2.0
/**
 * Benchmarks of tuntap against C and other Java TUN libraries: the Java halves of the scenarios that
 * {@code benchmarks/run} drives (packets per second for writes and reads, a TUN-to-TUN forwarder) and JMH
 * benchmarks of the per-call cost. Not API.
 */
package io.tuntap.benchmarks;
