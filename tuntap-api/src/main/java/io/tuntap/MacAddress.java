// SPDX-License-Identifier: Apache-2.0
package io.tuntap;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/** A 48-bit Ethernet MAC address. Immutable. */
public final class MacAddress {
    /** The length of a MAC address in bytes. */
    public static final int LENGTH = 6;

    private final byte[] bytes;

    private MacAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The address with these six bytes (copied).
     *
     * @param bytes six bytes, in transmission order; copied
     * @return the address
     * @throws IllegalArgumentException if there are not exactly six
     */
    public static MacAddress of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        return new MacAddress(bytes.clone());
    }

    /**
     * Parses six hexadecimal bytes separated by {@code ':'} or {@code '-'}, e.g. {@code "02:00:5e:10:00:01"}.
     *
     * @param text the address in text, e.g. {@code "02:00:5e:10:00:01"} or {@code "02-00-5e-10-00-01"}
     * @return the address
     * @throws IllegalArgumentException if the text is not in that form
     */
    public static MacAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] parts = text.split("[:-]", -1);
        if (parts.length != LENGTH) {
            throw new IllegalArgumentException("not a MAC address (six hex bytes separated by ':'): '" + text + "'");
        }
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            if (parts[i].length() < 1 || parts[i].length() > 2) {
                throw new IllegalArgumentException("not a MAC address (six hex bytes separated by ':'): '" + text + "'");
            }
            try {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address (bad hex byte '" + parts[i] + "'): '" + text + "'", e);
            }
        }
        return new MacAddress(b);
    }

    /** {@return a random unicast, locally administered address (the first byte is {@code x2}, {@code x6}, {@code xA} or {@code xE})} */
    public static MacAddress randomLocal() {
        byte[] b = new byte[LENGTH];
        new SecureRandom().nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfc) | 0x02);
        return new MacAddress(b);
    }

    /** {@return a copy of the six bytes} */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** {@return true if this is a group (multicast or broadcast) address: such an address cannot name an interface} */
    public boolean isMulticast() {
        return (bytes[0] & 0x01) != 0;
    }

    /** {@return true if the locally-administered bit is set} */
    public boolean isLocallyAdministered() {
        return (bytes[0] & 0x02) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Lower-case, colon-separated, e.g. {@code "02:00:5e:10:00:01"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
