// SPDX-License-Identifier: Apache-2.0
package io.tuntap.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * IP address literals, read and written without name resolution: the API module's own, so that it needs nothing
 * but the JDK. Reading takes dotted-quad IPv4 ({@code 10.0.0.1}, no leading zeros, which some systems read as
 * octal) and IPv6 in the text forms of RFC 4291 section 2.2 (hex groups, one {@code ::}, a dotted-quad tail);
 * writing gives IPv6 in the canonical form of RFC 5952 section 4 (lower case, no leading zeros, the longest run
 * of two or more zero groups as {@code ::}, the first of equal runs).
 */
public final class IpLiterals {
    private IpLiterals() {
    }

    /**
     * The address a literal stands for.
     *
     * @param text an IPv4 or IPv6 literal, without brackets or zone
     * @return the address; an IPv4-mapped IPv6 literal gives the IPv4 address, as {@link InetAddress} does
     * @throws IllegalArgumentException if {@code text} is not such a literal
     */
    public static InetAddress parse(String text) {
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address literal");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }

    /**
     * The literal of an address: dotted quad for IPv4, RFC 5952's canonical form for IPv6 (without a zone).
     *
     * @param address the address
     * @return its literal
     */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (!(address instanceof Inet6Address)) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: "::" never stands for a single zero group
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString().toLowerCase(Locale.ROOT);
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = octet(parts[i]);
            if (v < 0) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static int octet(String s) {
        if (s.isEmpty() || s.length() > 3 || s.length() > 1 && s.charAt(0) == '0') {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= 255 ? v : -1;
    }

    private static byte[] ipv6(String text) {
        String head = text;
        byte[] tail = null;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) >= 0) {
            tail = ipv4(text.substring(lastColon + 1));
            if (tail == null) {
                return null;
            }
            head = text.substring(0, lastColon + 1) + "0:0"; // the dotted quad fills the last two groups
        }
        int gap = head.indexOf("::");
        if (gap >= 0 && head.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        String[] left = groups(gap >= 0 ? head.substring(0, gap) : head);
        String[] right = gap >= 0 ? groups(head.substring(gap + 2)) : new String[0];
        if (left == null || right == null) {
            return null;
        }
        int count = left.length + right.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < left.length; i++) {
            if (!putGroup(out, i, left[i])) {
                return null;
            }
        }
        for (int i = 0; i < right.length; i++) {
            if (!putGroup(out, 8 - right.length + i, right[i])) {
                return null;
            }
        }
        if (tail != null) {
            System.arraycopy(tail, 0, out, 12, 4);
        }
        return out;
    }

    /** The colon-separated groups of one side of "::"; an empty side has none; null if a group is empty. */
    private static String[] groups(String side) {
        if (side.isEmpty()) {
            return new String[0];
        }
        String[] g = side.split(":", -1);
        for (String s : g) {
            if (s.isEmpty()) {
                return null;
            }
        }
        return g;
    }

    private static boolean putGroup(byte[] out, int index, String group) {
        if (group.length() > 4) {
            return false;
        }
        int v = 0;
        for (int i = 0; i < group.length(); i++) {
            int d = Character.digit(group.charAt(i), 16);
            if (d < 0) {
                return false;
            }
            v = v << 4 | d;
        }
        out[2 * index] = (byte) (v >>> 8);
        out[2 * index + 1] = (byte) v;
        return true;
    }
}
