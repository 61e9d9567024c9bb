// SPDX-License-Identifier: Apache-2.0
package io.tuntap.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import io.tuntap.DeviceConfig;
import io.tuntap.InvalidConfigurationException;
import io.tuntap.MacAddress;
import io.tuntap.TunTapDevice;
import io.tuntap.spi.Availability;
import io.tuntap.windows.win32.WintunLibrary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code wintun.dll} is loaded from. A JVM that creates adapters runs as Administrator, so a
 * {@code wintun.dll} planted in its working directory or a folder on {@code PATH} must never be loaded, not
 * even by an availability check; and {@link WintunOptions#LIBRARY} must choose the DLL by itself.
 *
 * <p>The loader here stands for Windows' {@code LoadLibraryEx}: given a bare name it searches as Windows'
 * standard search order does for a desktop application (learn.microsoft.com, "Dynamic-link library search
 * order": the application's folder, the system folder, ..., the current folder, then the {@code PATH}
 * folders); given a fully qualified path it loads only that file ("LoadLibraryExW function": "If the string
 * specifies a fully qualified path, the function searches only that path for the module"). It records which
 * file it loaded.
 */
class WintunDllLoadingTest {
    @TempDir
    Path root;
    Path application;
    Path system32;
    Path working;
    Path onPath;
    final List<Path> loaded = new ArrayList<>();
    FakeTapDriver k32;
    FakeIpHelper ip;
    FakeWintun wintun;
    WindowsPlatform platform;

    @BeforeEach
    void setUp() throws Exception {
        application = Files.createDirectories(root.resolve("jdk/bin"));
        system32 = Files.createDirectories(root.resolve("Windows/System32"));
        working = Files.createDirectories(root.resolve("work"));
        onPath = Files.createDirectories(root.resolve("tools"));
        k32 = new FakeTapDriver("{00000000-0000-0000-0000-000000000000}", MacAddress.parse("02:00:00:00:00:01"));
        ip = new FakeIpHelper();
        wintun = new FakeWintun(k32, ip);
        platform = new WindowsPlatform(k32, ip, new FakeNetAdapterRegistry(), null);
    }

    /** LoadLibraryEx as documented, over the folders of this test. */
    WintunLibrary loadLibrary(String name) {
        Path file = null;
        Path p = Path.of(name);
        if (p.isAbsolute()) {
            file = p;
        } else if (p.getNameCount() == 1) {
            String dll = name.toLowerCase(Locale.ROOT).endsWith(".dll") ? name : name + ".dll";
            for (Path folder : List.of(application, system32, working, onPath)) {
                if (Files.isRegularFile(folder.resolve(dll))) {
                    file = folder.resolve(dll);
                    break;
                }
            }
        } else {
            file = working.resolve(p); // a relative path is resolved against the current folder
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw new UnsatisfiedLinkError("LoadLibraryExW(" + name + ") failed with ERROR_MOD_NOT_FOUND (126)");
        }
        loaded.add(file);
        return wintun;
    }

    WintunProvider provider() {
        return new WintunProvider(platform, this::loadLibrary, List.of(application, system32));
    }

    static Path plant(Path folder) throws Exception {
        return Files.writeString(folder.resolve("wintun.dll"), "planted", StandardCharsets.US_ASCII);
    }

    @Test
    void wintunDllPlantedInTheWorkingDirectoryOrOnPathIsNeverLoaded() throws Exception {
        plant(working);
        plant(onPath);
        Availability a = provider().availability();
        assertEquals(List.of(), loaded, "nothing loaded: neither folder is searched");
        assertFalse(a.isAvailable(), a.detail());
        assertTrue(a.detail().contains(application.toString()) && a.detail().contains(system32.toString()),
                "says where it looked: " + a.detail());
    }

    @Test
    void withoutANameTheDllIsTakenOnlyFromTheApplicationFolderOrSystem32() throws Exception {
        plant(working);
        plant(system32);
        Availability a = provider().availability();
        assertTrue(a.isAvailable(), a.detail());
        assertEquals(List.of(system32.resolve("wintun.dll")), loaded, "loaded by its full path from System32");
    }

    @Test
    void helpTextNeverSendsUsersToTheWorkingDirectoryOrPath() {
        String help = WintunProvider.HOW_TO_GET.toLowerCase(Locale.ROOT);
        assertFalse(help.contains("working directory") || help.contains("current directory"), help);
        assertFalse(help.contains(" path,") || help.contains("folder on path"), help);
        assertTrue(help.contains("absolute"), help);
    }

    @Test
    void libraryOptionIsHonouredWhenNoDefaultDllExists() throws Exception {
        Path mine = plant(Files.createDirectories(root.resolve("vendor/wintun/bin/amd64")));
        WintunProvider p = provider();
        try (TunTapDevice d = p.open(DeviceConfig.tun().name("opt").option(WintunOptions.LIBRARY, mine).build())) {
            assertEquals("opt", d.name());
        }
        assertEquals(List.of(mine), loaded, "the named DLL, loaded once, by its full path");
    }

    @Test
    void libraryOptionIsHonouredWhenADefaultDllWasFoundFirst() throws Exception {
        plant(application);
        Path mine = plant(Files.createDirectories(root.resolve("vendor")));
        WintunProvider p = provider();
        try (TunTapDevice d = p.open(DeviceConfig.tun().name("opt").option(WintunOptions.LIBRARY, mine).build())) {
            assertEquals("opt", d.name());
        }
        assertEquals(List.of(mine), loaded, "only the named DLL was loaded");
    }

    @Test
    void aSecondDifferentDllInOneProcessIsATypedErrorAndTheSameOneIsFine() throws Exception {
        Path first = plant(Files.createDirectories(root.resolve("a")));
        Path second = plant(Files.createDirectories(root.resolve("b")));
        WintunProvider p = provider();
        try (TunTapDevice d = p.open(DeviceConfig.tun().name("one").option(WintunOptions.LIBRARY, first).build())) {
            assertEquals("one", d.name());
            InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> p.open(
                    DeviceConfig.tun().name("two").option(WintunOptions.LIBRARY, second).build()));
            assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains(second.toString()),
                    e.getMessage());
            try (TunTapDevice again = p.open(DeviceConfig.tun().name("three")
                    .option(WintunOptions.LIBRARY, first).build())) {
                assertEquals("three", again.name());
            }
            try (TunTapDevice unnamed = p.open(DeviceConfig.tun().name("four").build())) {
                assertEquals("four", unnamed.name(), "without the option, the process's DLL");
            }
        }
        assertEquals(List.of(first), loaded, "bound once");
    }

    @Test
    void relativeOrMissingLibraryIsRefusedBeforeAnythingIsLoaded() throws Exception {
        plant(working);
        WintunProvider p = provider();
        InvalidConfigurationException relative = assertThrows(InvalidConfigurationException.class, () -> p.open(
                DeviceConfig.tun().option(WintunOptions.LIBRARY, Path.of("wintun.dll")).build()));
        assertTrue(relative.getMessage().contains("absolute"), relative.getMessage());
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class, () -> p.open(
                DeviceConfig.tun().option(WintunOptions.LIBRARY, root.resolve("nowhere/wintun.dll")).build()));
        assertTrue(missing.getMessage().contains(root.resolve("nowhere/wintun.dll").toString()), missing.getMessage());
        assertEquals(List.of(), loaded);
        assertFalse(wintun.exists("tuntap"), "no adapter created");
    }

    @Test
    void relativeLibraryPropertyIsRefused() throws Exception {
        plant(working);
        String old = System.getProperty(WintunProvider.LIBRARY_PROPERTY);
        System.setProperty(WintunProvider.LIBRARY_PROPERTY, "wintun.dll");
        try {
            Availability a = provider().availability();
            assertFalse(a.isAvailable(), a.detail());
            assertTrue(a.detail().contains("absolute"), a.detail());
            assertEquals(List.of(), loaded);
        } finally {
            if (old == null) {
                System.clearProperty(WintunProvider.LIBRARY_PROPERTY);
            } else {
                System.setProperty(WintunProvider.LIBRARY_PROPERTY, old);
            }
        }
    }

    /**
     * On a Windows JVM (wine's included), for real: a file named {@code wintun.dll} that is not a DLL is put into
     * the working directory. Had the provider asked Windows for {@code wintun} by name, the loader would have
     * opened it and failed with ERROR_BAD_EXE_FORMAT (193); the provider must not even look at it.
     */
    @Test
    void realProviderDoesNotOpenAWintunDllInTheWorkingDirectory() throws Exception {
        assumeTrue(Platform.isWindows(), "needs Windows' own loader (a Windows JVM, under wine too); the tests "
                + "above check the same rule against a model of LoadLibraryEx on every JVM");
        assumeTrue(System.getProperty(WintunProvider.LIBRARY_PROPERTY) == null,
                "-D" + WintunProvider.LIBRARY_PROPERTY + " names a DLL, so no search happens");
        Path planted = Path.of("").toAbsolutePath().resolve("wintun.dll");
        assumeFalse(Files.exists(planted), planted + " exists already; not overwriting it");
        Files.writeString(planted, "not a DLL", StandardCharsets.US_ASCII);
        try {
            Availability a = new WintunProvider().availability();
            String detail = a.detail().toLowerCase(Locale.ROOT);
            assertFalse(detail.contains("193") || detail.contains("another cpu") || detail.contains("%1"),
                    "the planted file was opened: " + a.detail());
            assertFalse(detail.contains(planted.toString().toLowerCase(Locale.ROOT)), a.detail());
        } finally {
            Files.delete(planted);
        }
    }
}
