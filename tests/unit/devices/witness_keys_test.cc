// Witness keys from the policy's account xpub (soft derivation) instead of device exports.
// Expected keys: the published CSL vectors (vectors/cardano/hd_cip1854_multisig_csl.json,
// Emurgo/cardano-serialization-lib bip32_24_base_multisig_hd_derivation).
#include <string>
#include <vector>

#include "chain/bytes.h"
#include "chain/keys.h"
#include "devices/signer/signer.h"
#include "gtest/gtest.h"

namespace stakeward::devices {
namespace {

constexpr char kAccount[] =
    "e6b7f5136118f4a3f0ffce489e64729484a44ee1c8f6d70d94632d66eb7b319896502ac097745cbf49bc67fed93a3e"
    "c90054f25089d609e5faa14815478d6481";
constexpr char kPay0[] =
    "9cf7ff026ae4cfab206c01190f7f63b8a2f8f423cdb9de238581d59fad699c8dc57d63b985265e7a77d7a34caf92a0"
    "6d755fe364113e26b8a1b0fb60afb4ca72";
constexpr char kStake0[] =
    "bfd30c727d73b4669de2223d831016b2755891c90cd9b2ad81169457bed750908fb1dc0bd5f7fd66dd4c4a1d76c58f"
    "6383802d1c09cc6e9da9e99e2b3c9db474";

chain::Path P(const char* s) { return *chain::ParsePath(s); }
std::string Hex(const chain::XPub& x) {
  auto b = x.Serialize();
  return chain::HexEncode(chain::ByteView(b.data(), b.size()));
}

TEST(WitnessKeys, DerivedFromTheAccountXpubWithoutAskingTheDevice) {
  auto acct = ParseAccountXPub(std::string("m/1854'/1815'/0'=") + kAccount);
  ASSERT_TRUE(acct.ok()) << acct.status();
  int asked = 0;
  auto keys = WitnessKeys(
      {P("m/1854'/1815'/0'/0/0"), P("m/1854'/1815'/0'/2/0")}, {*acct},
      [&](const std::vector<chain::Path>& ps) -> absl::StatusOr<std::vector<chain::XPub>> {
        asked += static_cast<int>(ps.size());
        return absl::InternalError("must not be called");
      });
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(asked, 0);
  EXPECT_EQ(Hex((*keys)[0]), kPay0);
  EXPECT_EQ(Hex((*keys)[1]), kStake0);
}

TEST(WitnessKeys, PathsOutsideTheAccountsComeFromTheDeviceInOrder) {
  auto acct = ParseAccountXPub(std::string("m/1854'/1815'/0'=") + kAccount);
  ASSERT_TRUE(acct.ok());
  auto stake = chain::XPub::Parse(chain::View(*chain::HexDecode(kStake0)));
  ASSERT_TRUE(stake.ok());
  std::vector<chain::Path> seen;
  auto keys = WitnessKeys(
      {P("m/1854'/1815'/1'/0/0"), P("m/1854'/1815'/0'/0/0")}, {*acct},
      [&](const std::vector<chain::Path>& ps) -> absl::StatusOr<std::vector<chain::XPub>> {
        seen = ps;
        return std::vector<chain::XPub>{*stake};
      });
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], P("m/1854'/1815'/1'/0/0"));
  EXPECT_EQ(Hex((*keys)[0]), kStake0);  // what the "device" said
  EXPECT_EQ(Hex((*keys)[1]), kPay0);    // derived
}

TEST(WitnessKeys, BadAccountSpecsAreInvalidArgument) {
  for (const std::string& spec : {std::string("m/1854'/1815'/0'"),             // no '='
                                  std::string("m/1854'/1815'/0=") + kAccount,  // soft account
                                  std::string("m/1854'/1815'/0'=abcd")}) {
    EXPECT_EQ(ParseAccountXPub(spec).status().code(), absl::StatusCode::kInvalidArgument) << spec;
  }
}

}  // namespace
}  // namespace stakeward::devices
