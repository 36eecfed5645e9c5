/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for <linux/siphash.h>: hsiphash_1u32() as the kernel
 * computes it on 64-bit (SipHash-1-3 over one u32, 64-bit key), so that
 * the instruction counts include the real hashing cost.
 */
#ifndef _CG_SHIM_LINUX_SIPHASH_H
#define _CG_SHIM_LINUX_SIPHASH_H

#include <linux/types.h>

typedef struct {
	unsigned long key[2];
} hsiphash_key_t;

#define CG_ROTL64(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define CG_SIPROUND(v0, v1, v2, v3) do { \
	v0 += v1; v1 = CG_ROTL64(v1, 13); v1 ^= v0; v0 = CG_ROTL64(v0, 32); \
	v2 += v3; v3 = CG_ROTL64(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = CG_ROTL64(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = CG_ROTL64(v1, 17); v1 ^= v2; v2 = CG_ROTL64(v2, 32); \
} while (0)

static inline u32 hsiphash_1u32(const u32 first, const hsiphash_key_t *key)
{
	u64 v0 = 0x736f6d6570736575ULL ^ key->key[0];
	u64 v1 = 0x646f72616e646f6dULL ^ key->key[1];
	u64 v2 = 0x6c7967656e657261ULL ^ key->key[0];
	u64 v3 = 0x7465646279746573ULL ^ key->key[1];
	u64 b = ((u64)4 << 56) | first;

	v3 ^= b;
	CG_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	CG_SIPROUND(v0, v1, v2, v3);
	CG_SIPROUND(v0, v1, v2, v3);
	CG_SIPROUND(v0, v1, v2, v3);
	return (u32)((v0 ^ v1) ^ (v2 ^ v3));
}

#endif /* _CG_SHIM_LINUX_SIPHASH_H */
