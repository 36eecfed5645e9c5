/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/module.h>: symbol exports do nothing. */
#ifndef _CG_SHIM_LINUX_MODULE_H
#define _CG_SHIM_LINUX_MODULE_H

#include <linux/export.h>

#endif /* _CG_SHIM_LINUX_MODULE_H */
