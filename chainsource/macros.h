// Status plumbing for chainsource .cc files (kept out of public headers' users by the CS_ prefix).
#ifndef STAKEWARD_CHAINSOURCE_MACROS_H_
#define STAKEWARD_CHAINSOURCE_MACROS_H_

#define CS_CONCAT_INNER(a, b) a##b
#define CS_CONCAT(a, b) CS_CONCAT_INNER(a, b)

#define CS_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                   \
  if (!tmp.ok()) return tmp.status();  \
  lhs = *std::move(tmp)

// CS_ASSIGN(auto x, F()); or CS_ASSIGN(existing, F());
#define CS_ASSIGN(lhs, expr) CS_ASSIGN_IMPL(CS_CONCAT(cs_tmp_, __LINE__), lhs, expr)

#define CS_RETURN_IF_ERROR(expr)     \
  do {                               \
    absl::Status cs_st_ = (expr);    \
    if (!cs_st_.ok()) return cs_st_; \
  } while (0)

#endif  // STAKEWARD_CHAINSOURCE_MACROS_H_
