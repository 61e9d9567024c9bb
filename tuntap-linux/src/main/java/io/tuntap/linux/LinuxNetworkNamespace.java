// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Sys;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Runs code inside a named Linux network namespace (one made with {@code ip netns add NAME}, bound at
 * {@code /run/netns/NAME}).
 *
 * <p>Linux gives each thread its own network namespace: {@code setns(2)} moves only the calling thread.
 * A device opened inside {@link #call} lives in that namespace and keeps configuring it from any thread
 * afterwards (its rtnetlink socket belongs there), and so do sockets made inside. Threads started inside
 * inherit the namespace. Needs CAP_SYS_ADMIN.
 */
public final class LinuxNetworkNamespace {
    private static final String NETNS_DIR = "/run/netns/";

    private LinuxNetworkNamespace() {
    }

    /**
     * Moves the calling thread into namespace {@code name}, runs {@code action}, and moves the thread back,
     * also when {@code action} throws.
     *
     * @throws TunTapException if the namespace does not exist or the thread cannot enter it or return
     * @throws Exception whatever {@code action} throws
     */
    public static <T> T call(String name, Callable<T> action) throws Exception {
        Objects.requireNonNull(action, "action");
        LinuxLibC libc = LinuxProbe.RESULT.libc;
        int home = openNamespace(libc, "/proc/thread-self/ns/net");
        try {
            enter(name);
            try {
                return action.call();
            } finally {
                if (libc.setns(home, Sys.CLONE_NEWNET) < 0) {
                    int errno = libc.errno();
                    // The thread would go on in the wrong namespace: that must not pass silently.
                    throw LinuxErrors.ofCommon("setns(home)", errno, "cannot move the thread back to its own "
                            + "network namespace");
                }
            }
        } finally {
            libc.close(home);
        }
    }

    /**
     * Moves the calling thread into namespace {@code name} for good (until it moves again).
     *
     * @throws TunTapException if the namespace does not exist or the thread cannot enter it
     */
    public static void enter(String name) throws TunTapException {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw LinuxErrors.invalidNamespaceName(name);
        }
        LinuxLibC libc = LinuxProbe.RESULT.libc;
        int fd = openNamespace(libc, NETNS_DIR + name);
        try {
            if (libc.setns(fd, Sys.CLONE_NEWNET) < 0) {
                int errno = libc.errno();
                throw LinuxErrors.ofCommon("setns(" + NETNS_DIR + name + ")", errno, "cannot enter network namespace "
                        + name + " (entering a namespace needs CAP_SYS_ADMIN)");
            }
        } finally {
            libc.close(fd);
        }
    }

    private static int openNamespace(LinuxLibC libc, String path) throws TunTapException {
        if (libc == null) {
            throw LinuxErrors.namespacesUnavailable(LinuxProbe.RESULT.availability.detail());
        }
        int fd = libc.open(path, Sys.O_RDONLY | Sys.O_CLOEXEC);
        if (fd < 0) {
            int errno = libc.errno();
            if (errno == Errno.ENOENT) {
                throw LinuxErrors.noSuchNamespace(path, errno);
            }
            throw LinuxErrors.ofCommon("open(" + path + ")", errno, "cannot open network namespace " + path);
        }
        return fd;
    }
}
