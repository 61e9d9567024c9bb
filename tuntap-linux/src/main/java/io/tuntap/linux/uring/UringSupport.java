// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux.uring;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.IfTun;
import io.tuntap.linux.jna.IoUringAbi;
import io.tuntap.linux.jna.IoUringSys;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.NativeCalls;
import io.tuntap.linux.jna.Sys;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Whether packet batches may go through io_uring in this process (each queue then chooses between io_uring and
 * one call per packet from its own timings: {@link BatchChoice}), found once: switched off with the system
 * property {@value #PROPERTY}{@code =false}, or tried for real. The probe makes a ring, registers a fresh
 * {@code /dev/net/tun} fd (attached to no device) and submits one read and one write with {@code RWF_NOWAIT}
 * on it: the kernel must answer both with EBADFD (no device attached), which shows that it runs io_uring at
 * all (absent before 5.1, refused with EPERM by {@code kernel.io_uring_disabled} and by the default seccomp
 * profiles of Docker and containerd), knows the READ and WRITE opcodes (5.6) and lets the TUN driver take
 * requests without waiting, in the caller's thread. Anything else means the plain path.
 *
 * <p>The answer is logged once through {@link System.Logger} {@code io.tuntap.linux} and is part of the
 * provider's availability detail, which {@code Selftest} prints.
 */
public final class UringSupport {
    /** System property: {@code false} switches io_uring off; anything else (or unset) uses it where it works. */
    public static final String PROPERTY = "tuntap.linux.io_uring";

    private static final System.Logger LOG = System.getLogger("io.tuntap.linux");

    private final boolean enabled;
    private final String description;

    private UringSupport(boolean enabled, String description) {
        this.enabled = enabled;
        this.description = description;
    }

    /** The answer for this process, probed on first use. */
    public static UringSupport get() {
        return Holder.RESULT;
    }

    private static final class Holder {
        static final UringSupport RESULT = probeAndLog();
    }

    private static UringSupport probeAndLog() {
        UringSupport s;
        String setting = System.getProperty(PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (setting.equals("false")) {
            s = new UringSupport(false, "plain read/write per packet (io_uring switched off with -D" + PROPERTY
                    + "=false)");
        } else {
            s = probe();
        }
        LOG.log(s.enabled ? Level.DEBUG : Level.INFO, "tuntap Linux packet batches: {0}", s.description);
        return s;
    }

    private static UringSupport probe() {
        LinuxLibC libc;
        IoUringSys sys;
        try {
            libc = NativeCalls.libc();
            sys = NativeCalls.ioUring();
        } catch (LinkageError | RuntimeException e) {
            return unavailable("the native binding failed to load: " + e);
        }
        int fd = libc.open(IfTun.CLONE_DEVICE, Sys.O_RDWR | Sys.O_CLOEXEC);
        if (fd < 0) {
            return unavailable("open(" + IfTun.CLONE_DEVICE + ") failed with " + Errno.name(libc.errno()));
        }
        try {
            return probe(sys, libc, fd);
        } finally {
            libc.close(fd);
        }
    }

    /** Probes with {@code fd}, a {@code /dev/net/tun} fd attached to no device; visible for tests. */
    static UringSupport probe(IoUringSys sys, LinuxLibC libc, int fd) {
        IoUring ring;
        try {
            ring = IoUring.open(sys, libc, 2, fd);
        } catch (TunTapException e) {
            return unavailable(explain(e));
        }
        try (ring; Memory buffer = new Memory(64)) {
            long address = Pointer.nativeValue(buffer);
            buffer.clear();
            buffer.setByte(0, (byte) 0x45);
            ring.prepare(IoUringAbi.IORING_OP_READ, (byte) 0, address, 64, IoUringAbi.RWF_NOWAIT, 0);
            ring.prepare(IoUringAbi.IORING_OP_WRITE, (byte) 0, address, 20, IoUringAbi.RWF_NOWAIT, 1);
            int errno = ring.submitAndWait();
            if (errno != 0) {
                return unavailable("io_uring_enter failed with " + Errno.name(errno));
            }
            int[] results = new int[2];
            int n = ring.ready();
            for (int i = 0; i < n; i++) {
                results[(int) ring.userData(i)] = ring.result(i);
            }
            ring.consume(n);
            for (int i = 0; i < 2; i++) {
                String op = i == 0 ? "read" : "write";
                if (results[i] != -Errno.EBADFD) {
                    String why = switch (-results[i]) {
                        case Errno.EINVAL -> "the kernel does not know IORING_OP_" + op.toUpperCase(Locale.ROOT)
                                + " (Linux 5.6)";
                        case Errno.EOPNOTSUPP -> "the TUN driver does not take RWF_NOWAIT requests here";
                        default -> "a probe " + op + " on an unattached TUN fd returned " + results[i]
                                + " instead of -EBADFD";
                    };
                    return unavailable(why);
                }
            }
        }
        return new UringSupport(true, "io_uring or one system call per packet, whichever each queue's batches "
                + "measure faster on this host (LinuxDevice.batchMechanism says which and why; switch io_uring off "
                + "with -D" + PROPERTY + "=false)");
    }

    private static String explain(TunTapException e) {
        return switch (e.errorCode()) {
            case Errno.ENOSYS -> "io_uring_setup is not implemented (Linux before 5.1, or a kernel built without "
                    + "CONFIG_IO_URING)";
            case Errno.EPERM -> "io_uring_setup was refused with EPERM: sysctl kernel.io_uring_disabled forbids it "
                    + "(2, or 1 outside kernel.io_uring_group), or a seccomp filter does (the default profiles of "
                    + "Docker and containerd)";
            case Errno.ENOMEM -> "io_uring_setup failed with ENOMEM (locked-memory limit: ulimit -l)";
            default -> e.getMessage();
        };
    }

    private static UringSupport unavailable(String why) {
        return new UringSupport(false, "plain read/write per packet (io_uring unavailable: " + why + ")");
    }

    /** True if batches use io_uring. */
    public boolean enabled() {
        return enabled;
    }

    /** Which path batches take and why, for diagnostics. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
