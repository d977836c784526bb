// Issue 16: the client profile and STAKEWARD_* variables: precedence, paths relative to the file,
// strict keys, bad values, explicit and absent profiles.
#include "controller/client/client_profile.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

namespace fs = std::filesystem;

class ClientProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("client-profile-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "home/.config/stakeward");
    env_["HOME"] = (dir_ / "home").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteProfile(const std::string& text) {
    std::ofstream(dir_ / "home/.config/stakeward/client.yaml") << text;
  }
  absl::StatusOr<ClientDefaults> Load() {
    return LoadClientDefaults([this](const char* name) -> std::optional<std::string> {
      auto it = env_.find(name);
      if (it == env_.end()) return std::nullopt;
      return it->second;
    });
  }

  fs::path dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(ClientProfileTest, NoProfileNoEnvironmentGivesTheBuiltInDefaults) {
  auto d = Load();
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->profile, "");
  EXPECT_EQ(d->options.server, ClientOptions().server);
  EXPECT_EQ(d->options.timeout_s, ClientOptions().timeout_s);
  EXPECT_EQ(d->source.at("server"), "default");
}

TEST_F(ClientProfileTest, ProfileSetsEverythingWithPathsRelativeToItself) {
  WriteProfile(
      "server: controller.example:7443\n"
      "tls:\n  cert: pki/alice.pem\n  key: /abs/alice.key\n  ca: ../ca.pem\n"
      "  server_name: controller.example\n"
      "timeout_s: 12\n");
  auto d = Load();
  ASSERT_TRUE(d.ok()) << d.status();
  const fs::path conf = dir_ / "home/.config/stakeward";
  EXPECT_EQ(d->profile, (conf / "client.yaml").string());
  EXPECT_EQ(d->options.server, "controller.example:7443");
  EXPECT_EQ(d->options.tls_cert, (conf / "pki/alice.pem").string());
  EXPECT_EQ(d->options.tls_key, "/abs/alice.key");
  EXPECT_EQ(d->options.tls_ca, (dir_ / "home/.config/ca.pem").string());
  EXPECT_EQ(d->options.tls_server_name, "controller.example");
  EXPECT_EQ(d->options.timeout_s, 12);
  EXPECT_EQ(d->source.at("tls.cert"), "profile");
  EXPECT_EQ(d->source.at("dev_role"), "default");
}

TEST_F(ClientProfileTest, EnvironmentWinsOverTheProfile) {
  WriteProfile("server: from-file:1\ntimeout_s: 12\n");
  env_["STAKEWARD_SERVER"] = "from-env:2";
  env_["STAKEWARD_TLS_CA"] = "ca.pem";  // relative to the working directory, as typed
  env_["STAKEWARD_TIMEOUT_S"] = "7";
  auto d = Load();
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->options.server, "from-env:2");
  EXPECT_EQ(d->options.tls_ca, "ca.pem");
  EXPECT_EQ(d->options.timeout_s, 7);
  EXPECT_EQ(d->source.at("server"), "env STAKEWARD_SERVER");
}

TEST_F(ClientProfileTest, XdgConfigHomeAndExplicitProfile) {
  fs::create_directories(dir_ / "xdg/stakeward");
  std::ofstream(dir_ / "xdg/stakeward/client.yaml") << "server: xdg:1\n";
  std::ofstream(dir_ / "explicit.yaml") << "server: explicit:1\n";
  WriteProfile("server: home:1\n");
  env_["XDG_CONFIG_HOME"] = (dir_ / "xdg").string();
  EXPECT_EQ(Load()->options.server, "xdg:1");
  env_["STAKEWARD_PROFILE"] = (dir_ / "explicit.yaml").string();
  EXPECT_EQ(Load()->options.server, "explicit:1");
  env_["STAKEWARD_PROFILE"] = "none";
  EXPECT_EQ(Load()->options.server, ClientOptions().server);
  EXPECT_EQ(Load()->profile, "");
}

TEST_F(ClientProfileTest, MissingExplicitProfileIsAnError) {
  env_["STAKEWARD_PROFILE"] = (dir_ / "nope.yaml").string();
  auto d = Load();
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(d.status().message().find("client profile"), std::string::npos) << d.status();
}

TEST_F(ClientProfileTest, BadProfilesAndVariablesAreRefusedWithTheReason) {
  struct Row {
    const char* profile;  // nullptr: no file
    const char* var;
    const char* value;
    const char* says;
  };
  const Row rows[] = {
      {"sever: x:1\n", nullptr, nullptr, "unknown key 'sever' (valid: server, tls, timeout_s"},
      {"tls:\n  keyfile: k.pem\n", nullptr, nullptr, "unknown key 'tls.keyfile'"},
      {"tls: k.pem\n", nullptr, nullptr, "tls must be a mapping"},
      {"timeout_s: 0\n", nullptr, nullptr, "timeout_s must be a whole number of seconds"},
      {"timeout_s: soon\n", nullptr, nullptr, "timeout_s must be"},
      {"[1, 2]\n", nullptr, nullptr, "expected a mapping"},
      {"server: [unclosed\n", nullptr, nullptr, "client.yaml"},
      {nullptr, "STAKEWARD_TIMEOUT_S", "99999", "STAKEWARD_TIMEOUT_S: timeout_s must be"},
      {nullptr, "STAKEWARD_TIMEOUT_S", "", "STAKEWARD_TIMEOUT_S"},
  };
  for (const Row& r : rows) {
    fs::remove(dir_ / "home/.config/stakeward/client.yaml");
    env_.erase("STAKEWARD_TIMEOUT_S");
    if (r.profile != nullptr) WriteProfile(r.profile);
    if (r.var != nullptr) env_[r.var] = r.value;
    auto d = Load();
    ASSERT_FALSE(d.ok()) << (r.profile ? r.profile : r.var);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find(r.says), std::string::npos) << d.status();
  }
}

TEST_F(ClientProfileTest, EmptyProfileIsNoSettings) {
  WriteProfile("");
  auto d = Load();
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->options.server, ClientOptions().server);
}

}  // namespace
}  // namespace stakeward::controller
