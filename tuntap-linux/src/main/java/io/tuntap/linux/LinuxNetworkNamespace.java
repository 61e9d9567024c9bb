// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import io.tuntap.TunTapException;
import io.tuntap.linux.jna.Errno;
import io.tuntap.linux.jna.LinuxLibC;
import io.tuntap.linux.jna.Sys;
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.IsolatedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Linux network namespaces: runs code inside a named one (made with {@code ip netns add NAME}, bound at
 * {@code /run/netns/NAME}), or makes a new, empty one of its own ({@link #create()}), for tests, say.
 *
 * <p>Linux gives each thread its own network namespace: {@code setns(2)} moves only the calling thread.
 * A device opened inside {@link #call} or {@link #run} lives in that namespace and keeps configuring it from any
 * thread afterwards (its rtnetlink socket belongs there), and so do sockets made inside. Threads started inside
 * inherit the namespace. Entering or making a namespace needs CAP_SYS_ADMIN.
 *
 * <p>An instance made by {@link #create()} holds its namespace open through a file descriptor. Thread-safe.
 */
public final class LinuxNetworkNamespace implements IsolatedNetwork {
    private static final String NETNS_DIR = "/run/netns/";
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final LinuxLibC libc;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LinuxNetworkNamespace(LinuxLibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /**
     * Moves the calling thread into namespace {@code name}, runs {@code action}, and moves the thread back,
     * also when {@code action} throws.
     *
     * @param <T> what the action returns
     * @param <X> what the action throws
     * @param name the namespace's name under {@code /run/netns}
     * @param action the code to run inside
     * @return what {@code action} returned
     * @throws TunTapException if the namespace does not exist or the thread cannot enter it or return
     * @throws X whatever {@code action} throws
     */
    public static <T, X extends Exception> T call(String name, Action<T, X> action) throws TunTapException, X {
        Objects.requireNonNull(action, "action");
        return away(LinuxProbe.RESULT.libc, () -> enter(name), action);
    }

    /**
     * Moves the calling thread into namespace {@code name} for good (until it moves again).
     *
     * @param name the namespace's name under {@code /run/netns}
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

    /**
     * Makes a new, empty network namespace, held by the returned object alone (it has no name under
     * {@code /run/netns}): its loopback interface is up, and IPv6 duplicate address detection is off in it, so
     * that addresses are usable at once (nothing else lives there to clash with). Made with {@code unshare(2)} on a
     * thread of its own, which ends at once: no thread of the program changes namespace. The namespace goes away
     * with {@link #close()}, and the kernel deletes the virtual interfaces left in it.
     *
     * @return the namespace; close it when done
     * @throws TunTapException if the namespace cannot be made (it needs CAP_SYS_ADMIN), or set up
     */
    public static LinuxNetworkNamespace create() throws TunTapException {
        LinuxLibC libc = LinuxProbe.RESULT.libc;
        if (libc == null) {
            throw LinuxErrors.namespacesUnavailable(LinuxProbe.RESULT.availability.detail());
        }
        AtomicInteger made = new AtomicInteger(-1);
        AtomicReference<TunTapException> failed = new AtomicReference<>();
        Thread maker = new Thread(() -> {
            try {
                made.set(unshareOnThisThread(libc));
            } catch (TunTapException e) {
                failed.set(e);
            }
        }, "tuntap-netns-" + THREADS.incrementAndGet());
        maker.setDaemon(true);
        maker.start();
        boolean interrupted = false;
        while (true) {
            try {
                maker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the thread ends quickly; waiting keeps its fd from leaking
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        return new LinuxNetworkNamespace(libc, made.get());
    }

    /** On a thread that ends right after: a new namespace for it, set up; returns an fd that holds it. */
    private static int unshareOnThisThread(LinuxLibC libc) throws TunTapException {
        if (libc.unshare(Sys.CLONE_NEWNET) < 0) {
            int errno = libc.errno();
            throw LinuxErrors.ofCommon("unshare(CLONE_NEWNET)", errno, "cannot make a network namespace (making one "
                    + "needs CAP_SYS_ADMIN)");
        }
        int fd = openNamespace(libc, "/proc/thread-self/ns/net");
        try {
            setUp(libc);
            return fd;
        } catch (TunTapException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    /** Loopback up, and no duplicate address detection, in the calling thread's (new) namespace. */
    private static void setUp(LinuxLibC libc) throws TunTapException {
        try (Rtnetlink rtnl = Rtnetlink.open(libc)) {
            LinkInfo lo = rtnl.link("lo");
            int errno = lo == null ? Errno.ENODEV : rtnl.setUp(lo.index(), true);
            if (errno != 0) {
                throw LinuxErrors.ofCommon("rtnetlink RTM_SETLINK lo up", errno, "cannot bring up the loopback "
                        + "interface of a new network namespace");
            }
        }
        // /proc/sys/net shows the namespace of the thread that opens it (the one just made). DAD would hold each
        // new IPv6 address back for a second or more (accept_dad, Documentation/networking/ip-sysctl.rst).
        for (String scope : new String[] {"all", "default"}) {
            Path knob = Path.of("/proc/sys/net/ipv6/conf", scope, "accept_dad");
            try {
                if (Files.exists(knob)) {
                    Files.writeString(knob, "0");
                }
            } catch (IOException e) {
                throw new TunTapException("write(" + knob + ")", 0, ErrorMessages.failed("write(" + knob + ")",
                        "cannot turn off duplicate address detection in a new network namespace: " + e.getMessage()),
                        e);
            }
        }
    }

    /**
     * Moves the calling thread into this namespace, runs {@code action}, and moves the thread back, also when
     * {@code action} throws.
     *
     * @param <T> what the action returns
     * @param <X> what the action throws
     * @param action the code to run inside
     * @return what {@code action} returned
     * @throws TunTapException if this namespace is closed, or the thread cannot enter it or return
     * @throws X whatever {@code action} throws
     */
    @Override
    public <T, X extends Exception> T run(Action<T, X> action) throws TunTapException, X {
        Objects.requireNonNull(action, "action");
        if (closed.get()) {
            throw new TunTapException("setns", 0, ErrorMessages.failed("setns(" + path() + ")", "this network "
                    + "namespace was closed; make a new one"));
        }
        return away(libc, () -> {
            if (libc.setns(fd, Sys.CLONE_NEWNET) < 0) {
                int errno = libc.errno();
                throw LinuxErrors.ofCommon("setns(" + path() + ")", errno, "cannot enter the network namespace "
                        + "(entering one needs CAP_SYS_ADMIN)");
            }
        }, action);
    }

    /** Moves the calling thread into another namespace. */
    private interface Entry {
        void enter() throws TunTapException;
    }

    /**
     * Keeps the calling thread's namespace, moves the thread with {@code entry}, runs {@code action}, and moves
     * the thread back, also when {@code entry} or {@code action} throws.
     */
    private static <T, X extends Exception> T away(LinuxLibC libc, Entry entry, Action<T, X> action)
            throws TunTapException, X {
        int home = openNamespace(libc, "/proc/thread-self/ns/net");
        try {
            entry.enter();
            try {
                return action.run();
            } finally {
                goHome(libc, home);
            }
        } finally {
            libc.close(home);
        }
    }

    /**
     * A path that names this namespace to other programs while it is open, such as {@code nsenter --net=PATH}:
     * {@code /proc/PID/fd/FD} of this process's descriptor.
     *
     * @return the path
     */
    @Override
    public String path() {
        return "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd;
    }

    /** Lets the namespace go (the kernel removes it once nothing else holds it); idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "LinuxNetworkNamespace[" + path() + (closed.get() ? ", closed]" : "]");
    }

    private static void goHome(LinuxLibC libc, int home) throws TunTapException {
        if (libc.setns(home, Sys.CLONE_NEWNET) < 0) {
            int errno = libc.errno();
            // The thread would go on in the wrong namespace: that must not pass silently.
            throw LinuxErrors.ofCommon("setns(home)", errno, "cannot move the thread back to its own network "
                    + "namespace");
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
