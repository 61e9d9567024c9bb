// SPDX-License-Identifier: Apache-2.0
/**
 * A small command-line tool built on the tuntap library: {@code demo} (a Java UDP tunnel between two network
 * namespaces, checked with ping), {@code tunnel} (a VTun-style point-to-point UDP tunnel over TUN or TAP) and
 * {@code echo} (an ICMP and ICMPv6 echo responder on a TUN device). Run {@code java -jar tuntap-examples.jar
 * --help}.
 */
package io.tuntap.examples;
