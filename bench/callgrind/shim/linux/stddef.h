/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/stddef.h> (included by tools' rbtree.h). */
#ifndef _CG_SHIM_LINUX_STDDEF_H
#define _CG_SHIM_LINUX_STDDEF_H

#include <stddef.h>

#endif /* _CG_SHIM_LINUX_STDDEF_H */
