// SPDX-License-Identifier: Apache-2.0
package io.tuntap.bsd;

/** Interface names made of a driver name and a unit number, such as {@code tun3} or {@code utun0}. */
final class UnitNames {
    /** Units tried when the system picks one (OpenBSD, NetBSD); the minor numbers of tun and tap go to 255. */
    static final int MAX_UNITS = 256;

    private UnitNames() {
    }

    /** The unit of {@code name} if it is {@code driver} followed by a decimal number without leading zeros, else -1. */
    static int unit(String driver, String name) {
        if (!name.startsWith(driver) || name.length() == driver.length() || name.length() > driver.length() + 6) {
            return -1;
        }
        String digits = name.substring(driver.length());
        if (digits.length() > 1 && digits.charAt(0) == '0') {
            return -1;
        }
        int unit = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            unit = unit * 10 + (c - '0');
        }
        return unit;
    }
}
