// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.UnsupportedFeatureException;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a provider can open devices on this system, and if not, why. Immutable.
 */
public final class Availability {
    private final boolean available;
    private final String detail;
    private final Throwable cause;

    private Availability(boolean available, String detail, Throwable cause) {
        this.available = available;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.cause = cause;
    }

    /** The provider can serve; {@code detail} says with what, e.g. {@code "/dev/net/tun, kernel 6.1"}. */
    public static Availability available(String detail) {
        return new Availability(true, detail, null);
    }

    /** The provider cannot serve; {@code reason} says why and, where there is one, what would fix it. */
    public static Availability unavailable(String reason) {
        return new Availability(false, reason, null);
    }

    /** The provider cannot serve because of {@code cause}, e.g. a native library that failed to load. */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, reason, Objects.requireNonNull(cause, "cause"));
    }

    /** True if the provider can open devices here. */
    public boolean isAvailable() {
        return available;
    }

    /** What the provider found: its resources if available, the reason and fix if not. */
    public String detail() {
        return detail;
    }

    /** The error behind the unavailability, if there was one. */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /**
     * Returns normally if available.
     *
     * @throws UnsupportedFeatureException naming the provider and the reason, with the cause attached
     */
    public void ensureAvailable(String providerName) throws UnsupportedFeatureException {
        if (!available) {
            String message = "tuntap provider '" + providerName + "' cannot open devices here: " + detail;
            throw cause == null
                    ? new UnsupportedFeatureException("open", 0, message)
                    : new UnsupportedFeatureException("open", 0, message, cause);
        }
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + detail
                + (cause == null ? "" : " (" + cause + ")");
    }
}
