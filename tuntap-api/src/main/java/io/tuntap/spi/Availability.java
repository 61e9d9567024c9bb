// SPDX-License-Identifier: Apache-2.0
package io.tuntap.spi;

import io.tuntap.UnsupportedFeatureException;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a provider can open devices on this system, and if not, why: available (it can create and open
 * devices), attach only (it is the right backend here, but this process lacks the privilege to create devices, so
 * it can only open existing ones that it is allowed to), or unavailable. Immutable.
 */
public final class Availability {
    private final boolean available;
    private final boolean canCreate;
    private final String detail;
    private final Throwable cause;

    private Availability(boolean available, boolean canCreate, String detail, Throwable cause) {
        this.available = available;
        this.canCreate = canCreate;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.cause = cause;
    }

    /**
     * The provider can serve, creating devices too; {@code detail} says with what, e.g.
     * {@code "/dev/net/tun, kernel 6.1"}.
     *
     * @param detail what the provider found
     * @return the availability
     */
    public static Availability available(String detail) {
        return new Availability(true, true, detail, null);
    }

    /**
     * The provider serves here, but this process may not create devices: it can open only existing devices it is
     * allowed to (a persistent device owned by its user, say), and a create fails with
     * {@link io.tuntap.DevicePermissionException}. The provider is still chosen for its modes, so that the
     * permission error, not "no provider", is what the user sees.
     *
     * @param reason what is missing and how to get it, e.g. "this process lacks CAP_NET_ADMIN; ..."
     * @return the availability
     */
    public static Availability attachOnly(String reason) {
        return new Availability(true, false, reason, null);
    }

    /**
     * The provider cannot serve; {@code reason} says why and, where there is one, what would fix it.
     *
     * @param reason why not, and what would fix it
     * @return the availability
     */
    public static Availability unavailable(String reason) {
        return new Availability(false, false, reason, null);
    }

    /**
     * The provider cannot serve because of {@code cause}, e.g. a native library that failed to load.
     *
     * @param reason why not, and what would fix it
     * @param cause the error met
     * @return the availability
     */
    public static Availability unavailable(String reason, Throwable cause) {
        return new Availability(false, false, reason, Objects.requireNonNull(cause, "cause"));
    }

    /**
     * True if the provider can open devices here: create them, or at least open existing ones (see
     * {@link #canCreateDevices()}).
     *
     * @return whether the provider serves here
     */
    public boolean isAvailable() {
        return available;
    }

    /**
     * True if this process can create devices through the provider: available, and not {@link #attachOnly}.
     *
     * @return whether a new device can be made here
     */
    public boolean canCreateDevices() {
        return canCreate;
    }

    /** {@return what the provider found: its resources if available, the reason and fix if not} */
    public String detail() {
        return detail;
    }

    /** {@return the error behind the unavailability, if there was one} */
    public Optional<Throwable> cause() {
        return Optional.ofNullable(cause);
    }

    /**
     * Returns normally if available.
     *
     * @param providerName the provider's name, for the message
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
        return (canCreate ? "available: " : available ? "attach only: " : "unavailable: ") + detail
                + (cause == null ? "" : " (" + cause + ")");
    }
}
