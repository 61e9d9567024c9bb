// SPDX-License-Identifier: Apache-2.0
/**
 * An application as a named module: it names only the API and the Linux namespace helper, and finds the backend
 * with {@link java.util.ServiceLoader}, as any modular application would.
 */
module io.tuntap.modulepath {
    requires io.tuntap.linux;
}
