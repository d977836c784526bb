// The project's one pair of status macros, for code that propagates errors through several
// steps. Plain `if (!s.ok()) return s;` stays fine where it reads better.
#ifndef STAKEWARD_CHAIN_STATUS_MACROS_H_
#define STAKEWARD_CHAIN_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns the status of `expr` (an absl::Status) when it is not OK.
#define SW_RETURN_IF_ERROR(expr)       \
  do {                                 \
    const absl::Status sw_s_ = (expr); \
    if (!sw_s_.ok()) return sw_s_;     \
  } while (0)

// Evaluates `expr` (an absl::StatusOr<T>); returns its status when not OK, otherwise moves the
// value into `lhs` (an existing variable or a declaration such as `auto x`).
#define SW_ASSIGN_OR_RETURN(lhs, expr) \
  SW_ASSIGN_OR_RETURN_IMPL_(SW_STATUS_MACROS_CONCAT_(sw_v_, __LINE__), lhs, expr)

#define SW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = *std::move(tmp)

#define SW_STATUS_MACROS_CONCAT_INNER_(a, b) a##b
#define SW_STATUS_MACROS_CONCAT_(a, b) SW_STATUS_MACROS_CONCAT_INNER_(a, b)

#endif  // STAKEWARD_CHAIN_STATUS_MACROS_H_
