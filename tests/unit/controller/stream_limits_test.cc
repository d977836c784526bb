#include "controller/daemon/stream_limits.h"

#include <optional>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

TEST(StreamLimits, CapsPerCallerAndInTotalAndReleases) {
  StreamLimits limits(StreamCaps{2, 3, absl::Hours(1)});
  std::vector<StreamLimits::Lease> held;
  for (int i = 0; i < 2; ++i) {
    auto l = limits.Acquire("signer:alice");
    ASSERT_TRUE(l.ok()) << l.status();
    held.push_back(std::move(*l));
  }
  auto third = limits.Acquire("signer:alice");
  EXPECT_EQ(third.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(third.status().message().find("per-caller"), std::string::npos);
  auto bob = limits.Acquire("signer:bob");
  ASSERT_TRUE(bob.ok());
  auto carol = limits.Acquire("signer:carol");
  EXPECT_EQ(carol.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(carol.status().message().find("its limit"), std::string::npos);
  EXPECT_EQ(limits.open(), 3);
  // A refused caller holds nothing; a released place is free again.
  held.pop_back();
  EXPECT_EQ(limits.open(), 2);
  EXPECT_TRUE(limits.Acquire("signer:carol").ok());  // released at the end of the statement
  auto again = limits.Acquire("signer:alice");
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(limits.open(), 3);
}

TEST(StreamLimits, MovedLeaseReleasesOnce) {
  StreamLimits limits(StreamCaps{1, 1, absl::Hours(1)});
  {
    auto l = limits.Acquire("a");
    ASSERT_TRUE(l.ok());
    std::optional<StreamLimits::Lease> moved(std::move(*l));
    EXPECT_EQ(limits.open(), 1);
  }
  EXPECT_EQ(limits.open(), 0);
  EXPECT_TRUE(limits.Acquire("a").ok());
}

TEST(StreamLimits, StreamsEndAtTheMaximumDuration) {
  StreamLimits none(StreamCaps{1, 1, absl::ZeroDuration()});
  auto old = none.Acquire("a");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->CheckAge().code(), absl::StatusCode::kDeadlineExceeded);
  StreamLimits hour(StreamCaps{1, 1, absl::Hours(1)});
  auto young = hour.Acquire("a");
  ASSERT_TRUE(young.ok());
  EXPECT_TRUE(young->CheckAge().ok());
}

}  // namespace
}  // namespace stakeward::controller
