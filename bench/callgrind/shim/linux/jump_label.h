/* SPDX-License-Identifier: GPL-2.0 */
/* User-space stand-in for <linux/jump_label.h>: keys that are always off. */
#ifndef _CG_SHIM_LINUX_JUMP_LABEL_H
#define _CG_SHIM_LINUX_JUMP_LABEL_H

struct static_key_false {
	int enabled;
};

#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name
#define DEFINE_STATIC_KEY_FALSE(name)	struct static_key_false name
#define static_branch_unlikely(key)	(__builtin_expect((key)->enabled, 0))

#endif /* _CG_SHIM_LINUX_JUMP_LABEL_H */
