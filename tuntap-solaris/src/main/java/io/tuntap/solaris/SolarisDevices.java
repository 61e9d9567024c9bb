// SPDX-License-Identifier: Apache-2.0
package io.tuntap.solaris;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.TunTapException;
import io.tuntap.solaris.jna.IfTun;
import io.tuntap.solaris.jna.Lifreq;
import io.tuntap.solaris.jna.Sockio;
import io.tuntap.solaris.jna.Sys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plumbed interfaces of the tun/tap driver, from {@code SIOCGLIFCONF} on a {@code /dev/udp} stream: every
 * physical interface named {@code tunN} or {@code tapN}, including ones other programs made and ones a crashed
 * program left plumbed.
 */
final class SolarisDevices {
    private static final Pattern UNIT = Pattern.compile("(tun|tap)\\d+");
    private static final int MAX_ENTRIES = 1024;

    private SolarisDevices() {
    }

    static List<DeviceInfo> list(SunOs os, String provider) throws TunTapException {
        int fd = os.libc().open(IfTun.UDP_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            throw SolarisErrors.ofCommon("open(" + IfTun.UDP_DEVICE + ")", os.libc().errno(),
                    "cannot open IP to list the interfaces");
        }
        try (Memory conf = new Memory(Sockio.LIFCONF_SIZE);
                Memory entries = new Memory((long) MAX_ENTRIES * Lifreq.SIZE);
                Memory lifreq = new Memory(Lifreq.SIZE)) {
            conf.clear();
            conf.setShort(0, (short) 0); // AF_UNSPEC: IPv4 and IPv6
            conf.setInt(8, (int) entries.size());
            conf.setLong(16, Pointer.nativeValue(entries));
            if (os.libc().ioctl(fd, Sockio.SIOCGLIFCONF, Pointer.nativeValue(conf)) < 0) {
                throw SolarisErrors.ofCommon("ioctl(SIOCGLIFCONF)", os.libc().errno(), "cannot list the interfaces");
            }
            int n = conf.getInt(8) / Lifreq.SIZE;
            Map<String, DeviceInfo> found = new LinkedHashMap<>();
            ByteBuffer l = lifreq.getByteBuffer(0, Lifreq.SIZE).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                String name = Lifreq.name(entries.getByteBuffer((long) i * Lifreq.SIZE, Lifreq.SIZE));
                if (!UNIT.matcher(name).matches() || found.containsKey(name)) {
                    continue;
                }
                Lifreq.clear(l, name);
                int index = os.libc().ioctl(fd, Sockio.SIOCGLIFINDEX, Pointer.nativeValue(lifreq)) < 0 ? 0
                        : l.getInt(Lifreq.INDEX);
                DeviceMode mode = name.startsWith("tap") ? DeviceMode.TAP : DeviceMode.TUN;
                found.put(name, new DeviceInfo(name, index, mode, provider));
            }
            return new ArrayList<>(found.values());
        } finally {
            os.libc().close(fd);
        }
    }
}
