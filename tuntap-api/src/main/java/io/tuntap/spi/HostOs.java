// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import java.util.Locale;

/**
 * The operating system the JVM runs on, from {@code os.name} alone, so that a provider can decline cheaply
 * before it touches any native library.
 */
public enum HostOs {
    /** Linux, including Android kernels. */
    LINUX("io.tuntap:tuntap-linux"),
    /** macOS. */
    MACOS("io.tuntap:tuntap-bsd"),
    /** FreeBSD. */
    FREEBSD("io.tuntap:tuntap-bsd"),
    /** OpenBSD. */
    OPENBSD("io.tuntap:tuntap-bsd"),
    /** NetBSD. */
    NETBSD("io.tuntap:tuntap-bsd"),
    /** DragonFly BSD. */
    DRAGONFLY("io.tuntap:tuntap-bsd"),
    /** Solaris and illumos (both report {@code os.name} "SunOS"). */
    SOLARIS("io.tuntap:tuntap-solaris"),
    /** Windows. */
    WINDOWS("io.tuntap:tuntap-windows"),
    /** Anything else. */
    OTHER(null);

    private final String backendArtifact;

    HostOs(String backendArtifact) {
        this.backendArtifact = backendArtifact;
    }

    /** {@return the system this JVM runs on} */
    public static HostOs current() {
        return fromOsName(System.getProperty("os.name", ""));
    }

    /**
     * Classifies a value of the {@code os.name} system property.
     *
     * @param osName e.g. {@code "Linux"}, {@code "Mac OS X"}, {@code "Windows 11"}
     * @return the system; {@link #OTHER} for a name not recognised
     */
    public static HostOs fromOsName(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        if (n.startsWith("linux")) {
            return LINUX;
        } else if (n.startsWith("mac") || n.startsWith("darwin")) {
            return MACOS;
        } else if (n.startsWith("freebsd")) {
            return FREEBSD;
        } else if (n.startsWith("openbsd")) {
            return OPENBSD;
        } else if (n.startsWith("netbsd")) {
            return NETBSD;
        } else if (n.startsWith("dragonfly")) {
            return DRAGONFLY;
        } else if (n.startsWith("sunos") || n.startsWith("solaris") || n.startsWith("illumos")) {
            return SOLARIS;
        } else if (n.startsWith("windows")) {
            return WINDOWS;
        }
        return OTHER;
    }

    /** {@return true for the systems whose backends share the POSIX libc seam (every one but Windows and OTHER)} */
    public boolean isUnix() {
        return this != WINDOWS && this != OTHER;
    }

    /** {@return the Maven coordinates of the backend for this system, or null if there is none} */
    public String backendArtifact() {
        return backendArtifact;
    }
}
