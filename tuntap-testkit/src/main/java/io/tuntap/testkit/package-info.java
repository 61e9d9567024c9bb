// SPDX-License-Identifier: Apache-2.0
/**
 * Tools for testing code that uses tuntap, and for testing tuntap backends.
 *
 * <ul>
 *   <li>{@link io.tuntap.testkit.Packets}: build and parse IPv4, IPv6, UDP and ICMP packets with correct
 *       checksums.</li>
 *   <li>{@link io.tuntap.testkit.Frames}: build and parse Ethernet frames, ARP and neighbour discovery.</li>
 *   <li>{@link io.tuntap.testkit.EchoResponder}: a host that answers pings, ARP and neighbour solicitations.</li>
 *   <li>{@link io.tuntap.testkit.MemoryDevices}: a connected pair of in-memory TUN or TAP devices, for unit
 *       tests that must run without root.</li>
 *   <li>{@link io.tuntap.testkit.TunTapDeviceContract}: the behaviour every device implementation shares, as an
 *       abstract JUnit 5 test class.</li>
 * </ul>
 */
package io.tuntap.testkit;
