// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import java.net.InetAddress;
import java.util.List;
import java.util.UUID;

/**
 * What a Windows adapter has beyond the common device API: its identities, its driver, DNS servers and the
 * interface metric. Every device the Windows backend opens implements it.
 */
public interface WindowsAdapter extends TunTapDevice {

    /** The adapter's {@code NetCfgInstanceId}: the GUID in its device path and in the registry. */
    UUID guid();

    /** The adapter's {@code NET_LUID}, the key of IP Helper. */
    long luid();

    /** The driver: its component id ({@code "tap0901"}, {@code "tuntap6"}, ...) or {@code "wintun"}. */
    String driver();

    /** The driver's version as it reports it, e.g. {@code "9.27"}, or {@code "0.14"} for Wintun. */
    String driverVersion();

    /**
     * Sets the DNS servers and search domains of the interface, per family of each server
     * ({@code SetInterfaceDnsSettings}, Windows 10 2004 and later). An empty list clears them.
     *
     * @throws io.tuntap.UnsupportedFeatureException on older Windows, naming the version needed
     */
    void setDnsServers(List<InetAddress> servers, List<String> searchDomains) throws TunTapException;

    /** The interface metric (IPv4; the backend keeps IPv6 equal). */
    int interfaceMetric() throws TunTapException;

    /** Sets the interface metric of both families; 0 returns to the automatic metric. */
    void setInterfaceMetric(int metric) throws TunTapException;

    /** The IPv6 MTU ({@code NlMtu} of the IPv6 interface row); {@link #mtu()} is the IPv4 one. */
    int ipv6Mtu() throws TunTapException;

    /** Packets that a write dropped because the driver had no room (Wintun's ring full); 0 for tap-windows6. */
    long droppedWrites();
}
