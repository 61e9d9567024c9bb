// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.OpenPolicy;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.bsd.jna.BsdAbi;
import io.tuntap.bsd.jna.BsdErrno;
import io.tuntap.bsd.jna.CtlInfo;
import io.tuntap.spi.ErrorMessages;
import java.util.EnumSet;
import java.util.Set;

/**
 * macOS: TUN through utun (xnu {@code bsd/net/if_utun.c}), a kernel-control socket
 * ({@code PF_SYSTEM}/{@code SYSPROTO_CONTROL}) connected to {@code com.apple.net.utun_control}: unit
 * {@code sc_unit} = N + 1 makes {@code utunN}, 0 the next free one; the interface lives as long as the
 * socket. macOS has no kernel TAP: TAP is a {@code feth} pair read and written through BPF ({@link FethPair},
 * {@link FethQueue}).
 */
final class DarwinSystem extends BsdSystem {

    DarwinSystem() {
        super(BsdAbi.DARWIN);
    }

    @Override
    Set<Capability> capabilities(DeviceMode mode) {
        if (mode == DeviceMode.TAP) {
            // A feth is an Ethernet interface (if_fake.c feth_ifnet_set_attrs: IFF_BROADCAST | IFF_MULTICAST),
            // whose MAC feth_ioctl sets (SIOCSIFLLADDR); no peers, no persistence, no attaching. Frames are copied
            // out of the BPF buffer, so no zero copy.
            return EnumSet.of(Capability.TAP, Capability.MTU, Capability.LINK_STATE, Capability.IPV4_ADDRESSES,
                    Capability.IPV6_ADDRESSES, Capability.SET_MAC_ADDRESS, Capability.EVENTS, Capability.ROUTES,
                    Capability.BYPASS_ROUTES);
        }
        return EnumSet.of(Capability.TUN, Capability.MTU, Capability.LINK_STATE, Capability.IPV4_ADDRESSES,
                Capability.IPV6_ADDRESSES, Capability.PEER_ADDRESSES,
                Capability.ZERO_COPY, Capability.EVENTS, Capability.ROUTES,
                Capability.BYPASS_ROUTES, Capability.ADOPT);
    }

    @Override
    DeviceQueue queue(BsdContext ctx, Opened opened, DeviceMode mode) throws TunTapException {
        if (mode == DeviceMode.TAP) {
            return FethQueue.open(ctx.libc, opened.fd(), opened.bufferSize(), opened.name());
        }
        return super.queue(ctx, opened, mode);
    }

    @Override
    Opened open(BsdContext ctx, DeviceConfig config) throws TunTapException {
        if (config.mode() == DeviceMode.TAP) {
            return FethPair.open(ctx, config);
        }
        if (config.persistent()) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(persistent TUN)",
                    "a utun interface lives exactly as long as the socket "
                    + "that made it; macOS has no persistent TUN device"));
        }
        if (config.openPolicy() == OpenPolicy.ATTACH_EXISTING) {
            throw new UnsupportedFeatureException("open", 0, ErrorMessages.failed("open(ATTACH_EXISTING)",
                    "a utun interface belongs to the socket that made it; "
                    + "another process cannot attach to it. Open with OpenPolicy.CREATE_NEW or CREATE_OR_ATTACH"));
        }
        String requested = config.name().orElse(null);
        int unit = 0;
        if (requested != null) {
            int n = UnitNames.unit("utun", requested);
            if (n < 0) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open(" + requested + ")",
                        "'" + requested + "' is not a utun name: macOS "
                        + "names them utunN (e.g. utun7); choose such a name or none"));
            }
            unit = n + 1; // sc_unit 0 means "any"; unit N + 1 is utunN
        }
        int fd = ctx.libc.socket(CtlInfo.AF_SYSTEM, BsdAbi.SOCK_DGRAM, CtlInfo.SYSPROTO_CONTROL);
        if (fd < 0) {
            int errno = ctx.libc.errno();
            throw BsdErrors.ofCommon("socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL)", errno,
                    "cannot open a kernel-control socket");
        }
        try (BsdContext.Request info = new BsdContext.Request(CtlInfo.SIZE);
                BsdContext.Request addr = new BsdContext.Request(CtlInfo.SOCKADDR_CTL_SIZE);
                BsdContext.Request name = new BsdContext.Request(BsdAbi.IFNAMSIZ + 4)) {
            CtlInfo.put(info.view, CtlInfo.UTUN_CONTROL_NAME);
            if (ctx.libc.ioctl(fd, abi.ctliocginfo, info.address) < 0) {
                throw BsdErrors.ofCommon("ioctl(CTLIOCGINFO, " + CtlInfo.UTUN_CONTROL_NAME + ")", ctx.libc.errno(),
                        "the utun kernel control is not registered");
            }
            CtlInfo.putSockaddrCtl(addr.view, CtlInfo.id(info.view), unit);
            if (ctx.bsd.connect(fd, addr.address, CtlInfo.SOCKADDR_CTL_SIZE) < 0) {
                int errno = ctx.libc.errno();
                String what = requested == null ? "a new utun interface" : requested;
                throw switch (errno) {
                    case BsdErrno.EBUSY -> BsdErrors.of("connect(utun_control, sc_unit " + unit + ")", errno,
                            requested == null ? "every utun unit is in use"
                                    : requested + " exists (another socket holds it); choose another unit or none");
                    case BsdErrno.EPERM, BsdErrno.EACCES -> BsdErrors.of("connect(utun_control)", errno, "creating "
                            + what + " needs root (the control is registered CTL_FLAG_PRIVILEGED): "
                            + BsdErrors.PRIVILEGE_FIX);
                    default -> BsdErrors.ofCommon("connect(utun_control)", errno, "cannot create " + what);
                };
            }
            // socklen_t after the name buffer.
            name.view.putInt(BsdAbi.IFNAMSIZ, BsdAbi.IFNAMSIZ);
            if (ctx.bsd.getsockopt(fd, CtlInfo.SYSPROTO_CONTROL, CtlInfo.UTUN_OPT_IFNAME, name.address,
                    name.address + BsdAbi.IFNAMSIZ) < 0) {
                throw BsdErrors.ofCommon("getsockopt(UTUN_OPT_IFNAME)", ctx.libc.errno(),
                        "cannot learn the name of the new utun interface");
            }
            String ifName = io.tuntap.bsd.jna.Sockaddrs.getName(name.view, 0, BsdAbi.IFNAMSIZ);
            int e = ctx.makeNonBlocking(fd);
            if (e != 0) {
                throw BsdErrors.ofCommon("fcntl(" + ifName + ")", e, "cannot make the utun socket non-blocking");
            }
            return new Opened(fd, ifName, "utun", Ending.KERNEL_DESTROYS, true, true);
        } catch (TunTapException | RuntimeException e) {
            ctx.libc.close(fd);
            throw e;
        }
    }
}
