// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import io.tuntap.internal.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * An address on an interface: the local address with its prefix length, and optionally the address of a
 * point-to-point peer. Immutable.
 *
 * <p><b>Without a peer</b> ({@link #of(IpPrefix)}) the prefix is on-link: {@code 10.0.0.1/24} makes every
 * address of {@code 10.0.0.0/24} reachable through the device, on every operating system (Linux does this by
 * itself; the BSD and macOS backends add the prefix route where the kernel would not).
 *
 * <p><b>With a peer</b> ({@link #pointToPoint(IpPrefix, InetAddress)}) the interface is configured as one end
 * of a point-to-point link: the peer is reached through the device, and the prefix length describes the
 * network behind the peer. {@code /32} (IPv4) or {@code /128} (IPv6) means the peer alone, the form every
 * operating system accepts (Linux {@code IFA_LOCAL} with {@code IFA_ADDRESS}; BSD {@code ifra_dstaddr}).
 */
public final class DeviceAddress {
    private final IpPrefix local;
    private final InetAddress peer;

    private DeviceAddress(IpPrefix local, InetAddress peer) {
        this.local = Objects.requireNonNull(local, "local");
        this.peer = peer;
        if (peer != null && (peer instanceof Inet4Address) != local.isIpv4()) {
            throw new IllegalArgumentException("the peer " + IpLiterals.format(peer) + " and the local "
                    + "address " + local + " are of different families; give both as IPv4 or both as IPv6");
        }
        if (peer != null && peer.equals(local.address())) {
            throw new IllegalArgumentException("the peer " + IpLiterals.format(peer) + " is the local "
                    + "address itself; leave the peer out for an address without one");
        }
    }

    /**
     * An address without a peer: its prefix is on-link.
     *
     * @param local the interface's address and prefix length
     * @return the address, without a peer
     */
    public static DeviceAddress of(IpPrefix local) {
        return new DeviceAddress(local, null);
    }

    /**
     * A point-to-point address.
     *
     * @param local the interface's own address and the prefix length of the network behind the peer
     * @param peer the other end, of the same family as {@code local}
     * @return the address with its peer
     * @throws IllegalArgumentException if the families differ or the peer is the local address
     */
    public static DeviceAddress pointToPoint(IpPrefix local, InetAddress peer) {
        return new DeviceAddress(local, Objects.requireNonNull(peer, "peer"));
    }

    /**
     * Parses {@code "10.0.0.1/24"}, or {@code "10.0.0.1/32 peer 10.0.0.2"} for a point-to-point address (the
     * form {@code ip addr} prints).
     *
     * @param text {@code "10.0.0.1/24"}, or {@code "10.0.0.1/32 peer 10.0.0.2"}
     * @return the address
     * @throws IllegalArgumentException if the text is in neither form
     */
    public static DeviceAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.trim().split("\\s+");
        if (parts.length == 1) {
            return of(IpPrefix.parse(parts[0]));
        }
        if (parts.length == 3 && parts[1].equals("peer")) {
            try {
                return pointToPoint(IpPrefix.parse(parts[0]), IpLiterals.parse(parts[2]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an address with a peer: '" + text + "': " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("not an interface address: '" + text + "'; write 'address/length' or "
                + "'address/length peer address'");
    }

    /** {@return the interface's own address and prefix length} */
    public IpPrefix local() {
        return local;
    }

    /** {@return the point-to-point peer, if there is one} */
    public Optional<InetAddress> peer() {
        return Optional.ofNullable(peer);
    }

    /** {@return true if this address has a point-to-point peer} */
    public boolean isPointToPoint() {
        return peer != null;
    }

    /** {@return true for IPv4, false for IPv6} */
    public boolean isIpv4() {
        return local.isIpv4();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceAddress other && local.equals(other.local) && Objects.equals(peer, other.peer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(local, peer);
    }

    /** {@code "10.0.0.1/24"}, or {@code "10.0.0.1/32 peer 10.0.0.2"}: what {@link #parse(String)} reads. */
    @Override
    public String toString() {
        return peer == null ? local.toString() : local + " peer " + IpLiterals.format(peer);
    }
}
