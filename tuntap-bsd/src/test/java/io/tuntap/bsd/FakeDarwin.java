// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import static io.tuntap.bsd.jna.BsdErrno.EBUSY;
import static io.tuntap.bsd.jna.BsdErrno.EINVAL;
import static io.tuntap.bsd.jna.BsdErrno.ENOENT;
import static io.tuntap.bsd.jna.BsdErrno.ENOTTY;
import static io.tuntap.bsd.jna.BsdErrno.EPERM;

import com.sun.jna.Pointer;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.CtlInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * macOS utun as in xnu bsd/net/if_utun.c: a PF_SYSTEM control socket finds {@code com.apple.net.utun_control}
 * with CTLIOCGINFO; connect with {@code sc_unit} 0 takes the next free unit and N + 1 makes utunN (EBUSY if it
 * exists); only root may connect; UTUN_OPT_IFNAME gives the name; every packet carries the 4-byte header (a
 * header of family 0 is dropped); closing the socket destroys the interface. No /dev/tun or /dev/tap.
 */
final class FakeDarwin extends FakeKernel {
    static final int UTUN_CONTROL_ID = 0x0000beef;

    FakeDarwin() {
        super(BsdAbi.DARWIN);
    }

    @Override
    int afInet6() {
        return 30;
    }

    @Override
    int[] eventLayout() {
        return new int[] {0xc, 0xd, 0xe, -1, 112, 4, 8, 12, 24, 4, 20, 4, 12, 0, -1, -1, -1, -1};
    }

    @Override
    int[] rtLayout() {
        return new int[] {92, 5, 8, 12, 4, 4, -1, -1};
    }

    @Override
    int ifreqSize() {
        return 32;
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
        throw new Err(ENOENT);
    }

    @Override
    void lastClose(Iface iface) {
    }

    @Override
    void deviceIoctl(DeviceFd fd, long request, long arg) throws Err {
        throw new Err(ENOTTY);
    }

    @Override
    int otherSocket(int domain, int type, int protocol) {
        if (domain == CtlInfo.AF_SYSTEM && type == BsdAbi.SOCK_DGRAM && protocol == CtlInfo.SYSPROTO_CONTROL) {
            return addSocket(new SocketFd(domain, protocol));
        }
        return super.otherSocket(domain, type, protocol);
    }

    @Override
    void otherSocketIoctl(SocketFd socket, long request, long arg) throws Err {
        if (socket.domain == CtlInfo.AF_SYSTEM && is(request, abi.ctliocginfo, 100)) {
            ByteBuffer b = at(arg, 100);
            byte[] n = new byte[96];
            b.get(4, n);
            String name = new String(n, StandardCharsets.US_ASCII).replace("\0", "");
            if (!name.equals(CtlInfo.UTUN_CONTROL_NAME)) {
                throw new Err(ENOENT);
            }
            b.putInt(0, UTUN_CONTROL_ID);
            return;
        }
        if (is(request, abi.siocifcreate, 32) || is(request, abi.siocifcreate2, 32)) {
            throw new Err(EINVAL); // utun is not a cloner
        }
        throw new Err(ENOTTY);
    }

    @Override
    public synchronized int connect(int fd, long addr, int len) {
        Fd f = fds.get(fd);
        if (!(f instanceof SocketFd s) || s.domain != CtlInfo.AF_SYSTEM || len != 32) {
            return failWith(EINVAL);
        }
        ByteBuffer b = at(addr, 32);
        if (b.get(0) != 32 || b.get(1) != CtlInfo.AF_SYSTEM || b.getShort(2) != CtlInfo.AF_SYS_CONTROL
                || b.getInt(4) != UTUN_CONTROL_ID) {
            return failWith(EINVAL);
        }
        if (!root) {
            return failWith(EPERM); // CTL_FLAG_PRIVILEGED
        }
        int unit = b.getInt(8);
        String name;
        // apple-oss-distributions/xnu bsd/net/if_utun.c utun_ctl_connect: the interface is "utun" with unit
        // pcb->utun_unit - 1 (sc_unit N + 1 makes utunN). That 0 takes the next free unit is untraced.
        if (unit == 0) {
            name = freeUnit("utun");
        } else {
            name = "utun" + (unit - 1);
            if (get(name) != null) {
                return failWith(EBUSY);
            }
        }
        try {
            Iface i = createInterface(name, "utun");
            i.owner = s;
            s.utun = i;
        } catch (Err e) {
            return failWith(e.errno);
        }
        return 0;
    }

    @Override
    public synchronized int getsockopt(int fd, int level, int name, long value, long len) {
        Fd f = fds.get(fd);
        if (!(f instanceof SocketFd s) || s.utun == null || level != CtlInfo.SYSPROTO_CONTROL
                || name != CtlInfo.UTUN_OPT_IFNAME) {
            return failWith(EINVAL);
        }
        byte[] n = (s.utun.name + "\0").getBytes(StandardCharsets.US_ASCII);
        int room = new Pointer(len).getInt(0);
        if (room < n.length) {
            return failWith(EINVAL);
        }
        new Pointer(value).write(0, n, 0, n.length);
        new Pointer(len).setInt(0, n.length);
        return 0;
    }

    private int failWith(int e) {
        return setErrno(e);
    }

    /** xnu bsd/net/if_utun.c utun_framer: the 4-byte family before each packet, in network order. */
    @Override
    byte[] frame(Iface iface, byte[] packet) {
        return withHeader(familyOf(packet), packet);
    }

    @Override
    long deviceWrite(Iface iface, byte[] bytes) throws Err {
        if (bytes.length < 4) {
            throw new Err(EINVAL);
        }
        int family = headerFamily(bytes);
        if ((family == BsdAbi.AF_INET || family == afInet6()) && iface.up()) {
            iface.fromUser.addLast(afterHeader(bytes));
        }
        return bytes.length; // family 0 (or any other) is dropped silently
    }

    @Override
    int[] mtuRange(Iface iface) {
        // xnu bsd/net/if.c ifioctl_ifreq, case SIOCSIFMTU: EINVAL if ifr_mtu < IF_MINMTU (72) or > IF_MAXMTU
        // (65535), bsd/net/if_var.h (apple-oss-distributions/xnu, xnu-11417.101.15).
        return new int[] {72, 65535};
    }
}
