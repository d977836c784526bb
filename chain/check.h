// Internal-invariant checks. A failed check is a bug in Stakeward, never bad input: it prints the
// location and aborts. Untrusted input is validated with absl::Status errors instead.
#ifndef STAKEWARD_CHAIN_CHECK_H_
#define STAKEWARD_CHAIN_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define SW_CHECK(cond)                                                                       \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: internal check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

#endif  // STAKEWARD_CHAIN_CHECK_H_
