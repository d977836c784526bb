// Issue 15: listen addresses are parsed (port 0..65535, loopback by address, not by text prefix),
// dev mode keeps both endpoints on loopback, and certificate fingerprints and CNs live in
// separate role tables.
#include <string>

#include "controller/daemon/daemon_config.h"
#include "controller/daemon/roles.h"
#include "controller/daemon/server.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

struct AddrRow {
  const char* listen;
  bool valid;
  int port;
};

TEST(ListenConfigTest, HostPortIsParsedAndPortIsInRange) {
  const AddrRow rows[] = {
      {"127.0.0.1:0", true, 0},
      {"127.0.0.1:7443", true, 7443},
      {"0.0.0.0:65535", true, 65535},
      {"[::1]:9", true, 9},
      {"localhost:1", true, 1},
      {"127.0.0.1:99999", false, 0},  // used to listen on 99999 mod 65536 = 34463
      {"127.0.0.1:65536", false, 0},
      {"127.0.0.1:", false, 0},
      {"127.0.0.1:+1", false, 0},
      {"127.0.0.1:-1", false, 0},
      {"127.0.0.1:0x10", false, 0},
      {"127.0.0.1", false, 0},
      {":7443", false, 0},
      {"::1:7443", false, 0},
      {"[::1]7443", false, 0},
      {"[nope]:1", false, 0},
      {"a b:1", false, 0},
  };
  for (const AddrRow& r : rows) {
    absl::StatusOr<HostPort> hp = ParseHostPort(r.listen);
    EXPECT_EQ(hp.ok(), r.valid) << r.listen;
    if (hp.ok()) {
      EXPECT_EQ(hp->port, r.port) << r.listen;
    }
  }
}

TEST(ListenConfigTest, LoopbackIsAnAddressNotATextPrefix) {
  for (const char* yes : {"127.0.0.1:0", "127.255.3.4:1", "[::1]:0", "localhost:7443"}) {
    EXPECT_TRUE(IsLoopbackListen(yes)) << yes;
  }
  for (const char* no : {"127.example.com:0", "127.0.0.1.nip.io:0", "localhost.evil.org:0",
                         "0.0.0.0:0", "10.0.0.5:0", "[::]:0", "128.0.0.1:0", "127.0.0.1:99999"}) {
    EXPECT_FALSE(IsLoopbackListen(no)) << no;
  }
}

TEST(ListenConfigTest, DevModeKeepsBothEndpointsOnLoopback) {
  DaemonConfig cfg;
  cfg.dev = true;
  cfg.listen = "127.0.0.1:0";
  EXPECT_TRUE(ValidateDaemonConfig(cfg).ok());
  cfg.metrics_listen = "127.0.0.1:0";
  EXPECT_TRUE(ValidateDaemonConfig(cfg).ok());
  cfg.metrics_listen = "0.0.0.0:0";
  EXPECT_FALSE(ValidateDaemonConfig(cfg).ok());
  cfg.metrics_listen = "127.example.com:0";
  EXPECT_FALSE(ValidateDaemonConfig(cfg).ok());
  cfg.metrics_listen = "";
  cfg.listen = "127.example.com:0";
  EXPECT_FALSE(ValidateDaemonConfig(cfg).ok());
  // Outside dev mode (mTLS) any address is allowed, but it must still be host:port.
  cfg.dev = false;
  cfg.listen = "0.0.0.0:7443";
  cfg.metrics_listen = "0.0.0.0:9464";
  EXPECT_TRUE(ValidateDaemonConfig(cfg).ok());
  cfg.listen = "127.0.0.1:99999";
  EXPECT_FALSE(ValidateDaemonConfig(cfg).ok());
  cfg.listen = "127.0.0.1:0";
  cfg.metrics_listen = "127.0.0.1:99999";
  EXPECT_FALSE(ValidateDaemonConfig(cfg).ok());
}

TEST(ListenConfigTest, FingerprintsAndCommonNamesAreSeparateTables) {
  const std::string alice_fp = "sha256:" + std::string(64, 'a');
  DaemonConfig cfg;
  ASSERT_TRUE(ParseDaemonConfig("roles:\n  ops-1: operator\n  \"sha256:" + std::string(64, 'A') +
                                    "\": signer:alice\n",
                                cfg)
                  .ok());
  ASSERT_EQ(cfg.roles.by_fingerprint.count(alice_fp), 1u);  // stored lower case
  EXPECT_EQ(cfg.roles.by_cn.count("ops-1"), 1u);
  EXPECT_TRUE(cfg.roles.by_cn.empty() || cfg.roles.by_cn.count(alice_fp) == 0);

  const std::string* r = LookupRole(cfg.roles, alice_fp, "whatever");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(*r, "signer:alice");
  r = LookupRole(cfg.roles, "sha256:" + std::string(64, 'b'), "ops-1");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(*r, "operator");
  // A CA-issued certificate whose CN is alice's fingerprint is not alice.
  EXPECT_EQ(LookupRole(cfg.roles, "sha256:" + std::string(64, 'c'), alice_fp), nullptr);
  EXPECT_EQ(LookupRole(cfg.roles, "", alice_fp), nullptr);

  // A "sha256:" key that is not a whole fingerprint is a config error, not a CN.
  DaemonConfig bad;
  EXPECT_FALSE(ParseDaemonConfig("roles:\n  \"sha256:abc\": operator\n", bad).ok());
  EXPECT_FALSE(
      ParseDaemonConfig("roles:\n  \"sha256:" + std::string(64, 'g') + "\": operator\n", bad).ok());
}

// Issue 15: the stream caps are configurable, with strict keys and bounds.
TEST(ListenConfigTest, StreamCapsParseWithStrictKeysAndBounds) {
  DaemonConfig cfg;
  ASSERT_TRUE(
      ParseDaemonConfig("streams:\n  per_caller: 4\n  total: 40\n  max_seconds: 600\n", cfg).ok());
  EXPECT_EQ(cfg.streams.per_caller, 4);
  EXPECT_EQ(cfg.streams.total, 40);
  EXPECT_EQ(cfg.streams.max_duration, absl::Seconds(600));
  DaemonConfig bad;
  absl::Status unknown = ParseDaemonConfig("streams:\n  per_calller: 4\n", bad);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("valid: per_caller, total, max_seconds"), std::string::npos);
  EXPECT_FALSE(ParseDaemonConfig("streams:\n  total: 0\n", bad).ok());
  EXPECT_FALSE(ParseDaemonConfig("streams:\n  total: 10001\n", bad).ok());
  EXPECT_FALSE(ParseDaemonConfig("streams: 5\n", bad).ok());
  EXPECT_FALSE(ParseDaemonConfig("streams:\n  total: many\n", bad).ok());
}

// Issue 13: the chain link is one source with bounded numbers and strict keys.
TEST(ListenConfigTest, ChainSectionParsesWithStrictKeysAndOneSource) {
  DaemonConfig cfg;
  ASSERT_TRUE(ParseDaemonConfig("chain:\n  ogmios: ws://127.0.0.1:1337\n  confirmations: 5\n"
                                "  poll_seconds: 30\n",
                                cfg)
                  .ok());
  EXPECT_EQ(cfg.chain.kind, "ogmios");
  EXPECT_EQ(cfg.chain.url, "ws://127.0.0.1:1337");
  EXPECT_EQ(cfg.chain.confirmations, 5u);
  EXPECT_EQ(cfg.chain.poll_seconds, 30u);
  EXPECT_EQ(cfg.chain.deadline_seconds, 10u);  // default kept
  struct Row {
    const char* name;
    const char* yaml;
    const char* says;
  };
  const Row rows[] = {
      {"unknown key", "chain:\n  ogmios: ws://h:1\n  confirmation: 3\n", "valid: ogmios, koios"},
      {"two sources", "chain:\n  ogmios: ws://h:1\n  koios: https://k\n", "one source"},
      {"no source", "chain:\n  confirmations: 3\n", "needs a source"},
      {"zero depth", "chain:\n  ogmios: ws://h:1\n  confirmations: 0\n", "must be 1 to"},
      {"huge poll", "chain:\n  ogmios: ws://h:1\n  poll_seconds: 100000\n", "must be 1 to"},
      {"not a mapping", "chain: ws://h:1\n", "must be a mapping"},
  };
  for (const Row& r : rows) {
    DaemonConfig bad;
    absl::Status s = ParseDaemonConfig(r.yaml, bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << r.name;
    EXPECT_NE(s.message().find(r.says), std::string::npos) << r.name << ": " << s.message();
  }
}

// Issue 16: a misspelt key anywhere is refused and the error lists the valid ones; inside tls: it
// used to be ignored, leaving TLS half configured.
TEST(ListenConfigTest, MisspeltKeysAreRefusedWithTheValidOnes) {
  struct Row {
    const char* yaml;
    const char* says;
  };
  const Row rows[] = {
      {"tls:\n  cert: a.pem\n  keyfile: b.pem\n",
       "unknown key 'tls.keyfile' (valid: cert, key, ca)"},
      {"tls:\n  certificate: a.pem\n", "unknown key 'tls.certificate'"},
      {"tls: a.pem\n", "tls must be a mapping"},
      {"listne: 127.0.0.1:1\n", "unknown key 'listne' (valid: db, listen, metrics_listen"},
  };
  for (const Row& r : rows) {
    DaemonConfig bad;
    absl::Status s = ParseDaemonConfig(r.yaml, bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << r.yaml;
    EXPECT_NE(s.message().find(r.says), std::string::npos) << r.yaml << ": " << s.message();
  }
  DaemonConfig ok;
  ASSERT_TRUE(ParseDaemonConfig("tls:\n  cert: a.pem\n  key: b.pem\n  ca: c.pem\n", ok).ok());
  EXPECT_EQ(ok.tls_cert, "a.pem");
  EXPECT_EQ(ok.tls_key, "b.pem");
  EXPECT_EQ(ok.tls_ca, "c.pem");
}

// Paths in the config file are relative to the file's folder (issue 16: they resolved against
// the daemon's working directory); absolute paths and the other keys are left as written.
TEST(DaemonConfig, RelativePathsAreRelativeToTheConfigFile) {
  DaemonConfig cfg;
  ASSERT_TRUE(
      ParseDaemonConfig("db: data/sw.db\nlisten: 127.0.0.1:0\ntls:\n  cert: pki/server.pem\n"
                        "  key: ../keys/server.key\n  ca: /etc/ca.pem\n",
                        cfg, "/etc/stakeward")
          .ok());
  EXPECT_EQ(cfg.db, "/etc/stakeward/data/sw.db");
  EXPECT_EQ(cfg.tls_cert, "/etc/stakeward/pki/server.pem");
  EXPECT_EQ(cfg.tls_key, "/etc/keys/server.key");
  EXPECT_EQ(cfg.tls_ca, "/etc/ca.pem");
  EXPECT_EQ(cfg.listen, "127.0.0.1:0");
  // A config file named without a folder: relative to the working directory, as before.
  DaemonConfig here;
  ASSERT_TRUE(ParseDaemonConfig("db: sw.db\n", here, "").ok());
  EXPECT_EQ(here.db, "sw.db");
}

}  // namespace
}  // namespace stakeward::controller
