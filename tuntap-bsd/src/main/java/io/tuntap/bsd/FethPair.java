// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.Bpf;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.FethRequest;
import io.tuntap.bsd.jna.Ifreq;
import io.tuntap.spi.ErrorMessages;

/**
 * macOS TAP: a pair of {@code feth} interfaces (xnu's "fake ethernet", {@code bsd/net/if_fake.c}) whose one end
 * is the device the system uses and whose other end this backend reads and writes through BPF. What one end
 * sends, the other receives (feth_output_common: the frame is tapped out on the sender, tapped in on the peer
 * and queued as the peer's input). Facts from apple-oss-distributions/xnu, tag xnu-11417.101.15 (commit
 * e3723e1f):
 * <ul>
 * <li>{@code bsd/net/if.c} if_clone_create: {@code SIOCIFCREATE} of {@code "feth"} takes the lowest free unit
 * and writes the name back into {@code ifr_name}; of {@code "fethN"} makes exactly that (EEXIST if it exists);
 * root only (proc_suser).
 * <li>{@code bsd/net/if_fake.c} feth_set_drvspec, feth_config: {@code IF_FAKE_S_CMD_SET_PEER} names the peer;
 * ENXIO if it does not exist, EINVAL if it is no feth, EBUSY if either end has a peer already; root only.
 * feth_clone_destroy unpeers before the interface goes.
 * <li>{@code bsd/net/bpf.c}: the {@code /dev/bpfN} nodes are opened in turn, EBUSY meaning "in use, try the
 * next" (bpfopen); the buffer size is set before the interface (BIOCSBLEN: EINVAL once attached); writing
 * needs the interface up (bpfwrite: ENETDOWN).
 * </ul>
 * Names: the device is {@code fethN}, the name the user sees and configures; its far end, {@code fethM}, is
 * the next free unit, is kept up, and is destroyed with it.
 */
final class FethPair {
    /** The BPF buffer asked for: room for many frames of the largest feth MTU (16 KiB - 14, if_fake.c). */
    static final int BUFFER_SIZE = 128 * 1024;
    /** How many {@code /dev/bpfN} nodes to try before giving up. */
    private static final int MAX_BPF_NODES = 256;

    private FethPair() {
    }

    static BsdSystem.Opened open(BsdContext ctx, DeviceConfig config) throws TunTapException {
        if (config.persistent()) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(persistent TAP)",
                    "a macOS TAP device (a feth pair read through BPF) "
                    + "is destroyed when it is closed; macOS has no persistent TAP device"));
        }
        if (config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(ATTACH_EXISTING)",
                    "a macOS TAP device is a feth pair this backend "
                    + "creates; attaching to an existing one is not offered. Open with OpenPolicy.CREATE_NEW or "
                    + "CREATE_OR_ATTACH"));
        }
        String requested = config.name().orElse(null);
        if (requested != null && UnitNames.unit("feth", requested) < 0) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(" + requested + ")",
                    "'" + requested + "' is not a feth name: a macOS TAP "
                    + "device is a feth interface named fethN (e.g. feth3); choose such a name or none"));
        }
        int s = ctx.socket(BsdAbi.AF_INET, "creates the feth pair");
        String device = null;
        String peer = null;
        int bpf = -1;
        try {
            device = create(ctx, s, requested == null ? "feth" : requested);
            peer = create(ctx, s, "feth");
            setPeer(ctx, s, device, peer);
            up(ctx, s, peer);
            bpf = openBpf(ctx);
            int size = bind(ctx, bpf, peer);
            return new BsdSystem.Opened(bpf, device, "feth", BsdSystem.Ending.BACKEND_DESTROYS, false, true, peer,
                    size);
        } catch (TunTapException | RuntimeException e) {
            if (bpf >= 0) {
                ctx.libc.close(bpf);
            }
            if (peer != null) {
                ctx.destroy(peer);
            }
            if (device != null) {
                ctx.destroy(device);
            }
            throw e;
        } finally {
            ctx.libc.close(s);
        }
    }

    /** SIOCIFCREATE of {@code name} ("feth" for the lowest free unit); returns the name made. */
    private static String create(BsdContext ctx, int s, String name) throws TunTapException {
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.clear(r.view, ctx.abi, name);
            if (ctx.libc.ioctl(s, ctx.abi.siocifcreate, r.address) < 0) {
                int errno = ctx.libc.errno();
                throw switch (errno) {
                    case BsdErrno.EEXIST -> BsdErrors.of("ioctl(SIOCIFCREATE, " + name + ")", errno, name + " exists; "
                            + "choose another unit or none");
                    case BsdErrno.EINVAL -> BsdErrors.of("ioctl(SIOCIFCREATE, " + name + ")", errno, "this kernel "
                            + "has no feth interface cloner (if_clone_lookup found none); macOS TAP needs feth");
                    default -> BsdErrors.ofCommon("ioctl(SIOCIFCREATE, " + name + ")", errno, "cannot create a feth "
                            + "interface");
                };
            }
            return Ifreq.getName(r.view);
        }
    }

    /** SIOCSDRVSPEC IF_FAKE_S_CMD_SET_PEER: {@code device} and {@code peer} become each other's other end. */
    private static void setPeer(BsdContext ctx, int s, String device, String peer) throws TunTapException {
        try (BsdContext.Request ifdrv = new BsdContext.Request(FethRequest.IFDRV_SIZE);
                BsdContext.Request request = new BsdContext.Request(FethRequest.SIZE)) {
            FethRequest.putSetPeer(ifdrv.view, request.view, request.address, device, peer);
            if (ctx.libc.ioctl(s, FethRequest.SIOCSDRVSPEC, ifdrv.address) < 0) {
                throw BsdErrors.ofCommon("ioctl(SIOCSDRVSPEC, IF_FAKE_S_CMD_SET_PEER, " + device + " peer " + peer
                        + ")", ctx.libc.errno(), "cannot join " + device + " and " + peer + " into a pair");
            }
        }
    }

    /** Brings the far end up: bpfwrite refuses a down interface. */
    private static void up(BsdContext ctx, int s, String peer) throws TunTapException {
        try (BsdContext.Request r = new BsdContext.Request(ctx.abi.ifreqSize)) {
            Ifreq.clear(r.view, ctx.abi, peer);
            if (ctx.libc.ioctl(s, ctx.abi.siocgifflags, r.address) < 0) {
                throw BsdErrors.ofCommon("ioctl(SIOCGIFFLAGS) on " + peer, ctx.libc.errno(), "cannot read the flags "
                        + "of the pair's far end");
            }
            int flags = Ifreq.getFlags(r.view, ctx.abi) | BsdAbi.IFF_UP;
            Ifreq.putFlags(r.view, ctx.abi, peer, flags);
            if (ctx.libc.ioctl(s, ctx.abi.siocsifflags, r.address) < 0) {
                throw BsdErrors.ofCommon("ioctl(SIOCSIFFLAGS) on " + peer, ctx.libc.errno(), "cannot bring the "
                        + "pair's far end up");
            }
        }
    }

    /** Opens the first free {@code /dev/bpfN}: bpfopen answers EBUSY for one in use (and makes the next node). */
    private static int openBpf(BsdContext ctx) throws TunTapException {
        for (int n = 0; n < MAX_BPF_NODES; n++) {
            String path = "/dev/bpf" + n;
            int fd = ctx.libc.open(path, BsdAbi.O_RDWR | BsdAbi.O_NONBLOCK | ctx.abi.oCloexec);
            if (fd >= 0) {
                return fd;
            }
            int errno = ctx.libc.errno();
            if (errno != BsdErrno.EBUSY) {
                throw Openers.openError(ctx, path, "a BPF device", errno, "macOS makes /dev/bpf0 and more on demand; "
                        + "check that /dev is devfs");
            }
        }
        throw BsdErrors.of("open(/dev/bpf0.." + (MAX_BPF_NODES - 1) + ")", BsdErrno.EBUSY, "every BPF device is in "
                + "use; close some packet captures");
    }

    /**
     * Sets the BPF descriptor up for the pair's far end: the buffer size (before the interface), the interface,
     * immediate reads, frames written as they are, and only received frames read back.
     *
     * @return the buffer size the kernel took, which every read must ask for
     */
    private static int bind(BsdContext ctx, int bpf, String peer) throws TunTapException {
        int size;
        try (BsdContext.Request r = new BsdContext.Request(4)) {
            r.view.putInt(0, BUFFER_SIZE);
            if (ctx.libc.ioctl(bpf, Bpf.BIOCSBLEN, r.address) < 0) {
                throw BsdErrors.ofCommon("ioctl(BIOCSBLEN, " + BUFFER_SIZE + ")", ctx.libc.errno(), "cannot size "
                        + "the BPF buffer");
            }
            size = r.view.getInt(0); // bpfioctl writes back what it took (clamped to BPF_MINBUFSIZE and its cap)
        }
        if (size < Bpf.MIN_BUFFER) {
            throw BsdErrors.of("ioctl(BIOCSBLEN)", BsdErrno.EINVAL, "the kernel answered a BPF buffer of " + size
                    + " bytes, less than BPF_MINBUFSIZE; this is not the kernel this backend was written for");
        }
        try (BsdContext.Request r = new BsdContext.Request(32)) {
            Ifreq.clear(r.view, ctx.abi, peer);
            if (ctx.libc.ioctl(bpf, Bpf.BIOCSETIF, r.address) < 0) {
                throw BsdErrors.ofCommon("ioctl(BIOCSETIF, " + peer + ")", ctx.libc.errno(), "cannot attach BPF to "
                        + peer);
            }
        }
        check(ctx, ctx.ioctlInt(bpf, Bpf.BIOCIMMEDIATE, 1), "BIOCIMMEDIATE", "cannot make BPF reads immediate");
        check(ctx, ctx.ioctlInt(bpf, Bpf.BIOCSHDRCMPLT, 1), "BIOCSHDRCMPLT", "cannot make BPF send frames as written");
        check(ctx, ctx.ioctlInt(bpf, Bpf.BIOCSSEESENT, 0), "BIOCSSEESENT", "cannot keep own frames out of BPF reads");
        return size;
    }

    private static void check(BsdContext ctx, int errno, String call, String what) throws TunTapException {
        if (errno != 0) {
            throw BsdErrors.ofCommon("ioctl(" + call + ")", errno, what);
        }
    }
}
