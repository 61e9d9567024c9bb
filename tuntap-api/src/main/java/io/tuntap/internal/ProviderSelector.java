// SPDX-License-Identifier: Apache-2.0
package io.tuntap.internal;

import io.tuntap.NoProviderException;
import io.tuntap.spi.Availability;
import io.tuntap.spi.HostOs;
import io.tuntap.spi.TunTapProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.function.UnaryOperator;

/**
 * Chooses a provider: the one forced with {@code tuntap.provider}, else the available one of highest
 * priority, skipping any disabled with {@code tuntap.disable.NAME=true}. Also writes the diagnostics report.
 */
public final class ProviderSelector {
    /** System property that forces a provider by name. */
    public static final String FORCE_PROPERTY = "tuntap.provider";
    /** Prefix of the system properties that disable a provider by name. */
    public static final String DISABLE_PREFIX = "tuntap.disable.";

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

    /** Loads the providers visible to this module with {@link java.util.ServiceLoader}. */
    public static ProviderSelector load(ClassLoader loader) {
        List<TunTapProvider> found = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Iterator<TunTapProvider> it = java.util.ServiceLoader.load(TunTapProvider.class, loader).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                // A broken provider must not hide the working ones; it is listed in the report instead.
                failures.add(String.valueOf(e));
            }
        }
        return new ProviderSelector(found, failures, System::getProperty, HostOs.current());
    }

    /** Every provider found, in the order found. */
    public List<TunTapProvider> providers() {
        return providers;
    }

    /**
     * The provider to use.
     *
     * @throws NoProviderException with the diagnostics report if none can serve
     */
    public TunTapProvider select() throws NoProviderException {
        String forced = properties.apply(FORCE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            for (TunTapProvider p : providers) {
                if (p.name().equals(forced)) {
                    Availability a = p.availability();
                    if (a.isAvailable()) {
                        return p;
                    }
                    throw new NoProviderException("TunTap.open", 0, "provider '" + forced + "', forced with -D"
                            + FORCE_PROPERTY + ", cannot open devices here: " + a.detail() + "\n" + report());
                }
            }
            throw new NoProviderException("TunTap.open", 0, "provider '" + forced + "', forced with -D"
                    + FORCE_PROPERTY + ", is not on the class path or module path; remove the property or add "
                    + "the artifact that provides it\n" + report());
        }
        return providers.stream()
                .filter(p -> !isDisabled(p))
                .filter(p -> p.availability().isAvailable())
                .max(Comparator.comparingInt(TunTapProvider::priority))
                .orElseThrow(() -> new NoProviderException("TunTap.open", 0, noProviderMessage() + "\n" + report()));
    }

    private String noProviderMessage() {
        String artifact = os.backendArtifact();
        String fix = artifact == null
                ? "tuntap has no backend for this operating system (" + os + ")"
                : "add " + artifact + " to the class path or module path, or see why each provider below declined";
        return "no tuntap provider can open devices here: " + fix;
    }

    private boolean isDisabled(TunTapProvider p) {
        return Boolean.parseBoolean(properties.apply(DISABLE_PREFIX + p.name()));
    }

    /** A human-readable report: every provider found, whether it can serve, and why. */
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
                sb.append("    capabilities: ").append(p.capabilities()).append('\n');
            }
        }
        for (String failure : loadFailures) {
            sb.append("  failed to load: ").append(failure).append('\n');
        }
        return sb.toString();
    }
}
