/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/export.h> (also used by tools' rbtree.c):
 * an export becomes a harmless repeated declaration.
 */
#ifndef _CG_SHIM_LINUX_EXPORT_H
#define _CG_SHIM_LINUX_EXPORT_H

#define __cg_no_export(sym)	extern int __cg_no_export_dummy

#define EXPORT_SYMBOL		__cg_no_export
#define EXPORT_SYMBOL_GPL	__cg_no_export

#endif /* _CG_SHIM_LINUX_EXPORT_H */
