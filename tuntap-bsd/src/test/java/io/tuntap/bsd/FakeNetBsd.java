// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EAFNOSUPPORT;
import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EHOSTDOWN;
import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.EIO;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;
import static io.tuntap.bsd.jna.BsdErrno.ENXIO;

import io.tuntap.bsd.jna.BsdAbi;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * NetBSD's tun and tap as in sys/net/if_tun.c and if_tap.c: a 144-byte ifreq; {@code /dev/tunN} creates unit
 * N, which persists; {@code /dev/tap} clones a tap destroyed on close, {@code /dev/tapN} needs a unit made by
 * SIOCIFCREATE (ENXIO otherwise); a tun read gives EHOSTDOWN until an address is set, a tap read while the
 * interface is down; MTU 576 to 1500, a tun write of 0 or more than 1500 bytes is EIO; without TUNSIFHEAD only
 * IPv4 passes; TUNSIFMODE gives EBUSY while up.
 */
final class FakeNetBsd extends FakeKernel {
    private final Set<String> cloned = new HashSet<>();
    private final Set<String> addressed = new HashSet<>();

    FakeNetBsd() {
        super(BsdAbi.NETBSD);
    }

    @Override
    int afInet6() {
        return 24;
    }

    @Override
    int[] rtLayout() {
        return new int[] {120, 4, 8, 12, 8};
    }

    @Override
    int ifreqSize() {
        return 144;
    }

    @Override
    int ifaliasreqSize() {
        return 64;
    }

    @Override
    int in6AliasreqSize() {
        return 128;
    }

    @Override
    Iface openNode(String path) throws Err {
        String node = path.startsWith("/dev/") ? path.substring(5) : "";
        if (node.equals("tap")) {
            Iface i = createInterface(freeUnit("tap"), "tap");
            cloned.add(i.name);
            return i;
        }
        if (unitOf("tun", node) >= 0) {
            Iface i = get(node);
            return i != null ? i : createInterface(node, "tun");
        }
        if (unitOf("tap", node) >= 0) {
            Iface i = get(node);
            if (i == null) {
                throw new Err(ENXIO);
            }
            return i;
        }
        throw new Err(ENOENT);
    }

    @Override
    void lastClose(Iface iface) {
        if (cloned.remove(iface.name)) {
            interfaces.remove(iface.name);
            return;
        }
        iface.flags &= ~BsdAbi.IFF_UP;
        iface.ifhead = false;
    }

    @Override
    byte[] deviceRead(Iface iface) throws Err {
        if (!ready(iface)) {
            throw new Err(EHOSTDOWN);
        }
        return super.deviceRead(iface);
    }

    private boolean ready(Iface iface) {
        return iface.tun() ? addressed.contains(iface.name) : iface.up();
    }

    @Override
    boolean readable(Iface iface) {
        return ready(iface) && super.readable(iface);
    }

    @Override
    void addressAdded(Iface i) {
        addressed.add(i.name); // IASET, set in tun_enable
    }

    @Override
    void deviceIoctl(DeviceFd fd, long request, long arg) throws Err {
        Iface i = fd.iface;
        if (is(request, abi.tunsifhead, 4) && i.tun()) {
            i.ifhead = at(arg, 4).getInt(0) != 0;
        } else if (is(request, abi.tunsifmode, 4) && i.tun()) {
            if (i.up()) {
                throw new Err(EBUSY);
            }
            int mode = at(arg, 4).getInt(0) & ~BsdAbi.IFF_MULTICAST;
            if (mode != BsdAbi.IFF_POINTOPOINT && mode != BsdAbi.IFF_BROADCAST) {
                throw new Err(EINVAL);
            }
            i.flags = (i.flags & ~(BsdAbi.IFF_POINTOPOINT | BsdAbi.IFF_BROADCAST)) | mode | BsdAbi.IFF_MULTICAST;
        } else if (is(request, abi.gifname, 144) && !i.tun()) {
            ByteBuffer b = at(arg, 144);
            byte[] n = i.name.getBytes(StandardCharsets.US_ASCII);
            b.put(0, n).put(n.length, (byte) 0);
        } else if (is(request, BsdAbi.FIONBIO, 4)) {
            return;
        } else {
            throw new Err(ENOTTY);
        }
    }

    @Override
    byte[] frame(Iface iface, byte[] packet) {
        if (!iface.tun()) {
            return packet;
        }
        int family = familyOf(packet);
        if (iface.ifhead) {
            return withHeader(family, packet);
        }
        return family == BsdAbi.AF_INET ? packet : null; // "silently drops all IPv6 packets on output"
    }

    @Override
    long deviceWrite(Iface iface, byte[] bytes) throws Err {
        if (!iface.tun()) {
            if (!iface.up()) {
                return bytes.length; // dropped by the stack
            }
            iface.fromUser.addLast(bytes);
            return bytes.length;
        }
        byte[] packet = bytes;
        if (iface.ifhead) {
            int family = bytes.length < 4 ? -1 : headerFamily(bytes);
            if (family != BsdAbi.AF_INET && family != afInet6()) {
                throw new Err(EAFNOSUPPORT);
            }
            packet = afterHeader(bytes);
        }
        if (packet.length == 0 || packet.length > 1500) {
            throw new Err(EIO); // TUNMTU
        }
        if (iface.up()) {
            iface.fromUser.addLast(packet);
        }
        return bytes.length;
    }

    @Override
    int[] mtuRange(Iface iface) {
        return new int[] {576, 1500};
    }

    @Override
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        if (is(request, abi.siocifcreate, 144)) {
            String n = name(at(arg, 144));
            createInterface(n, n.startsWith("tap") ? "tap" : "tun");
            return;
        }
        throw new Err(ENOTTY);
    }
}
