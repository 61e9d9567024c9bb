// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.bsd.jna.Bpf;
import java.nio.ByteBuffer;

/**
 * The records of one BPF read, walked in place: one read of a BPF descriptor returns as many captured packets
 * as the kernel had, each a {@code struct bpf_hdr} followed by the packet at {@code bh_hdrlen}, the next record
 * starting at {@code BPF_WORDALIGN} of the end of this one (apple-oss-distributions/xnu xnu-11417.101.15,
 * {@code bsd/net/bpf.c} catchpacket; {@code bsd/net/bpf.h} {@code struct bpf_hdr}, {@code BPF_WORDALIGN}).
 *
 * <p>Holds only ints and the buffer view it was loaded with: walking allocates nothing. A record whose header
 * does not fit what was read (a header shorter than {@code SIZEOF_BPF_HDR}, a packet beyond the end) ends the
 * walk and is counted as malformed; the kernel writes none, so this guards the parser, not the traffic.
 */
final class BpfRecords {
    private ByteBuffer buffer;
    private int end;
    private int next;
    private int frameOffset;
    private int frameLength;
    private int wireLength;
    private long malformed;

    /** Starts a walk over the first {@code length} bytes of {@code view} (native byte order, absolute reads). */
    void load(ByteBuffer view, int length) {
        buffer = view;
        end = Math.max(0, Math.min(length, view.capacity()));
        next = 0;
    }

    /**
     * Moves to the next record.
     *
     * @return the captured length of its packet ({@link #frameOffset()} says where it is), or -1 if no whole
     *     record is left
     */
    int next() {
        if (buffer == null || next >= end) {
            return -1;
        }
        int at = next;
        if (end - at < Bpf.SIZEOF_BPF_HDR) {
            return stop();
        }
        int caplen = buffer.getInt(at + Bpf.BH_CAPLEN);
        int datalen = buffer.getInt(at + Bpf.BH_DATALEN);
        int hdrlen = buffer.getShort(at + Bpf.BH_HDRLEN) & 0xffff;
        if (hdrlen < Bpf.SIZEOF_BPF_HDR || caplen < 0 || caplen > end - at - hdrlen) {
            return stop();
        }
        frameOffset = at + hdrlen;
        frameLength = caplen;
        wireLength = datalen;
        long after = (long) frameOffset + caplen;
        next = after >= end ? end : Bpf.wordAlign((int) after);
        return caplen;
    }

    private int stop() {
        malformed++;
        next = end;
        return -1;
    }

    /** Where the current record's packet starts in the buffer. */
    int frameOffset() {
        return frameOffset;
    }

    /** The current packet's captured length. */
    int frameLength() {
        return frameLength;
    }

    /** The current packet's length on the wire ({@code bh_datalen}). */
    int wireLength() {
        return wireLength;
    }

    /** Whether the kernel cut the current packet (it had less room than the packet's length). */
    boolean truncated() {
        return frameLength < wireLength;
    }

    /** Whether records remain in the loaded buffer. */
    boolean hasMore() {
        return buffer != null && next < end;
    }

    /** Records that did not fit what was read, since this walker was made. */
    long malformed() {
        return malformed;
    }
}
