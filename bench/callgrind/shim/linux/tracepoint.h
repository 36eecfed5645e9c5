/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/tracepoint.h>: every trace event is an
 * empty inline function, as a disabled trace point costs (next to) nothing.
 */
#ifndef _CG_SHIM_LINUX_TRACEPOINT_H
#define _CG_SHIM_LINUX_TRACEPOINT_H

#define PARAMS(args...)		args
#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args

#define TRACE_EVENT(name, proto, args, tstruct, assign, print)	\
	static inline void trace_##name(proto) {}
#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(template, name, proto, args)		\
	static inline void trace_##name(proto) {}

#endif /* _CG_SHIM_LINUX_TRACEPOINT_H */
