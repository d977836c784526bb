// Issue 16: the signer's review names a pool by its bech32 id and adds the snapshot's ticker,
// marked as the pool's own claim; never the ticker alone.
#include "chain/address.h"
#include "controller/client/proposal_review.h"
#include "gtest/gtest.h"
#include "policy/snapshot.h"

namespace stakeward::controller {
namespace {

TEST(PoolName, IdFirstTickerMarkedSelfDeclared) {
  policy::Snapshot s;
  policy::Pool a, b;
  a.id.fill(0x11);
  a.ticker = "ABC";
  b.id.fill(0x22);
  s.pools = {a, b};
  const std::string id_a = chain::PoolIdBech32(a.id);
  EXPECT_EQ(PoolName(s, a.id), id_a + " [ABC, self-declared]");
  EXPECT_EQ(PoolName(s, b.id), chain::PoolIdBech32(b.id));
  chain::Hash28 unknown;
  unknown.fill(0x33);
  EXPECT_EQ(PoolName(s, unknown), chain::PoolIdBech32(unknown));
  // Two pools claiming one ticker stay apart by id.
  s.pools[1].ticker = "ABC";
  EXPECT_NE(PoolName(s, a.id), PoolName(s, b.id));
}

}  // namespace
}  // namespace stakeward::controller
