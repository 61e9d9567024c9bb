// SPDX-License-Identifier: Apache-2.0
/**
 * A stand-in for the backend module that io.tuntap.posix is exported to, so that javac sees the module named in
 * the qualified export while io.tuntap.posix is compiled before it. Compile time only: never packaged.
 */
module io.tuntap.bsd {
}
