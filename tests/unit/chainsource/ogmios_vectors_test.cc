// Every Ogmios v6.14 vector of the messages OgmiosSource uses decodes (or, for error answers, maps
// to a clear Status). The vector folder is required: a missing folder fails the test.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "chainsource/ogmios_decode.h"
#include "gtest/gtest.h"

namespace stakeward::chainsource::ogmios {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> Vectors(const std::string& folder) {
  fs::path dir = fs::path(STAKEWARD_SHARED_DIR) / "vectors/ogmios-v6.14/vectors" / folder;
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool HasError(const std::string& text) { return text.find("\"error\":{") != std::string::npos; }

// Decodes every vector of `folder` with `decode`; returns the number of successful results.
template <typename F>
int CheckFolder(const std::string& folder, const std::string& method, size_t expected_count,
                F decode) {
  std::vector<fs::path> files = Vectors(folder);
  EXPECT_EQ(files.size(), expected_count) << folder << " (vectors missing?)";
  int ok = 0;
  for (const auto& f : files) {
    std::string text = ReadFile(f);
    absl::StatusOr<Json> result = Unwrap(text, method, std::nullopt);
    if (HasError(text)) {
      EXPECT_FALSE(result.ok()) << f;
      if (!result.ok()) {
        EXPECT_FALSE(result.status().message().empty()) << f;
      }
      continue;
    }
    EXPECT_TRUE(result.ok()) << f << ": " << result.status();
    if (!result.ok()) continue;
    absl::Status st = decode(*result);
    EXPECT_TRUE(st.ok()) << f << ": " << st;
    ok += st.ok();
  }
  return ok;
}

template <typename T>
absl::Status StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

TEST(OgmiosVectors, NetworkTip) {
  EXPECT_EQ(CheckFolder("QueryNetworkTip", "queryNetwork/tip", 10,
                        [](const Json& r) { return StatusOf(DecodeTip(r)); }),
            10);
}

TEST(OgmiosVectors, LedgerTip) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateTip", "queryLedgerState/tip", 10,
                        [](const Json& r) { return StatusOf(DecodeTip(r)); }),
            10);
}

TEST(OgmiosVectors, BlockHeight) {
  EXPECT_EQ(CheckFolder("QueryNetworkBlockHeight", "queryNetwork/blockHeight", 10,
                        [](const Json& r) { return StatusOf(DecodeBlockHeight(r)); }),
            10);
}

TEST(OgmiosVectors, Epoch) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateEpoch", "queryLedgerState/epoch", 3,
                        [](const Json& r) { return StatusOf(DecodeEpoch(r)); }),
            3);
}

TEST(OgmiosVectors, ProtocolParameters) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateProtocolParameters", "queryLedgerState/protocolParameters",
                        30, [](const Json& r) { return StatusOf(DecodeProtocolParameters(r)); }),
            27);
}

TEST(OgmiosVectors, StakePools) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateStakePools", "queryLedgerState/stakePools", 10,
                        [](const Json& r) {
                          auto p = DecodeStakePools(r);
                          if (p.ok() && p->empty()) return absl::InternalError("no pools");
                          return StatusOf(p);
                        }),
            10);
}

TEST(OgmiosVectors, LiveStakeDistribution) {
  EXPECT_EQ(
      CheckFolder("QueryLedgerStateLiveStakeDistribution", "queryLedgerState/liveStakeDistribution",
                  10, [](const Json& r) { return StatusOf(DecodeLiveStakeDistribution(r)); }),
      10);
}

TEST(OgmiosVectors, StakePoolsPerformances) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateStakePoolsPerformances",
                        "queryLedgerState/stakePoolsPerformances", 30,
                        [](const Json& r) { return StatusOf(DecodeStakePoolsPerformances(r)); }),
            27);
}

TEST(OgmiosVectors, RewardAccountSummaries) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateRewardAccountSummaries",
                        "queryLedgerState/rewardAccountSummaries", 10,
                        [](const Json& r) { return StatusOf(DecodeRewardAccountSummaries(r)); }),
            10);
}

TEST(OgmiosVectors, Utxo) {
  EXPECT_EQ(CheckFolder("QueryLedgerStateUtxo", "queryLedgerState/utxo", 20,
                        [](const Json& r) { return StatusOf(DecodeUtxo(r)); }),
            19);
}

TEST(OgmiosVectors, TreasuryAndReserves) {
  EXPECT_EQ(
      CheckFolder("QueryLedgerStateTreasuryAndReserves", "queryLedgerState/treasuryAndReserves", 10,
                  [](const Json& r) { return StatusOf(DecodeTreasuryAndReserves(r)); }),
      10);
}

// Every error answer maps to a Status; every 3xxx code in the vectors has advice.
TEST(OgmiosVectors, SubmitTransactionResponses) {
  std::vector<fs::path> files = Vectors("SubmitTransactionResponse");
  ASSERT_EQ(files.size(), 200u) << "vectors missing?";
  int ok = 0;
  for (const auto& f : files) {
    std::string text = ReadFile(f);
    absl::StatusOr<Json> result = Unwrap(text, "submitTransaction", std::nullopt);
    if (!HasError(text)) {
      ASSERT_TRUE(result.ok()) << f << ": " << result.status();
      EXPECT_TRUE(DecodeSubmitResult(*result).ok()) << f;
      ++ok;
      continue;
    }
    ASSERT_FALSE(result.ok()) << f;
    auto j = policy::json::ParseExact(text, "vector");
    ASSERT_TRUE(j.ok());
    int64_t code = std::stoll((*j)["error"]["code"].get<std::string>());
    if (code >= 3000) {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << f;
      EXPECT_FALSE(SubmitAdvice(code).empty()) << code;
    } else {
      EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << f;
    }
  }
  EXPECT_EQ(ok, 3);
}

TEST(OgmiosVectors, GoldenSubmitFailureAndUtxo) {
  fs::path dir = fs::path(STAKEWARD_SHARED_DIR) / "vectors/ogmios-v6.14/golden";
  std::string failure = ReadFile(dir / "SubmitTransactionFailure_1.json");
  ASSERT_FALSE(failure.empty());
  auto j = policy::json::ParseExact(failure, "golden");
  ASSERT_TRUE(j.ok());
  absl::Status st = ErrorStatus((*j)["error"], "submitTransaction");
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("collateral"), std::string::npos) << st;
  for (const char* name : {"Utxo_1.json", "Utxo_2.json", "Utxo_3.json", "Utxo_4.json"}) {
    std::string text = ReadFile(dir / name);
    ASSERT_FALSE(text.empty()) << name;
    auto u = policy::json::ParseExact(text, name);
    ASSERT_TRUE(u.ok()) << name;
    Json list = u->is_array() ? *u : Json::array({*u});
    EXPECT_TRUE(DecodeUtxo(list).ok()) << name << ": " << DecodeUtxo(list).status();
  }
}

// Every submit failure code of the v6.14 schema has its own advice, including those without a
// vector (3117, 3118, 3122, 3123, 3145, 3151).
TEST(OgmiosErrors, EverySchemaCodeHasAdvice) {
  std::vector<int64_t> codes = {3005, 3997, 3998};
  for (int64_t c = 3100; c <= 3168; ++c) codes.push_back(c);
  for (int64_t c : codes) EXPECT_FALSE(SubmitAdvice(c).empty()) << c;
  EXPECT_TRUE(SubmitAdvice(3169).empty());
  auto err = [](int64_t code) {
    Json e = {{"code", std::to_string(code)}, {"message", "x"}};
    return ErrorStatus(e, "submitTransaction");
  };
  EXPECT_NE(err(3117).message().find("already spent"), std::string::npos);
  EXPECT_NE(err(3118).message().find("TTL"), std::string::npos);
  EXPECT_NE(err(3122).message().find("fee"), std::string::npos);
  EXPECT_EQ(err(3122).code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace stakeward::chainsource::ogmios
