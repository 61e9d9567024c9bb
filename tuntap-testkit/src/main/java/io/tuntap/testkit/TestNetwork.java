// SPDX-License-Identifier: Apache-2.0
package io.tuntap.testkit;

import io.tuntap.DeviceConfig;
import io.tuntap.DeviceMode;
import io.tuntap.NoProviderException;
import io.tuntap.TapDevice;
import io.tuntap.TunDevice;
import io.tuntap.TunTap;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.UnsupportedFeatureException;
import io.tuntap.spi.IsolatedNetwork;
import io.tuntap.spi.TunTapProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where a test opens real devices: a network of its own where the system has one (on Linux a new network
 * namespace, made from Java, with loopback up and IPv6 duplicate address detection off), else the host's own
 * network. Devices opened through it are closed, and the namespace with what is left in it removed, by
 * {@link #close()}. A test gets one as a parameter from {@link RequiresRealDevice} (a fresh one per test, or per
 * class for a {@code @BeforeAll} method), or makes one with {@link #create()}.
 *
 * <pre>{@code
 * @Test
 * @RequiresRealDevice
 * void pings(TestNetwork net) throws Exception {
 *     TunDevice tun = net.openTun(DeviceConfig.tun().name(RealDevices.uniqueName("t"))
 *             .address("10.1.2.1/24").build());
 *     TestNetwork.Result ping = net.exec("ping", "-c", "1", "-W", "2", "10.1.2.1");
 *     assertEquals(0, ping.exitCode(), ping.output());
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TestNetwork implements AutoCloseable {
    /**
     * What a command run with {@link #exec} printed (standard output and error together) and how it ended.
     *
     * @param exitCode the command's exit status
     * @param output what it printed
     */
    public record Result(int exitCode, String output) {
    }

    private final IsolatedNetwork isolated;
    private final Deque<TunTapDevice> devices = new ArrayDeque<>();
    private boolean closed;

    private TestNetwork(IsolatedNetwork isolated) {
        this.isolated = isolated;
    }

    /**
     * A network of its own where the backend here offers one ({@link TunTapProvider#openIsolatedNetwork()}), else
     * the host's network (see {@link #isIsolated()}).
     *
     * @return the network; close it when done
     * @throws NoProviderException if no backend serves TUN or TAP devices here
     * @throws TunTapException if the system has isolated networks but one cannot be made (missing privilege:
     *     on Linux, CAP_SYS_ADMIN)
     */
    public static TestNetwork create() throws TunTapException {
        TunTapProvider provider;
        try {
            provider = TunTap.provider(DeviceMode.TUN);
        } catch (NoProviderException e) {
            provider = TunTap.provider(DeviceMode.TAP);
        }
        try {
            return new TestNetwork(provider.openIsolatedNetwork());
        } catch (UnsupportedFeatureException e) {
            return new TestNetwork(null);
        }
    }

    /**
     * Whether this is a network of its own; false where the system has none (macOS, Windows, the BSDs), and
     * devices are then opened in the host's network.
     *
     * @return true on Linux
     */
    public boolean isIsolated() {
        return isolated != null;
    }

    /**
     * Opens a device inside this network; {@link #close()} closes it.
     *
     * @param config the device's configuration
     * @return the device
     * @throws TunTapException as {@link TunTap#open(DeviceConfig)}
     */
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        Objects.requireNonNull(config, "config");
        TunTapDevice device = run(() -> TunTap.open(config));
        synchronized (this) {
            if (!closed) {
                devices.push(device);
                return device;
            }
        }
        device.close();
        throw new IllegalStateException("this TestNetwork is closed");
    }

    /**
     * Opens a TUN device inside this network; {@link #close()} closes it.
     *
     * @param config a TUN configuration
     * @return the device
     * @throws TunTapException as {@link TunTap#open(DeviceConfig)}
     */
    public TunDevice openTun(DeviceConfig config) throws TunTapException {
        requireMode(config, DeviceMode.TUN);
        return (TunDevice) open(config);
    }

    /**
     * Opens a TAP device inside this network; {@link #close()} closes it.
     *
     * @param config a TAP configuration
     * @return the device
     * @throws TunTapException as {@link TunTap#open(DeviceConfig)}
     */
    public TapDevice openTap(DeviceConfig config) throws TunTapException {
        requireMode(config, DeviceMode.TAP);
        return (TapDevice) open(config);
    }

    private static void requireMode(DeviceConfig config, DeviceMode mode) {
        if (config.mode() != mode) {
            throw new IllegalArgumentException("a " + config.mode() + " configuration given to open" + mode
                    + "; build it with DeviceConfig." + mode.name().toLowerCase(java.util.Locale.ROOT) + "()");
        }
    }

    /**
     * Runs {@code action} on the calling thread inside this network (sockets made there belong to it), or just
     * runs it where the network is the host's.
     *
     * @param <T> what the action returns
     * @param <X> what the action throws
     * @param action the code to run
     * @return what {@code action} returned
     * @throws TunTapException if the thread cannot enter the network or return
     * @throws X whatever {@code action} throws
     */
    public <T, X extends Exception> T run(IsolatedNetwork.Action<T, X> action) throws TunTapException, X {
        return isolated == null ? action.run() : isolated.run(action);
    }

    /**
     * A path that names the network to other programs ({@code nsenter --net=PATH} on Linux), if it is isolated.
     *
     * @return the path, or empty for the host's network
     */
    public Optional<String> path() {
        return isolated == null ? Optional.empty() : Optional.of(isolated.path());
    }

    /**
     * Runs a program inside this network and waits for it (at most 60 s): a witness such as {@code ping},
     * {@code ip} or {@code tcpdump}. On Linux through {@code nsenter --net=PATH} (util-linux), which enters the
     * network namespace only: {@code /sys/class/net} there still shows the host's interfaces, so ask {@code ip}
     * instead. Elsewhere on the host. This is for a test's own witnesses only: the test kit itself never runs
     * a program, and makes and configures the network and its devices through the library (unshare, rtnetlink).
     *
     * @param command the program and its arguments
     * @return its exit status and output
     * @throws IOException if it cannot be started, or runs too long
     */
    public Result exec(String... command) throws IOException {
        List<String> full = new ArrayList<>();
        if (isolated != null) {
            full.add("nsenter");
            full.add("--net=" + isolated.path());
        }
        full.addAll(List.of(command));
        return runProgram(full);
    }

    /**
     * {@link #exec}, failing with the command and its output unless it exits with 0: for setting up, so that a
     * missing tool or a refused setting shows up as itself, not as a lost packet later.
     *
     * @param command the program and its arguments
     * @return its output
     * @throws IOException if it cannot be started, runs too long, or exits with another status
     */
    public Result execOrFail(String... command) throws IOException {
        Result r = exec(command);
        if (r.exitCode() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' in " + this + " exited with " + r.exitCode()
                    + ": " + r.output().strip());
        }
        return r;
    }

    private static Result runProgram(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Read to the end before waiting, so that a chatty program cannot block on a full pipe. Both pipes are
        // closed here: left open, the JDK's process reaper thread closes them some time after waitFor returns,
        // and a test's fd count taken in between sees fds that then vanish.
        p.getOutputStream().close();
        String output;
        try (InputStream out = p.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after 60 s: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for: " + String.join(" ", command), e);
        }
        return new Result(p.exitValue(), output);
    }

    /** Closes the devices opened through this network, newest first, then lets the network go; idempotent. */
    @Override
    public void close() {
        List<TunTapDevice> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(devices);
            devices.clear();
        }
        try {
            for (TunTapDevice d : toClose) {
                d.close();
            }
        } finally {
            if (isolated != null) {
                isolated.close();
            }
        }
    }

    @Override
    public String toString() {
        return isolated == null ? "TestNetwork[host]" : "TestNetwork[" + isolated.path() + "]";
    }
}
