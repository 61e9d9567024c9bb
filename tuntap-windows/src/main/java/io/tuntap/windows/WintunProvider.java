// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import io.tuntap.Capability;
import io.tuntap.DeviceConfig;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.DeviceOption;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.TunTapDevice;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.ConfigChecks;
import io.tuntap.spi.TunTapProvider;
import io.tuntap.windows.win32.WintunDirect;
import io.tuntap.windows.win32.WintunLibrary;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The {@code "wintun"} provider: TUN devices on Wintun adapters, preferred over tap-windows6 for TUN
 * (priority 110) where {@code wintun.dll} can be loaded. The DLL is the user's: this project ships no binary
 * it did not build, and Wintun's licence allows redistributing its DLL only as downloaded. Found with
 * {@link java.util.ServiceLoader}; the constructor loads nothing.
 */
public final class WintunProvider implements TunTapProvider {
    /** The provider's name. */
    public static final String NAME = "wintun";
    /** The system property naming the DLL to load: {@value}. */
    public static final String LIBRARY_PROPERTY = "tuntap.wintun.library";

    static final String HOW_TO_GET = "download Wintun from https://www.wintun.net (the zip's bin\\amd64 or "
            + "bin\\arm64 wintun.dll, matching this JVM's os.arch=" + System.getProperty("os.arch") + "), and put it "
            + "into the working directory or a folder on PATH, or name it with -D" + LIBRARY_PROPERTY + "=C:\\path\\wintun.dll";

    private final WindowsPlatform testPlatform;
    private final WintunLibrary testWintun;
    private volatile Availability availability;
    private volatile WintunLibrary wintun;

    /** Called by {@link java.util.ServiceLoader}. */
    public WintunProvider() {
        this.testPlatform = null;
        this.testWintun = null;
    }

    /** A provider over given bindings, for tests. */
    WintunProvider(WindowsPlatform platform, WintunLibrary wintun) {
        this.testPlatform = platform;
        this.testWintun = wintun;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 110;
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = probe();
            availability = a;
        }
        return a;
    }

    private Availability probe() {
        if (testPlatform == null) {
            String unsupported = WindowsPlatform.unsupportedReason();
            if (unsupported != null) {
                return Availability.unavailable(unsupported);
            }
        }
        WindowsPlatform p = platform();
        if (p.problem() != null) {
            return Availability.unavailable(p.problem());
        }
        String path = System.getProperty(LIBRARY_PROPERTY, "wintun");
        try {
            WintunLibrary w = testWintun != null ? testWintun : WintunDirect.load(path);
            wintun = w;
            int v = w.WintunGetRunningDriverVersion();
            return Availability.available("TUN through " + (testWintun != null ? "a test binding" : path)
                    + (v == 0 ? " (driver not loaded yet: it is installed with the first adapter, as Administrator)"
                            : ", driver " + ((v >>> 16) & 0xffff) + "." + (v & 0xffff) + " running"));
        } catch (UnsatisfiedLinkError e) {
            String why = String.valueOf(e.getMessage());
            return Availability.unavailable((why.contains("193") || why.toLowerCase(java.util.Locale.ROOT).contains("%1")
                    ? "wintun.dll was found but is for another CPU (Win32 error 193, ERROR_BAD_EXE_FORMAT): "
                    : "wintun.dll could not be loaded (" + path + "): ") + HOW_TO_GET, e);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("wintun.dll could not be bound: " + e + "; " + HOW_TO_GET, e);
        }
    }

    private WindowsPlatform platform() {
        return testPlatform != null ? testPlatform : WindowsPlatform.Real.INSTANCE;
    }

    @Override
    public Set<Capability> capabilities(DeviceMode mode) {
        return mode == DeviceMode.TUN && availability().isAvailable() ? WintunDevice.CAPABILITIES : Set.of();
    }

    @Override
    public Set<DeviceOption<?>> supportedOptions() {
        return Set.of(WintunOptions.LIBRARY, WintunOptions.RING_CAPACITY, WintunOptions.TUNNEL_TYPE,
                WintunOptions.ADAPTER_GUID);
    }

    /** Wintun adapters cannot be listed apart from other adapters without opening each; none are listed. */
    @Override
    public List<DeviceInfo> devices() throws TunTapException {
        return List.of();
    }

    @Override
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        availability().ensureAvailable(name());
        ConfigChecks.check(config, name(), capabilities(config.mode()), supportedOptions());
        if (config.option(WintunOptions.LIBRARY).isPresent() && testWintun == null) {
            Path wanted = config.option(WintunOptions.LIBRARY).get();
            try {
                WintunDirect.load(wanted.toString());
            } catch (IllegalStateException e) {
                throw new InvalidConfigurationException("open", 0, "WintunOptions.LIBRARY " + wanted + ": " + e.getMessage());
            } catch (UnsatisfiedLinkError e) {
                throw new InvalidConfigurationException("open", 0, "WintunOptions.LIBRARY " + wanted
                        + " could not be loaded: " + e.getMessage() + "; " + HOW_TO_GET);
            }
        }
        WindowsPlatform p = platform();
        return WintunDevice.open(wintun, p.k32(), p.ip(), config);
    }
}
