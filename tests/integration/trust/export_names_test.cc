// `stakeward proposal export` writes files whose names it makes itself ("<id>-<n>.signed.json"),
// never the names a controller sends (issue 15: a controller named a file ".bashrc").
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/trust/fake_controller.h"

namespace stakeward::controller::testing {
namespace {

namespace fs = std::filesystem;

struct NameRow {
  const char* test_name;
  const char* sent_name;  // the controller's name for file 0
  bool accepted;
};

class ExportNamesTest : public ::testing::TestWithParam<NameRow> {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("export-names-" + std::string(GetParam().test_name) + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "out");
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(ExportNamesTest, OnlyTheCliChoosesFileNames) {
  RecordedRound round;
  v1::TextEnvelopeFile* f = round.exported.add_files();
  f->set_name(GetParam().sent_name);
  f->set_json("{\"type\": \"Tx ConwayEra\"}\n");
  FakeController fake(round);
  ASSERT_TRUE(fake.Start());
  const std::string cmd = std::string(STAKEWARD_BIN_DIR) +
                          "/stakeward proposal export prop-0123abcd --server " + fake.Address() +
                          " --dev-role operator --out-dir " + (dir_ / "out").string() +
                          " >/dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  std::vector<std::string> written;
  for (const auto& e : fs::recursive_directory_iterator(dir_)) {
    if (e.is_regular_file()) written.push_back(e.path().lexically_relative(dir_).string());
  }
  if (GetParam().accepted) {
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(written, std::vector<std::string>{"out/prop-0123abcd-0.signed.json"});
  } else {
    EXPECT_NE(WEXITSTATUS(status), 0);
    EXPECT_TRUE(written.empty()) << written.front();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, ExportNamesTest,
    ::testing::Values(NameRow{"Honest", "prop-0123abcd-0.signed.json", true},
                      NameRow{"Dotfile", ".bashrc", false},
                      NameRow{"ParentDir", "../prop-0123abcd-0.signed.json", false},
                      NameRow{"OtherProposal", "prop-ffff-0.signed.json", false},
                      NameRow{"Empty", "", false}),
    [](const ::testing::TestParamInfo<NameRow>& i) { return std::string(i.param.test_name); });

}  // namespace
}  // namespace stakeward::controller::testing
