// ImportCliDir: missing and malformed files are reported by name; the tip is parsed strictly.
#include "chainsource/cli_dir.h"

#include <filesystem>
#include <fstream>

#include "chainsource/json_read.h"
#include "gtest/gtest.h"

namespace stakeward::chainsource {
namespace {

namespace fs = std::filesystem;

class CliDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("sw_clidir_" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
};

const char* kTip =
    R"({"block": 7, "epoch": 510, "era": "Conway", "hash": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "slot": 130000000, "syncProgress": "100.00"})";

TEST_F(CliDirTest, MissingFilesAreNamed) {
  auto s = ImportCliDir(dir_.string(), chain::Network::kTestnet);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(s.status().message().find("tip.json"), std::string::npos) << s.status();
  Write("tip.json", kTip);
  s = ImportCliDir(dir_.string(), chain::Network::kTestnet);
  EXPECT_NE(s.status().message().find("protocol-parameters.json"), std::string::npos) << s.status();
  Write("protocol-parameters.json", R"({"stakePoolTargetNum": "x"})");
  s = ImportCliDir(dir_.string(), chain::Network::kTestnet);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("protocol-parameters.json"), std::string::npos) << s.status();
  EXPECT_FALSE(ImportCliDir((dir_ / "nope").string(), chain::Network::kTestnet).ok());
}

TEST(CliTip, StrictFields) {
  auto t = ParseCliTip(kTip);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->slot, 130000000u);
  EXPECT_EQ(t->epoch, 510u);
  EXPECT_EQ(t->block, 7u);
  EXPECT_FALSE(ParseCliTip(R"({"block": 7, "epoch": 510, "hash": "cc", "slot": 1})").ok());
  EXPECT_FALSE(ParseCliTip(R"({"block": 7, "epoch": 510, "slot": 1})").ok());
  EXPECT_FALSE(
      ParseCliTip(
          R"({"block": 7, "epoch": -1, "hash": "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "slot": 1})")
          .ok());
  EXPECT_FALSE(ParseCliTip("[").ok());
}

TEST(Relays, OneTextFormForEverySource) {
  EXPECT_EQ(CanonicalCliRelay(R"({"single host name":{"dnsName":"r.example","port":"3001"}})"),
            "r.example:3001");
  EXPECT_EQ(
      CanonicalCliRelay(R"({"single host address":{"IPv4":"10.0.0.1","IPv6":null,"port":"6000"}})"),
      "10.0.0.1:6000");
  EXPECT_EQ(CanonicalCliRelay(R"({"single host address":{"IPv4":null,"IPv6":"::1","port":"1"}})"),
            "[::1]:1");
  EXPECT_EQ(CanonicalCliRelay(R"({"multi host name":{"dnsName":"_r._tcp.example"}})"),
            "srv:_r._tcp.example");
  EXPECT_EQ(CanonicalCliRelay("relay.example:3001"), "relay.example:3001");
  EXPECT_EQ(RelayText("1.2.3.4", "::1", "", "", 3001), "1.2.3.4/[::1]:3001");
}

}  // namespace
}  // namespace stakeward::chainsource
