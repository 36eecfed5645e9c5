/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP reporter for the arena test modules that run their cases
 * from module init.  Results go to the kernel log, one line per record, so
 * the guest runner can count the leaf "ok"/"not ok" lines.
 */
#ifndef _ARENA_SELFTESTS_KTAP_H
#define _ARENA_SELFTESTS_KTAP_H

#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/types.h>

/**
 * struct ktap_case - one named test case
 * @name: name printed on the result line
 * @run: body; reports problems with ktap_check() / ktap_fail() on @t
 */
struct ktap_run;
struct ktap_case {
	const char *name;
	void (*run)(struct ktap_run *t);
};

/**
 * struct ktap_run - state of one run of a case table
 * @failed: the current case reported a failure
 * @skip: reason to report the current case as skipped, or NULL
 * @nr_pass: cases that passed
 * @nr_fail: cases that failed
 * @nr_skip: cases that were skipped
 */
struct ktap_run {
	bool failed;
	const char *skip;
	unsigned int nr_pass;
	unsigned int nr_fail;
	unsigned int nr_skip;
};

/* Diagnostic line; KTAP wants "# " at the start. */
#define ktap_diag(fmt, ...) pr_info("# " fmt "\n", ##__VA_ARGS__)

/* Mark the current case failed and say where and why. */
#define ktap_fail(t, fmt, ...)						\
	do {								\
		(t)->failed = true;					\
		ktap_diag("%s:%d: " fmt, __func__, __LINE__,		\
			  ##__VA_ARGS__);				\
	} while (0)

/* Evaluates to @cond; fails the case when it is false. */
#define ktap_check(t, cond, fmt, ...)					\
	({								\
		bool __ok = (cond);					\
		if (!__ok)						\
			ktap_fail(t, "%s: " fmt, #cond, ##__VA_ARGS__);	\
		__ok;							\
	})

static inline void ktap_run_cases(struct ktap_run *t, const char *suite,
				  const struct ktap_case *cases,
				  unsigned int nr)
{
	unsigned int i;

	pr_info("KTAP version 1\n");
	pr_info("1..%u\n", nr);
	for (i = 0; i < nr; i++) {
		t->failed = false;
		t->skip = NULL;
		cases[i].run(t);
		if (t->failed) {
			t->nr_fail++;
			pr_info("not ok %u %s\n", i + 1, cases[i].name);
		} else if (t->skip) {
			t->nr_skip++;
			pr_info("ok %u %s # SKIP %s\n", i + 1, cases[i].name,
				t->skip);
		} else {
			t->nr_pass++;
			pr_info("ok %u %s\n", i + 1, cases[i].name);
		}
		cond_resched();
	}
	ktap_diag("%s: pass:%u fail:%u skip:%u", suite, t->nr_pass,
		  t->nr_fail, t->nr_skip);
}

#endif /* _ARENA_SELFTESTS_KTAP_H */
