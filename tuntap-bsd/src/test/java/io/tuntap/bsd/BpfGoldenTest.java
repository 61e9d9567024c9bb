// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tuntap.bsd.jna.Bpf;
import io.tuntap.bsd.jna.FethRequest;
import io.tuntap.bsd.jna.Ioc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The numbers of macOS TAP. Each request is checked twice: against {@code _IOC} applied to its definition in
 * apple-oss-distributions/xnu tag xnu-11417.101.15 (commit e3723e1f), and against an independent literal: the
 * constants of Go's {@code syscall} package for darwin (generated on macOS), which list BIOCSBLEN 0xc0044266,
 * BIOCSETIF 0x8020426c, BIOCIMMEDIATE 0x80044270, BIOCSHDRCMPLT 0x80044275, BIOCSSEESENT 0x80044277,
 * BPF_ALIGNMENT 4, BPF_MINBUFSIZE 0x20 and SIOCSDRVSPEC 0x8028697b.
 */
class BpfGoldenTest {

    @Test
    void bpfRequestsFromBpfH() {
        // bsd/net/bpf.h: BIOCSBLEN _IOWR('B',102, u_int), BIOCSETIF _IOW('B',108, struct ifreq) (32 bytes),
        // BIOCIMMEDIATE _IOW('B',112, u_int), BIOCSHDRCMPLT _IOW('B',117, u_int), BIOCSSEESENT _IOW('B',119, u_int).
        assertEquals(Ioc.iowr('B', 102, 4), Bpf.BIOCSBLEN);
        assertEquals(0xc0044266L, Bpf.BIOCSBLEN);
        assertEquals(Ioc.iow('B', 108, 32), Bpf.BIOCSETIF);
        assertEquals(0x8020426cL, Bpf.BIOCSETIF);
        assertEquals(Ioc.iow('B', 112, 4), Bpf.BIOCIMMEDIATE);
        assertEquals(0x80044270L, Bpf.BIOCIMMEDIATE);
        assertEquals(Ioc.iow('B', 117, 4), Bpf.BIOCSHDRCMPLT);
        assertEquals(0x80044275L, Bpf.BIOCSHDRCMPLT);
        assertEquals(Ioc.iow('B', 119, 4), Bpf.BIOCSSEESENT);
        assertEquals(0x80044277L, Bpf.BIOCSSEESENT);
        // The fake recognises the same requests by its own literals.
        assertEquals(FakeDarwin.BIOCSBLEN, Bpf.BIOCSBLEN);
        assertEquals(FakeDarwin.BIOCSETIF, Bpf.BIOCSETIF);
        assertEquals(FakeDarwin.BIOCIMMEDIATE, Bpf.BIOCIMMEDIATE);
        assertEquals(FakeDarwin.BIOCSHDRCMPLT, Bpf.BIOCSHDRCMPLT);
        assertEquals(FakeDarwin.BIOCSSEESENT, Bpf.BIOCSSEESENT);
    }

    @Test
    void bpfHeaderAndAlignment() {
        // bsd/net/bpf.h: BPF_ALIGNMENT sizeof(int32_t), BPF_MINBUFSIZE 32; struct bpf_hdr on LP64 is a timeval32
        // (two int32), bh_caplen, bh_datalen (u_int32), bh_hdrlen (u_short): 18 bytes, SIZEOF_BPF_HDR 18.
        assertEquals(4, Bpf.ALIGNMENT);
        assertEquals(32, Bpf.MIN_BUFFER);
        assertEquals(18, Bpf.SIZEOF_BPF_HDR);
        assertEquals(8, Bpf.BH_CAPLEN);
        assertEquals(12, Bpf.BH_DATALEN);
        assertEquals(16, Bpf.BH_HDRLEN);
        // bsd/net/bpf.c bpfattach: bif_hdrlen = BPF_WORDALIGN(14 + 18) - 14 = 18 for DLT_EN10MB.
        assertEquals(18, Bpf.ETHERNET_HDRLEN);
        assertEquals(80, Bpf.wordAlign(79));
        assertEquals(80, Bpf.wordAlign(80));
        // bsd/net/bpf.c: #define BPF_WRITE_LEEWAY 18.
        assertEquals(18, Bpf.WRITE_LEEWAY);
    }

    @Test
    void setPeerRequestLayout() {
        // bsd/sys/sockio.h SIOCSDRVSPEC _IOW('i', 123, struct ifdrv); bsd/net/if.h struct ifdrv under pack(4):
        // char[16], unsigned long, size_t, void * = 40 on LP64.
        assertEquals(Ioc.iow('i', 123, 40), FethRequest.SIOCSDRVSPEC);
        assertEquals(0x8028697bL, FethRequest.SIOCSDRVSPEC);
        assertEquals(FakeDarwin.SIOCSDRVSPEC, FethRequest.SIOCSDRVSPEC);
        // bsd/net/if_fake_var.h: IF_FAKE_S_CMD_SET_PEER 1; struct if_fake_request = uint64_t[4] + a 128-byte union.
        try (BsdContext.Request ifdrv = new BsdContext.Request(40);
                BsdContext.Request req = new BsdContext.Request(160)) {
            FethRequest.putSetPeer(ifdrv.view, req.view, req.address, "feth0", "feth1");
            ByteBuffer expected = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
            expected.put(0, "feth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            expected.putLong(16, 1).putLong(24, 160).putLong(32, req.address);
            assertEquals(expected, ifdrv.view.duplicate().clear());
            ByteBuffer request = ByteBuffer.allocate(160).order(ByteOrder.nativeOrder());
            request.put(32, "feth1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(request, req.view.duplicate().clear());
        }
    }
}
