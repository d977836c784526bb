// KoiosSource against an in-test HTTP server answering with the examples of the Koios OpenAPI
// document (../shared/vectors/koios/koiosapi-mainnet.yaml), plus error and timeout cases.
#include <filesystem>
#include <map>
#include <string>

#include "chainsource/koios_source.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/chainsource/test_servers.h"
#include "yaml-cpp/yaml.h"

namespace stakeward::chainsource {
namespace {

using testing::HttpReply;
using testing::HttpServer;

class OpenApiExamples {
 public:
  explicit OpenApiExamples(const std::string& path) : root_(YAML::LoadFile(path)) {}

  // A one-row answer built from the property examples of components/schemas/<name>/items.
  std::string Rows(const std::string& schema) const {
    YAML::Node items = Resolve(Resolve(root_["components"]["schemas"][schema])["items"]);
    return "[" + Object(items) + "]";
  }
  std::string SubmitExample() const {
    return Json(root_["paths"]["/submittx"]["post"]["responses"]["202"]["content"]
                     ["application/json"]["example"]);
  }

 private:
  // YAML::Node assignment writes through to the referenced node; reset() only rebinds.
  YAML::Node Resolve(const YAML::Node& start) const {
    YAML::Node n;
    n.reset(start);
    for (int guard = 0; guard < 16 && n.IsMap() && n["$ref"]; ++guard) {
      std::string ref = n["$ref"].as<std::string>();
      YAML::Node cur;
      cur.reset(root_);
      size_t pos = 2;  // after "#/"
      while (pos <= ref.size()) {
        size_t next = ref.find('/', pos);
        if (next == std::string::npos) next = ref.size();
        const YAML::Node& c = cur;
        YAML::Node child = c[ref.substr(pos, next - pos)];
        cur.reset(child);
        pos = next + 1;
      }
      n.reset(cur);
    }
    return n;
  }
  std::string Object(const YAML::Node& schema) const {
    std::string out = "{";
    bool first = true;
    for (const auto& kv : schema["properties"]) {
      if (!first) out += ",";
      first = false;
      out += nlohmann::json(kv.first.as<std::string>()).dump() + ":" + Example(kv.second);
    }
    return out + "}";
  }
  std::string Example(const YAML::Node& prop) const {
    YAML::Node p = Resolve(prop);
    if (p["example"]) return Json(p["example"]);
    if (p["anyOf"]) {
      for (const auto& a : p["anyOf"]) {
        YAML::Node r = Resolve(a);
        if (r["example"]) return Json(r["example"]);
      }
    }
    if (p["properties"]) return Object(p);  // an object (or null) described by its members
    if (p["items"]) {
      YAML::Node it = Resolve(p["items"]);
      if (it["properties"]) return "[" + Object(it) + "]";
      if (it["example"]) return "[" + Json(it["example"]) + "]";
    }
    return "null";
  }
  // YAML → JSON text; plain numeric scalars are copied verbatim (exact).
  static std::string Json(const YAML::Node& n) {
    if (n.IsNull()) return "null";
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (n.Tag() != "!" && (IsNumber(s) || s == "true" || s == "false")) return s;
      return nlohmann::json(s).dump();
    }
    std::string out = n.IsSequence() ? "[" : "{";
    bool first = true;
    for (const auto& kv : n) {
      if (!first) out += ",";
      first = false;
      if (n.IsSequence()) {
        out += Json(kv);
      } else {
        out += nlohmann::json(kv.first.as<std::string>()).dump() + ":" + Json(kv.second);
      }
    }
    return out + (n.IsSequence() ? "]" : "}");
  }
  // -?digits[.digits][e[+-]digits]
  static bool IsNumber(const std::string& s) {
    size_t i = 0;
    auto digits = [&] {
      size_t start = i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
      return i > start;
    };
    if (i < s.size() && s[i] == '-') ++i;
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      if (!digits()) return false;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digits()) return false;
    }
    return i == s.size();
  }
  YAML::Node root_;
};

std::string YamlPath() {
  return std::string(STAKEWARD_SHARED_DIR) + "/vectors/koios/koiosapi-mainnet.yaml";
}

class KoiosExamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(YamlPath())) << YamlPath() << " is missing";
    OpenApiExamples ex(YamlPath());
    const std::map<std::string, std::string> schema_of = {{"/tip", "tip"},
                                                          {"/epoch_params", "epoch_params"},
                                                          {"/pool_list", "pool_list"},
                                                          {"/pool_info", "pool_info"},
                                                          {"/pool_history", "pool_history_info"},
                                                          {"/account_info", "account_info"},
                                                          {"/address_utxos", "utxo_infos"},
                                                          {"/totals", "totals"},
                                                          {"/tx_status", "tx_status"}};
    for (const auto& [path, schema] : schema_of) bodies_[path] = ex.Rows(schema);
    bodies_["/submittx"] = ex.SubmitExample();
    server_ = std::make_unique<HttpServer>(
        [this](const std::string& path, const std::string&, const std::string&) {
          auto it = bodies_.find(path);
          if (it == bodies_.end()) return HttpReply{404, "[]"};
          return HttpReply{path == "/submittx" ? 202 : 200, it->second};
        });
    auto src = KoiosSource::Create(server_->url());
    ASSERT_TRUE(src.ok());
    src_ = std::move(*src);
  }
  void TearDown() override {
    src_.reset();
    server_.reset();
  }
  std::map<std::string, std::string> bodies_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<KoiosSource> src_;
  const absl::Duration kDeadline = absl::Seconds(30);
};

TEST_F(KoiosExamplesTest, TipAndEpoch) {
  auto tip = src_->QueryTip(kDeadline);
  ASSERT_TRUE(tip.ok()) << tip.status();
  EXPECT_EQ(tip->slot, 49073930u);
  EXPECT_EQ(tip->height, 1794506u);
  EXPECT_EQ(chain::HexEncode(tip->hash),
            "2fa5178c5be950c7f40d6c74efe9b3dd12c4836dc3f3dd052cd1c2a12edd477f");
  EXPECT_EQ(*src_->QueryEpoch(kDeadline), 117u);
}

TEST_F(KoiosExamplesTest, EpochParams) {
  auto p = src_->QueryProtocolParameters(kDeadline);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->k, 500u);
  EXPECT_EQ(p->a0, policy::Ratio::Of(3, 10));
  EXPECT_EQ(p->rho, policy::Ratio::Of(3, 1000));
  EXPECT_EQ(p->tau, policy::Ratio::Of(1, 5));
  EXPECT_EQ(p->key_deposit, chain::Lovelace(2000000));
  EXPECT_EQ(p->min_fee_a, 44u);
  EXPECT_EQ(p->min_fee_b, chain::Lovelace(155381));
  EXPECT_EQ(p->coins_per_utxo_byte, 34482u);
  EXPECT_EQ(p->max_tx_size, 16384u);
  EXPECT_EQ(p->protocol_major, 10u);
}

TEST_F(KoiosExamplesTest, PoolsWithAgeStakeAndHistory) {
  auto pools = src_->QueryStakePools(kDeadline);
  ASSERT_TRUE(pools.ok()) << pools.status();
  ASSERT_EQ(pools->size(), 1u);
  const StakePool& p = (*pools)[0];
  EXPECT_EQ(chain::PoolIdBech32(p.id), "pool155efqn9xpcf73pphkk88cmlkdwx4ulkg606tne970qswczg3asc");
  EXPECT_EQ(p.registered_epoch, 324u);
  EXPECT_EQ(p.live_stake, 64328627680963u);
  EXPECT_EQ(p.live_pledge, 64328594406327u);
  EXPECT_EQ(p.pledge, 64000000000000u);
  EXPECT_EQ(p.margin, policy::Ratio::Of(1, 10));
  EXPECT_EQ(p.owners.size(), 1u);
  ASSERT_EQ(p.relays.size(), 1u);
  EXPECT_FALSE(p.retiring_epoch.has_value());
  EXPECT_EQ(p.ticker, "IOGP");  // pool_info meta_json.ticker's example
  auto perf = src_->QueryPoolPerformances({p.id}, kDeadline);
  ASSERT_TRUE(perf.ok()) << perf.status();
  ASSERT_EQ(perf->size(), 1u);
  ASSERT_EQ((*perf)[0].blocks.size(), 1u);
  const policy::EpochBlocks& b = (*perf)[0].blocks[0];
  EXPECT_EQ(b.epoch, 312u);
  EXPECT_EQ(b.made, 14u);
  // 13.512182543475783 % of 21600 blocks, exactly.
  EXPECT_EQ(b.expected, policy::Ratio::Of(13512182543475783ull * 216, 1000000000000000ull));
  EXPECT_EQ(src_->QueryLiveStakeDistribution(kDeadline).status().code(),
            absl::StatusCode::kUnimplemented);
}

// The ticker is the pool's own claim: one outside CIP-6 (lowercase, escapes, look-alike letters)
// is dropped, and the pool still counts.
TEST_F(KoiosExamplesTest, TickerOutsideCip6IsDropped) {
  std::string& body = bodies_["/pool_info"];
  const size_t at = body.find("\"IOGP\"");
  ASSERT_NE(at, std::string::npos) << body;
  body.replace(at, 6, "\"IOG\\u001b[2J\"");
  auto pools = src_->QueryStakePools(kDeadline);
  ASSERT_TRUE(pools.ok()) << pools.status();
  ASSERT_EQ(pools->size(), 1u);
  EXPECT_EQ((*pools)[0].ticker, "");
  EXPECT_EQ((*pools)[0].pledge, 64000000000000u);
}

TEST_F(KoiosExamplesTest, AccountsUtxosTotals) {
  auto addr = chain::ParseAddress("stake1u8yxtugdv63wxafy9d00nuz6hjyyp4qnggvc9a3vxh8yl0ckml2uz");
  ASSERT_TRUE(addr.ok());
  chain::Credential other{chain::Credential::Kind::kScriptHash, {}};
  auto acc =
      src_->QueryRewardAccounts(chain::Network::kMainnet, {addr->delegation, other}, kDeadline);
  ASSERT_TRUE(acc.ok()) << acc.status();
  ASSERT_EQ(acc->size(), 2u);
  EXPECT_TRUE((*acc)[0].registered);
  EXPECT_EQ((*acc)[0].rewards, 44352623297u);
  EXPECT_EQ((*acc)[0].deposit, 2000000u);
  ASSERT_TRUE((*acc)[0].pool.has_value());
  ASSERT_TRUE((*acc)[0].drep.has_value());
  EXPECT_EQ((*acc)[0].drep->kind, policy::DRepChoice::Kind::kDRep);
  EXPECT_FALSE((*acc)[1].registered);
  std::vector<std::string> addrs = {
      "addr1qxkfe8s6m8qt5436lec3f0320hrmpppwqgs2gah4360krvyssntpwjcz303mx3h4avg7p29l3zd8u3jyglmewds"
      "9ezrqdc3cxp"};
  auto utxos = src_->QueryUtxos(addrs, kDeadline);
  ASSERT_TRUE(utxos.ok()) << utxos.status();
  ASSERT_EQ(utxos->size(), 1u);
  EXPECT_EQ((*utxos)[0].lovelace, 157832856u);
  EXPECT_TRUE((*utxos)[0].has_assets);
  auto pots = src_->QueryTreasuryAndReserves(kDeadline);
  ASSERT_TRUE(pots.ok()) << pots.status();
  EXPECT_EQ(pots->treasury, 637024173474141u);
  EXPECT_EQ(pots->reserves, 11771504387608670u);
}

TEST_F(KoiosExamplesTest, SubmitAndStatus) {
  const uint8_t tx[] = {0x84, 0xa0};
  auto id = src_->SubmitTransaction(chain::ByteView(tx, 2), kDeadline);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(chain::HexEncode(*id),
            "92bcd06b25dfbd89b578d536b4d3b7dd269b7c2aa206ed518012cffe0444d67f");
  auto st = src_->TxStatus({*id}, kDeadline);
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_EQ(st->size(), 1u);
  EXPECT_EQ((*st)[0].confirmations, 17u);
  // Issue 13: the lifecycle's view of the same answer (the example row's transaction is on
  // chain, 17 deep; one Koios does not list is not applied).
  chain::Hash32 other{};
  other.fill(0x11);
  const WatchedTx watched[] = {{(*st)[0].tx, 1, {}}, {other, 1, {}}};
  auto seen = src_->ObserveTransactions(watched, kDeadline);
  ASSERT_TRUE(seen.ok()) << seen.status();
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_TRUE((*seen)[0].on_chain);
  EXPECT_EQ((*seen)[0].confirmations, 17u);
  EXPECT_FALSE((*seen)[0].inputs_unspent);
  EXPECT_FALSE((*seen)[1].on_chain);
  EXPECT_TRUE((*seen)[1].inputs_unspent);
}

absl::Status TipWith(int status, const std::string& body) {
  HttpServer server([&](const std::string&, const std::string&, const std::string&) {
    return HttpReply{status, body};
  });
  auto src = KoiosSource::Create(server.url());
  return (*src)->QueryTip(absl::Seconds(30)).status();
}

TEST(KoiosErrors, HttpAndBodyProblems) {
  EXPECT_EQ(TipWith(429, "").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(TipWith(503, "").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(TipWith(400, "{\"message\":\"bad\"}").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(TipWith(200, "not json").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TipWith(200, "{}").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TipWith(200, "[]").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TipWith(200, "[{\"hash\":5,\"abs_slot\":1,\"epoch_no\":1}]").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TipWith(200, "[{\"hash\":\"" + std::string(64, 'a') +
                             "\",\"abs_slot\":1e400,\"epoch_no\":1}]")
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KoiosErrors, SubmitRejectionIsFailedPrecondition) {
  HttpServer server([](const std::string&, const std::string&, const std::string&) {
    return HttpReply{400, "transaction submit error ShelleyTxValidationError ... FeeTooSmallUTxO"};
  });
  auto src = KoiosSource::Create(server.url());
  const uint8_t tx[] = {0x84};
  auto r = (*src)->SubmitTransaction(chain::ByteView(tx, 1), absl::Seconds(30));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("FeeTooSmallUTxO"), std::string::npos);
}

// A server that reads the request and never answers: the call ends at its deadline.
class SilentHttp : public testing::ServerBase {
 public:
  SilentHttp() { Start(); }
  ~SilentHttp() override { Stop(); }

 private:
  void Serve(testing::tcp::socket s) override {
    char buf[4096];
    boost::system::error_code ec;
    while (!ec) s.read_some(boost::asio::buffer(buf), ec);  // until the client gives up
  }
};

TEST(KoiosErrors, SilentServerHitsTheDeadline) {
  SilentHttp server;
  auto src = KoiosSource::Create("http://127.0.0.1:" + std::to_string(server.port()) + "/api/v1");
  auto tip = (*src)->QueryTip(absl::Milliseconds(300));
  EXPECT_EQ(tip.status().code(), absl::StatusCode::kDeadlineExceeded) << tip.status();
}

}  // namespace
}  // namespace stakeward::chainsource
