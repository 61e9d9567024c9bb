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
import io.tuntap.spi.ErrorMessages;
import io.tuntap.spi.TunTapProvider;
import io.tuntap.windows.win32.LoaderFolders;
import io.tuntap.windows.win32.WintunLibrary;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code "wintun"} provider: TUN devices on Wintun adapters, preferred over tap-windows6 for TUN
 * (priority 110) where {@code wintun.dll} can be loaded. The DLL is the user's: this project ships no binary
 * it did not build, and Wintun's licence allows redistributing its DLL only as downloaded. Found with
 * {@link java.util.ServiceLoader}; the constructor loads nothing.
 *
 * <p>Which DLL: the one {@link WintunOptions#LIBRARY} names, else {@code -Dtuntap.wintun.library}, both absolute
 * paths; else a {@code wintun.dll} in the application's folder (that of {@code java.exe}) or in System32, the
 * two folders {@code LOAD_LIBRARY_SEARCH_APPLICATION_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32} search. Never by bare
 * name through Windows' standard search order, which includes the working directory and {@code PATH}: a JVM
 * that creates adapters runs as Administrator, and a DLL planted there would run with it. The DLL found is
 * loaded by its absolute path. One DLL per process ({@link WintunBinder}).
 */
public final class WintunProvider implements TunTapProvider {
    /** The provider's name. */
    public static final String NAME = "wintun";
    /** The system property naming the DLL to load, by its absolute path: {@value}. */
    public static final String LIBRARY_PROPERTY = "tuntap.wintun.library";

    static final String HOW_TO_GET = "download Wintun from https://www.wintun.net (the zip's bin\\amd64 or "
            + "bin\\arm64 wintun.dll, matching this JVM's os.arch=" + System.getProperty("os.arch") + "), and name "
            + "it by its absolute path with WintunOptions.LIBRARY or -D" + LIBRARY_PROPERTY
            + "=C:\\path\\wintun.dll, or put it next to java.exe";

    private final WindowsPlatform testPlatform;
    private final WintunLibrary testWintun;
    private final WintunBinder binder;
    private final List<Path> testFolders;
    private volatile Availability availability;

    /** Called by {@link java.util.ServiceLoader}. */
    public WintunProvider() {
        this.testPlatform = null;
        this.testWintun = null;
        this.binder = WintunBinder.PROCESS;
        this.testFolders = null;
    }

    /** A provider over given bindings, for tests: {@code wintun} stands for the DLL, found wherever. */
    WintunProvider(WindowsPlatform platform, WintunLibrary wintun) {
        this.testPlatform = platform;
        this.testWintun = wintun;
        this.binder = new WintunBinder(path -> wintun);
        this.testFolders = null;
    }

    /**
     * A provider for tests of where the DLL is loaded from.
     *
     * @param loader loads a DLL as {@code LoadLibraryEx} would, given what the provider passes
     * @param searchFolders the folders searched when no DLL is named (application folder, System32)
     */
    WintunProvider(WindowsPlatform platform, Function<String, WintunLibrary> loader, List<Path> searchFolders) {
        this.testPlatform = platform;
        this.testWintun = null;
        this.binder = new WintunBinder(loader);
        this.testFolders = List.copyOf(searchFolders);
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
        if (a == null || (!a.isAvailable() && binder.bound() != null)) {
            a = probe();
            availability = a;
        }
        return a;
    }

    private String platformProblem() {
        if (testPlatform == null) {
            String unsupported = WindowsPlatform.unsupportedReason();
            if (unsupported != null) {
                return unsupported;
            }
        }
        return platform().problem();
    }

    private Availability probe() {
        String problem = platformProblem();
        if (problem != null) {
            return Availability.unavailable(problem);
        }
        Path dll = binder.bound();
        if (dll == null) {
            if (testWintun != null) {
                dll = Path.of("test-binding").toAbsolutePath();
            } else {
                String property = System.getProperty(LIBRARY_PROPERTY);
                try {
                    dll = property != null ? named(Path.of(property), "-D" + LIBRARY_PROPERTY) : search();
                } catch (InvalidConfigurationException | InvalidPathException e) {
                    return Availability.unavailable(e.getMessage(), e);
                }
            }
        }
        try {
            WintunLibrary w = binder.bind(dll);
            int v = w.WintunGetRunningDriverVersion();
            String found = "TUN through " + (testWintun != null ? "a test binding" : dll)
                    + (v == 0 ? " (driver not loaded yet: it is installed with the first adapter, as Administrator)"
                            : ", driver " + ((v >>> 16) & 0xffff) + "." + (v & 0xffff) + " running");
            String notElevated = Elevation.notElevatedReason(platform().elevation(), found);
            return notElevated != null ? Availability.attachOnly(notElevated) : Availability.available(found);
        } catch (UnsatisfiedLinkError e) {
            return Availability.unavailable(loadFailure(dll, e), e);
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("wintun.dll could not be bound: " + e + "; " + HOW_TO_GET, e);
        }
    }

    private static String loadFailure(Path dll, UnsatisfiedLinkError e) {
        String why = String.valueOf(e.getMessage());
        return (why.contains("193") || why.toLowerCase(Locale.ROOT).contains("%1")
                ? dll + " is for another CPU (ERROR_BAD_EXE_FORMAT, error 193): "
                : dll + " could not be loaded (" + why + "): ") + HOW_TO_GET;
    }

    /** A DLL the user named: it must be an absolute path to a file. */
    private static Path named(Path dll, String by) throws InvalidConfigurationException {
        if (!dll.isAbsolute()) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                    by + " names " + dll + ", a relative path, which "
                    + "Windows would resolve against the working directory: name wintun.dll by its absolute path"));
        }
        if (!Files.isRegularFile(dll)) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                    by + " names " + dll + ", but there is no such file: "
                    + HOW_TO_GET));
        }
        return dll;
    }

    /** {@code wintun.dll} in the application's folder or in System32, else why not. */
    private Path search() throws InvalidConfigurationException {
        List<Path> folders;
        try {
            folders = testFolders != null ? testFolders : LoaderFolders.applicationAndSystem32();
        } catch (RuntimeException | LinkageError e) {
            throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                    "cannot tell where to look for wintun.dll (" + e
                    + "): " + HOW_TO_GET));
        }
        for (Path folder : folders) {
            Path dll = folder.resolve("wintun.dll");
            if (Files.isRegularFile(dll)) {
                return dll;
            }
        }
        throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                "no wintun.dll in " + folders.stream().map(Path::toString)
                .collect(java.util.stream.Collectors.joining(" or ")) + " (the working directory and PATH are not "
                + "searched, for safety): " + HOW_TO_GET));
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

    /**
     * Opens a Wintun device. With {@link WintunOptions#LIBRARY}, that DLL is bound first, whether or not a
     * default one exists; naming a different DLL than the one this process already uses fails with
     * {@link InvalidConfigurationException}, which names both.
     */
    @Override
    public TunTapDevice open(DeviceConfig config) throws TunTapException {
        WintunLibrary w;
        if (config.option(WintunOptions.LIBRARY).isPresent() && testWintun == null) {
            String problem = platformProblem();
            if (problem != null) {
                Availability.unavailable(problem).ensureAvailable(name());
            }
            Path wanted;
            try {
                wanted = named(config.option(WintunOptions.LIBRARY).get(), "WintunOptions.LIBRARY");
            } catch (InvalidPathException e) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                        "WintunOptions.LIBRARY: " + e.getMessage()));
            }
            try {
                w = binder.bind(wanted);
            } catch (IllegalStateException e) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                        "WintunOptions.LIBRARY " + wanted + ": "
                        + e.getMessage()));
            } catch (UnsatisfiedLinkError e) {
                throw new InvalidConfigurationException("open", 0, ErrorMessages.failed("open",
                        "WintunOptions.LIBRARY " + loadFailure(wanted, e)));
            }
            ConfigChecks.check(config, name(), config.mode() == DeviceMode.TUN ? WintunDevice.CAPABILITIES : Set.of(),
                    supportedOptions());
        } else {
            availability().ensureAvailable(name());
            ConfigChecks.check(config, name(), capabilities(config.mode()), supportedOptions());
            w = binder.library();
        }
        WindowsPlatform p = platform();
        return WintunDevice.open(w, p.k32(), p.ip(), config);
    }

    /** The system's routing table through IP Helper ({@code GetIpForwardTable2}, {@code CreateIpForwardEntry2}). */
    @Override
    public io.tuntap.spi.SystemRouteTable routeTable() throws TunTapException {
        availability().ensureAvailable(name());
        return new WindowsRouteTable(platform().ip());
    }
}
