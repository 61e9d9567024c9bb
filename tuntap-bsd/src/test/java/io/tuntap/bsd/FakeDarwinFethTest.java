// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.FethRequest;
import org.junit.jupiter.api.Test;

/**
 * The macOS fake's feth and BPF refusals, each as xnu tag xnu-11417.101.15 (commit e3723e1f) has it: what the
 * backend never provokes still has to be right, or a backend change could pass against a lenient fake.
 */
class FakeDarwinFethTest {

    private static int create(FakeDarwin k, int s, String name) {
        try (BsdContext.Request r = new BsdContext.Request(32)) {
            io.tuntap.bsd.jna.Ifreq.clear(r.view, BsdAbi.DARWIN, name);
            return k.ioctl(s, 0xc0206978L, r.address) < 0 ? k.errno() : 0;
        }
    }

    private static int setPeer(FakeDarwin k, int s, String name, String peer, long len, long reserved) {
        try (BsdContext.Request ifdrv = new BsdContext.Request(FethRequest.IFDRV_SIZE);
                BsdContext.Request req = new BsdContext.Request(FethRequest.SIZE)) {
            FethRequest.putSetPeer(ifdrv.view, req.view, req.address, name, peer);
            ifdrv.view.putLong(FethRequest.IFD_LEN, len);
            req.view.putLong(8, reserved);
            return k.ioctl(s, FethRequest.SIOCSDRVSPEC, ifdrv.address) < 0 ? k.errno() : 0;
        }
    }

    @Test
    void setPeerRefusesWhatFethConfigRefuses() {
        FakeDarwin k = new FakeDarwin();
        int s = k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0);
        assertEquals(0, create(k, s, "feth"));
        assertEquals(0, create(k, s, "feth"));
        assertEquals(0, create(k, s, "feth"));
        assertEquals(BsdErrno.EEXIST, create(k, s, "feth1"), "if_clone_create: an existing name");
        assertEquals(BsdErrno.EINVAL, create(k, s, "utun"), "if_clone_lookup: no such cloner");
        // if_fake_request_copyin: ifd_len below sizeof(struct if_fake_request) and non-zero reserved words.
        assertEquals(BsdErrno.EINVAL, setPeer(k, s, "feth0", "feth1", FethRequest.SIZE - 1, 0));
        assertEquals(BsdErrno.EINVAL, setPeer(k, s, "feth0", "feth1", FethRequest.SIZE, 1));
        // feth_set_drvspec: an unknown peer is ENXIO.
        assertEquals(BsdErrno.ENXIO, setPeer(k, s, "feth0", "feth9", FethRequest.SIZE, 0));
        assertEquals(0, setPeer(k, s, "feth0", "feth1", FethRequest.SIZE, 0));
        // feth_config: either end already peered is EBUSY.
        assertEquals(BsdErrno.EBUSY, setPeer(k, s, "feth2", "feth1", FethRequest.SIZE, 0));
        assertEquals(BsdErrno.EBUSY, setPeer(k, s, "feth0", "feth2", FethRequest.SIZE, 0));
        k.root = false;
        assertEquals(BsdErrno.EPERM, setPeer(k, s, "feth2", "feth0", FethRequest.SIZE, 0), "proc_suser");
        assertEquals(BsdErrno.EPERM, create(k, s, "feth"), "ifioctl SIOCIFCREATE: proc_suser");
        k.close(s);
    }

    @Test
    void bpfBufferRulesAreBpfioctlsAndBpfreads() {
        FakeDarwin k = new FakeDarwin();
        int s = k.socket(BsdAbi.AF_INET, BsdAbi.SOCK_DGRAM, 0);
        create(k, s, "feth");
        int b = k.open("/dev/bpf0", BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK);
        try (BsdContext.Request v = new BsdContext.Request(4); BsdContext.Request ifr = new BsdContext.Request(32);
                BsdContext.Request buf = new BsdContext.Request(4096)) {
            v.view.putInt(0, 8);
            assertEquals(0, k.ioctl(b, FakeDarwin.BIOCSBLEN, v.address));
            assertEquals(32, v.view.getInt(0), "BIOCSBLEN below BPF_MINBUFSIZE is raised and written back");
            v.view.putInt(0, 4096);
            assertEquals(0, k.ioctl(b, FakeDarwin.BIOCSBLEN, v.address));
            io.tuntap.bsd.jna.Ifreq.clear(ifr.view, BsdAbi.DARWIN, "feth0");
            assertEquals(0, k.ioctl(b, FakeDarwin.BIOCSETIF, ifr.address));
            assertTrue(k.ioctl(b, FakeDarwin.BIOCSBLEN, v.address) < 0, "BIOCSBLEN once attached");
            assertEquals(BsdErrno.EINVAL, k.errno());
            assertTrue(k.read(b, buf.address, 2048) < 0, "bpfread: the count must be the buffer size");
            assertEquals(BsdErrno.EINVAL, k.errno());
            assertTrue(k.read(b, buf.address, 4096) < 0);
            assertEquals(BsdErrno.EAGAIN, k.errno(), "non-blocking, nothing captured: EWOULDBLOCK");
            assertTrue(k.write(b, buf.address, 60) < 0, "bpfwrite: the interface is down");
            assertEquals(BsdErrno.ENETDOWN, k.errno());
        }
        assertTrue(k.open("/dev/bpf0", BsdAbi.O_RDWR) < 0, "bpfopen: one open per minor");
        assertEquals(BsdErrno.EBUSY, k.errno());
        k.close(b);
        k.close(s);
    }
}
