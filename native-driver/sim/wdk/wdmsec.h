/* SPDX-License-Identifier: Apache-2.0 */
/* wdmsec.h (stand-in): SDDL constants are not used; nothing to declare. */
#ifndef TT_WDK_WDMSEC_H
#define TT_WDK_WDMSEC_H
#include <ndis.h>
#endif
