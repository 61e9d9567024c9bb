// SPDX-License-Identifier: Apache-2.0
package io.tuntap.linux;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tuntap.InvalidConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinuxNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"tun0", "tap-vpn.1", "a", "exactly15chars_", "vpn%d"})
    void acceptsValidNames(String name) {
        assertDoesNotThrow(() -> LinuxNames.check(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sixteen_chars_xx", ".", "..", "a/b", "a:b", "a b", "tab\tx", "%s", "a%d%d", "100%"})
    void rejectsInvalidNamesSayingWhy(String name) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> LinuxNames.check(name));
        assertTrue(e.getMessage().contains("invalid interface name '" + name + "'"), e.getMessage());
    }
}
