// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

/**
 * A deliberately plain RFC 1071 implementation over byte arrays, independent of {@link Checksums}: one
 * 16-bit big-endian word at a time, carries folded at the end.
 */
final class RefChecksum {

    private RefChecksum() {
    }

    /** Folded (not complemented) one's complement sum of a[off .. off+len). */
    static int sum(byte[] a, int off, int len) {
        long s = 0;
        for (int k = 0; k < len; k += 2) {
            int hi = a[off + k] & 0xff;
            int lo = k + 1 < len ? a[off + k + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }

    static int u16(byte[] a, int i) {
        return ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
    }

    static void put16(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 8);
        a[i + 1] = (byte) v;
    }

    /** IPv4 header checksum value for the header of pkt (field treated as 0). */
    static int ipv4Header(byte[] pkt) {
        int ihl = (pkt[0] & 0x0f) * 4;
        byte[] h = java.util.Arrays.copyOf(pkt, ihl);
        h[10] = 0;
        h[11] = 0;
        return ~sum(h, 0, ihl) & 0xffff;
    }

    /** Pseudo-header (RFC 793 / RFC 8200 §8.1) as bytes, summed with the same plain loop. */
    static int pseudo(byte[] pkt, int proto, int l4Len) {
        boolean v4 = (pkt[0] & 0xf0) == 0x40;
        byte[] ph;
        if (v4) {
            ph = new byte[12];
            System.arraycopy(pkt, 12, ph, 0, 8);
            ph[9] = (byte) proto;
            put16(ph, 10, l4Len);
        } else {
            ph = new byte[40];
            System.arraycopy(pkt, 8, ph, 0, 32);
            ph[34] = (byte) (l4Len >>> 8);
            ph[35] = (byte) l4Len;
            ph[39] = (byte) proto;
        }
        return sum(ph, 0, ph.length);
    }

    static int ipHeaderLength(byte[] pkt) {
        return (pkt[0] & 0xf0) == 0x40 ? (pkt[0] & 0x0f) * 4 : 40;
    }

    static int proto(byte[] pkt) {
        return (pkt[0] & 0xf0) == 0x40 ? pkt[9] & 0xff : pkt[6] & 0xff;
    }

    /** Computes and stores full checksums (IPv4 header; TCP or UDP, 0 sent as 0xffff) in pkt. */
    static void fill(byte[] pkt) {
        boolean v4 = (pkt[0] & 0xf0) == 0x40;
        int hl = ipHeaderLength(pkt);
        if (v4) {
            put16(pkt, 10, ipv4Header(pkt));
        }
        int proto = proto(pkt);
        int field = hl + (proto == 6 ? 16 : 6);
        put16(pkt, field, 0);
        int l4Len = pkt.length - hl;
        int s = pseudo(pkt, proto, l4Len) + sum(pkt, hl, l4Len);
        s = (s & 0xffff) + (s >>> 16);
        int c = ~s & 0xffff;
        put16(pkt, field, c == 0 ? 0xffff : c);
    }

    /** True if the IPv4 header checksum (if any) and the TCP/UDP checksum verify. */
    static boolean valid(byte[] pkt) {
        boolean v4 = (pkt[0] & 0xf0) == 0x40;
        int hl = ipHeaderLength(pkt);
        if (v4 && sum(pkt, 0, hl) != 0xffff) {
            return false;
        }
        int l4Len = pkt.length - hl;
        int s = pseudo(pkt, proto(pkt), l4Len) + sum(pkt, hl, l4Len);
        s = (s & 0xffff) + (s >>> 16);
        return s == 0xffff;
    }
}
