// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import io.tuntap.internal.IpLiterals;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An interface address with its prefix length, such as {@code 10.0.0.1/24} or {@code fd00::1/64}.
 *
 * @param address the IPv4 or IPv6 address assigned to the interface
 * @param prefixLength the length of the network prefix: 0–32 for IPv4, 0–128 for IPv6
 */
public record IpPrefix(InetAddress address, int prefixLength) {

    /**
     * Checks the prefix length against the address family.
     *
     * @param address the address, IPv4 or IPv6
     * @param prefixLength 0 to 32 for IPv4, 0 to 128 for IPv6
     */
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = maxPrefixLength(address);
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range for "
                    + IpLiterals.format(address) + ": use 0 to " + max);
        }
    }

    /**
     * Parses {@code "address/length"}, or a bare address, which gets a host prefix (/32 or /128). Never
     * resolves host names.
     *
     * @param text e.g. {@code "10.0.0.1/24"}, {@code "fd00::1/64"}, or an address alone
     * @return the prefix
     * @throws IllegalArgumentException if the text is not a literal address with an optional prefix length
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (host.indexOf('%') >= 0) {
            // The interface that gets the address is its scope: a scope id here would name another one.
            throw new IllegalArgumentException("'" + host + "' in '" + text + "' has a scope id (%...): an interface "
                    + "address takes none, as the interface it is added to is its scope; write '"
                    + host.substring(0, host.indexOf('%')) + (slash < 0 ? "" : text.substring(slash)) + "'");
        }
        InetAddress address;
        try {
            address = IpLiterals.parse(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + host + "' in '" + text + "'", e);
        }
        if (address instanceof Inet4Address && host.indexOf(':') >= 0) {
            // An IPv4-mapped IPv6 literal (::ffff:a.b.c.d): InetAddress turns it into IPv4, but it was written,
            // and its prefix length counts, as IPv6.
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(address.getAddress(), 0, v6, 12, 4);
            try {
                address = Inet6Address.getByAddress(null, v6, -1);
            } catch (UnknownHostException e) {
                throw new AssertionError("16 bytes are always an IPv6 address", e);
            }
        }
        if (slash < 0) {
            return new IpPrefix(address, maxPrefixLength(address));
        }
        try {
            return new IpPrefix(address, Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix length: '" + text.substring(slash + 1) + "' in '"
                    + text + "'", e);
        }
    }

    /** {@return true for an IPv4 address, false for IPv6} */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    /**
     * This prefix with the host bits cleared, e.g. {@code 10.0.0.0/24} for {@code 10.0.0.1/24}: the form a
     * {@link Route} destination takes.
     *
     * @return the network prefix; this one if it has no host bits set
     */
    public IpPrefix network() {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return new IpPrefix(InetAddress.getByAddress(bytes), prefixLength);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * The address as text without the prefix length, e.g. {@code "fd00::1"}.
     *
     * @return the address in the text form {@link InetAddress#getHostAddress()} gives
     */
    public String addressText() {
        return IpLiterals.format(address);
    }

    private static int maxPrefixLength(InetAddress address) {
        if (address instanceof Inet4Address) {
            return 32;
        }
        if (address instanceof Inet6Address) {
            return 128;
        }
        throw new IllegalArgumentException("unknown address family: " + address);
    }

    @Override
    public String toString() {
        return addressText() + "/" + prefixLength;
    }
}
