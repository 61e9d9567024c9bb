// SPDX-License-Identifier: Apache-2.0
/** Implementation details of the API module. Not exported; not API. */
package io.tuntap.internal;
