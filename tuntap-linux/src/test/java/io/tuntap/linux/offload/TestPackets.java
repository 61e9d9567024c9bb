// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Builds IPv4/IPv6 TCP/UDP packets as byte arrays for the tests, with {@link RefChecksum}. */
final class TestPackets {

    private TestPackets() {
    }

    /** What a flow's packets share, plus the per-packet fields the tests vary. Mutable on purpose. */
    static final class Spec {
        boolean v6;
        boolean tcp = true;
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        int sport = 40000;
        int dport = 443;
        int tos;
        int ttl = 64;
        int flowLabel;
        int id = 1;
        boolean df = true;
        byte[] ipOptions = new byte[0];
        byte[] tcpOptions = new byte[0];
        int flags = 0x10;
        int seq = 1000;
        int ack = 5000;
        int window = 512;

        Spec copy() {
            Spec s = new Spec();
            s.v6 = v6;
            s.tcp = tcp;
            s.src = src.clone();
            s.dst = dst.clone();
            s.sport = sport;
            s.dport = dport;
            s.tos = tos;
            s.ttl = ttl;
            s.flowLabel = flowLabel;
            s.id = id;
            s.df = df;
            s.ipOptions = ipOptions.clone();
            s.tcpOptions = tcpOptions.clone();
            s.flags = flags;
            s.seq = seq;
            s.ack = ack;
            s.window = window;
            return s;
        }

        Spec ipv6() {
            v6 = true;
            src = new byte[16];
            dst = new byte[16];
            src[0] = (byte) 0xfd;
            src[15] = 1;
            dst[0] = (byte) 0xfd;
            dst[15] = 2;
            return this;
        }
    }

    static int headerLength(Spec s) {
        int ip = s.v6 ? 40 : 20 + s.ipOptions.length;
        return ip + (s.tcp ? 20 + s.tcpOptions.length : 8);
    }

    /** A complete packet with valid checksums. */
    static byte[] build(Spec s, byte[] payload) {
        byte[] p = raw(s, payload.length);
        System.arraycopy(payload, 0, p, headerLength(s), payload.length);
        RefChecksum.fill(p);
        return p;
    }

    /** Headers filled in, payload zero, checksum fields zero. */
    static byte[] raw(Spec s, int payloadLen) {
        int ipHl = s.v6 ? 40 : 20 + s.ipOptions.length;
        int l4Hl = s.tcp ? 20 + s.tcpOptions.length : 8;
        int total = ipHl + l4Hl + payloadLen;
        byte[] p = new byte[total];
        int proto = s.tcp ? 6 : 17;
        if (s.v6) {
            p[0] = (byte) (0x60 | (s.tos >>> 4));
            p[1] = (byte) ((s.tos << 4) | ((s.flowLabel >>> 16) & 0x0f));
            RefChecksum.put16(p, 2, s.flowLabel & 0xffff);
            RefChecksum.put16(p, 4, total - 40);
            p[6] = (byte) proto;
            p[7] = (byte) s.ttl;
            System.arraycopy(s.src, 0, p, 8, 16);
            System.arraycopy(s.dst, 0, p, 24, 16);
        } else {
            p[0] = (byte) (0x40 | (ipHl / 4));
            p[1] = (byte) s.tos;
            RefChecksum.put16(p, 2, total);
            RefChecksum.put16(p, 4, s.id & 0xffff);
            RefChecksum.put16(p, 6, s.df ? 0x4000 : 0);
            p[8] = (byte) s.ttl;
            p[9] = (byte) proto;
            System.arraycopy(s.src, 0, p, 12, 4);
            System.arraycopy(s.dst, 0, p, 16, 4);
            System.arraycopy(s.ipOptions, 0, p, 20, s.ipOptions.length);
        }
        RefChecksum.put16(p, ipHl, s.sport);
        RefChecksum.put16(p, ipHl + 2, s.dport);
        if (s.tcp) {
            putInt(p, ipHl + 4, s.seq);
            putInt(p, ipHl + 8, s.ack);
            p[ipHl + 12] = (byte) ((l4Hl / 4) << 4);
            p[ipHl + 13] = (byte) s.flags;
            RefChecksum.put16(p, ipHl + 14, s.window);
            System.arraycopy(s.tcpOptions, 0, p, ipHl + 20, s.tcpOptions.length);
        } else {
            RefChecksum.put16(p, ipHl + 4, total - ipHl);
        }
        return p;
    }

    /**
     * A super-packet as the kernel hands it over: vnet header (NEEDS_CSUM, gso_type, gso_size) and the
     * packet with its L4 checksum field holding the folded pseudo-header sum.
     */
    static byte[] superPacket(Spec s, byte[] payload, int gsoSize, boolean ecn) {
        byte[] p = build(s, payload);
        int hl = RefChecksum.ipHeaderLength(p);
        int proto = s.tcp ? 6 : 17;
        int field = hl + (s.tcp ? 16 : 6);
        RefChecksum.put16(p, field, RefChecksum.pseudo(p, proto, p.length - hl));
        int type = s.tcp ? (s.v6 ? 4 : 1) : 5;
        if (ecn) {
            type |= 0x80;
        }
        byte[] out = new byte[10 + p.length];
        out[0] = 1;
        out[1] = (byte) type;
        int hdrLen = headerLength(s);
        out[2] = (byte) hdrLen;
        out[3] = (byte) (hdrLen >>> 8);
        out[4] = (byte) gsoSize;
        out[5] = (byte) (gsoSize >>> 8);
        out[6] = (byte) hl;
        out[7] = 0;
        out[8] = (byte) (s.tcp ? 16 : 6);
        out[9] = 0;
        System.arraycopy(p, 0, out, 10, p.length);
        return out;
    }

    static void putInt(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 24);
        a[i + 1] = (byte) (v >>> 16);
        a[i + 2] = (byte) (v >>> 8);
        a[i + 3] = (byte) v;
    }

    static int getInt(byte[] a, int i) {
        return (a[i] & 0xff) << 24 | (a[i + 1] & 0xff) << 16 | (a[i + 2] & 0xff) << 8 | (a[i + 3] & 0xff);
    }

    static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** A buffer holding {@code bytes} at position..limit, of a random kind: heap/direct, either order. */
    static ByteBuffer buffer(Random r, byte[] bytes, int lead, int trail) {
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocateDirect(lead + bytes.length + trail)
                : ByteBuffer.allocate(lead + bytes.length + trail);
        b.order(r.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.position(lead);
        b.put(bytes);
        b.position(lead);
        b.limit(lead + bytes.length);
        return b;
    }

    static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] a = new byte[len];
        b.get(off, a);
        return a;
    }
}
