/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <trace/define_trace.h>: no trace points to create. */
