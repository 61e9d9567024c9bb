// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.offload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An obviously-correct (slow) splitter over byte arrays, written separately from {@link GsoSplitter} to
 * the same rules: returns the packets, or null where the input must be rejected.
 */
final class RefSplitter {

    private RefSplitter() {
    }

    static List<byte[]> split(byte[] in) {
        if (in.length <= 10) {
            return null;
        }
        int flags = in[0] & 0xff;
        int type = in[1] & 0x7f;
        int gso = (in[4] & 0xff) | (in[5] & 0xff) << 8;
        byte[] pkt = Arrays.copyOfRange(in, 10, in.length);
        List<byte[]> out = new ArrayList<>();
        if (type == 0) {
            if ((flags & 1) != 0) {
                int cs = (in[6] & 0xff) | (in[7] & 0xff) << 8;
                int co = (in[8] & 0xff) | (in[9] & 0xff) << 8;
                if (cs >= pkt.length || cs + co + 2 > pkt.length) {
                    return null;
                }
                int s = RefChecksum.sum(pkt, cs, pkt.length - cs);
                int c = ~s & 0xffff;
                RefChecksum.put16(pkt, cs + co, c == 0 ? 0xffff : c);
            }
            out.add(pkt);
            return out;
        }
        boolean tcp;
        int version;
        if (type == 1) {
            tcp = true;
            version = 4;
        } else if (type == 4) {
            tcp = true;
            version = 6;
        } else if (type == 5) {
            tcp = false;
            version = 0;
        } else {
            return null;
        }
        if (gso == 0) {
            return null;
        }
        int v = (pkt[0] & 0xff) >> 4;
        if (version != 0 && v != version) {
            return null;
        }
        int hl;
        int total;
        int proto;
        if (v == 4) {
            if (pkt.length < 20) {
                return null;
            }
            hl = (pkt[0] & 0x0f) * 4;
            total = RefChecksum.u16(pkt, 2);
            if (hl < 20 || total < hl || total > pkt.length) {
                return null;
            }
            if ((RefChecksum.u16(pkt, 6) & 0x3fff) != 0) {
                return null;
            }
            proto = pkt[9] & 0xff;
        } else if (v == 6) {
            if (pkt.length < 40) {
                return null;
            }
            hl = 40;
            total = 40 + RefChecksum.u16(pkt, 4);
            if (total > pkt.length) {
                return null;
            }
            proto = pkt[6] & 0xff;
        } else {
            return null;
        }
        int l4hl;
        if (tcp) {
            if (proto != 6 || total - hl < 20) {
                return null;
            }
            l4hl = ((pkt[hl + 12] & 0xff) >> 4) * 4;
            if (l4hl < 20 || hl + l4hl > total) {
                return null;
            }
        } else {
            if (proto != 17 || total - hl < 8) {
                return null;
            }
            l4hl = 8;
        }
        int h = hl + l4hl;
        int payload = total - h;
        int seq = tcp ? TestPackets.getInt(pkt, hl + 4) : 0;
        int id = v == 4 ? RefChecksum.u16(pkt, 4) : 0;
        int n = Math.max(1, (payload + gso - 1) / gso);
        for (int k = 0; k < n; k++) {
            int start = k * gso;
            int len = Math.min(gso, payload - start);
            byte[] s = new byte[h + len];
            System.arraycopy(pkt, 0, s, 0, h);
            System.arraycopy(pkt, h + start, s, h, len);
            if (v == 4) {
                RefChecksum.put16(s, 2, s.length);
                RefChecksum.put16(s, 4, (id + k) & 0xffff);
            } else {
                RefChecksum.put16(s, 4, s.length - 40);
            }
            if (tcp) {
                TestPackets.putInt(s, hl + 4, seq + start);
                int f = s[hl + 13] & 0xff;
                if (k != n - 1) {
                    f &= ~0x09; // FIN, PSH
                }
                if (k != 0) {
                    f &= ~0x80; // CWR
                }
                s[hl + 13] = (byte) f;
            } else {
                RefChecksum.put16(s, hl + 4, s.length - hl);
            }
            RefChecksum.fill(s);
            out.add(s);
        }
        return out;
    }
}
