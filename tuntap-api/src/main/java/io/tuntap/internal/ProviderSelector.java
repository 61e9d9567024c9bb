// SPDX-License-Identifier: Apache-2.0
package io.tuntap.internal;

import io.tuntap.Capability;
import io.tuntap.DeviceInfo;
import io.tuntap.DeviceMode;
import io.tuntap.NoProviderException;
import io.tuntap.TunTapException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.UnaryOperator;

/**
 * Chooses a provider per {@link DeviceMode}: the one forced with {@code tuntap.provider}, else the available
 * one of highest priority that serves the mode, skipping any disabled with {@code tuntap.disable.NAME=true}.
 * Also lists devices across providers and writes the diagnostics report. Logs each choice and its reason
 * through {@link System.Logger} {@code io.tuntap} at level DEBUG.
 */
public final class ProviderSelector {
    /** System property that forces a provider by name. */
    public static final String FORCE_PROPERTY = "tuntap.provider";
    /** Prefix of the system properties that disable a provider by name. */
    public static final String DISABLE_PREFIX = "tuntap.disable.";

    private static final System.Logger LOG = System.getLogger("io.tuntap");

    private final List<TunTapProvider> providers;
    private final List<String> loadFailures;
    private final UnaryOperator<String> properties;
    private final HostOs os;

    /**
     * @param providers the providers found
     * @param loadFailures descriptions of providers that failed to load
     * @param properties looks up a system property (null if unset)
     * @param os the system to name an artifact for when nothing can serve
     */
    public ProviderSelector(List<TunTapProvider> providers, List<String> loadFailures,
            UnaryOperator<String> properties, HostOs os) {
        this.providers = List.copyOf(providers);
        this.loadFailures = List.copyOf(loadFailures);
        this.properties = properties;
        this.os = os;
    }

    /**
     * Loads the providers visible to this module with {@link ServiceLoader}.
     *
     * @param loader the class loader {@link ServiceLoader#load(Class, ClassLoader)} searches
     * @return the selector over the providers found, and the failures of those that could not be loaded
     */
    public static ProviderSelector load(ClassLoader loader) {
        List<TunTapProvider> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Iterator<TunTapProvider> it = ServiceLoader.load(TunTapProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // A broken provider must not hide the working ones; it is listed in the report instead.
                failures.add(String.valueOf(e));
                LOG.log(Level.WARNING, "a tuntap provider failed to load and is skipped", e);
            }
        }
        return new ProviderSelector(found, failures, System::getProperty, HostOs.current());
    }

    /** {@return every provider found, in the order found} */
    public List<TunTapProvider> providers() {
        return providers;
    }

    /**
     * The provider to use for devices of this mode.
     *
     * @param mode TUN or TAP
     * @return the provider forced with {@code tuntap.provider}, else the available one of highest priority
     * @throws NoProviderException with the diagnostics report if none can serve
     */
    public TunTapProvider select(DeviceMode mode) throws NoProviderException {
        String forced = forced();
        if (forced != null) {
            for (TunTapProvider p : providers) {
                if (p.name().equals(forced)) {
                    Availability a = p.availability();
                    if (!a.isAvailable()) {
                        throw new NoProviderException("TunTap.open", 0, "provider '" + forced + "', forced with -D"
                                + FORCE_PROPERTY + ", cannot open devices here: " + a.detail() + "\n" + report());
                    }
                    if (p.capabilities(mode).isEmpty()) {
                        throw new NoProviderException("TunTap.open", 0, "provider '" + forced + "', forced with -D"
                                + FORCE_PROPERTY + ", does not serve " + mode + " devices; remove the property or "
                                + "force a provider that does\n" + report());
                    }
                    LOG.log(Level.DEBUG, () -> "tuntap: " + mode + " devices use provider '" + forced
                            + "', forced with -D" + FORCE_PROPERTY);
                    return p;
                }
            }
            throw new NoProviderException("TunTap.open", 0, "provider '" + forced + "', forced with -D"
                    + FORCE_PROPERTY + ", is not on the class path or module path; remove the property or add "
                    + "the artifact that provides it\n" + report());
        }
        Optional<TunTapProvider> best = candidate(mode);
        if (best.isEmpty()) {
            throw new NoProviderException("TunTap.open", 0, noProviderMessage(mode) + "\n" + report());
        }
        TunTapProvider chosen = best.get();
        LOG.log(Level.DEBUG, () -> "tuntap: " + mode + " devices use provider '" + chosen.name() + "' (priority "
                + chosen.priority() + ", " + chosen.availability().detail() + "): the available provider of highest "
                + "priority that serves " + mode + ", among " + providers.size() + " found");
        return chosen;
    }

    /**
     * The provider for a call that needs no device mode ({@code TunTap.adopt}, {@code TunTap.defaultRoute}):
     * the one forced with {@code tuntap.provider}, else the available one of highest priority that has the
     * capability in either mode.
     *
     * @param capability what the call needs, e.g. {@link Capability#ADOPT}
     * @param call the public call, for the message
     * @return the provider to ask
     * @throws NoProviderException with the diagnostics report if none can serve
     */
    public TunTapProvider selectFor(Capability capability, String call) throws NoProviderException {
        String forced = forced();
        Optional<TunTapProvider> best = providers.stream()
                .filter(p -> forced == null ? !isDisabled(p) : p.name().equals(forced))
                .filter(p -> p.availability().isAvailable())
                .filter(p -> p.capabilities().contains(capability))
                .max(Comparator.comparingInt(TunTapProvider::priority));
        if (best.isEmpty()) {
            String artifact = os.backendArtifact();
            throw new NoProviderException(call, 0, call + " failed: no tuntap provider here offers Capability."
                    + capability + (forced != null ? " (provider '" + forced + "' forced with -D" + FORCE_PROPERTY + ")"
                    : "") + ": " + (artifact == null ? "tuntap has no backend for this operating system (" + os + ")"
                    : "add " + artifact + " to the class path or module path; where it is there, this system's "
                    + "backend does not offer it") + "\n" + report());
        }
        return best.get();
    }

    private Optional<TunTapProvider> candidate(DeviceMode mode) {
        return providers.stream()
                .filter(p -> !isDisabled(p))
                .filter(p -> p.availability().isAvailable())
                .filter(p -> !p.capabilities(mode).isEmpty())
                .max(Comparator.comparingInt(TunTapProvider::priority));
    }

    private String forced() {
        String forced = properties.apply(FORCE_PROPERTY);
        return forced == null || forced.isBlank() ? null : forced;
    }

    /**
     * The devices every available, enabled provider lists.
     *
     * @return the devices, provider by provider
     * @throws TunTapException if a provider fails to list
     */
    public List<DeviceInfo> devices() throws TunTapException {
        List<DeviceInfo> all = new ArrayList<>();
        for (TunTapProvider p : providers) {
            if (!isDisabled(p) && p.availability().isAvailable()) {
                all.addAll(p.devices());
            }
        }
        return List.copyOf(all);
    }

    private String noProviderMessage(DeviceMode mode) {
        String artifact = os.backendArtifact();
        String fix = artifact == null
                ? "tuntap has no backend for this operating system (" + os + ")"
                : "add " + artifact + " to the class path or module path, or see why each provider below declined";
        return "no tuntap provider can open " + mode + " devices here: " + fix;
    }

    private boolean isDisabled(TunTapProvider p) {
        return Boolean.parseBoolean(properties.apply(DISABLE_PREFIX + p.name()));
    }

    /** {@return a human-readable report: every provider found, whether it can serve, why, and what per mode} */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("tuntap providers on ").append(os).append(" (os.name=")
                .append(properties.apply("os.name")).append(", os.arch=").append(properties.apply("os.arch"))
                .append("):\n");
        if (providers.isEmpty()) {
            sb.append("  none found");
            String artifact = os.backendArtifact();
            if (artifact != null) {
                sb.append(": add ").append(artifact);
            }
            sb.append('\n');
        }
        for (TunTapProvider p : providers) {
            Availability a = p.availability();
            sb.append("  ").append(p.name()).append(" (priority ").append(p.priority()).append(", ")
                    .append(p.getClass().getName()).append("): ");
            if (isDisabled(p)) {
                sb.append("disabled by -D").append(DISABLE_PREFIX).append(p.name()).append("=true; ");
            }
            sb.append(a).append('\n');
            if (a.isAvailable()) {
                for (DeviceMode mode : DeviceMode.values()) {
                    sb.append("    ").append(mode).append(": ");
                    sb.append(p.capabilities(mode).isEmpty() ? "not served" : p.capabilities(mode).toString());
                    sb.append('\n');
                }
                if (!p.supportedOptions().isEmpty()) {
                    sb.append("    options: ").append(p.supportedOptions()).append('\n');
                }
            }
        }
        for (String failure : loadFailures) {
            sb.append("  failed to load: ").append(failure).append('\n');
        }
        String forced = forced();
        for (DeviceMode mode : DeviceMode.values()) {
            sb.append(mode.name().toLowerCase(Locale.ROOT)).append(" devices: ");
            if (forced != null) {
                sb.append("provider '").append(forced).append("' (forced with -D").append(FORCE_PROPERTY).append(")");
            } else {
                sb.append(candidate(mode).map(p -> "provider '" + p.name() + "'").orElse("no provider"));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
