// Input files are bounded before they are read (issue 15: /dev/zero as a policy reached 2 GB).
#include "controller/model/bounded_read.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

namespace fs = std::filesystem;

class BoundedReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("bounded-read-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, size_t bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << std::string(bytes, 'x');
    return p.string();
  }
  fs::path dir_;
};

TEST_F(BoundedReadTest, ReadsAFileWithinTheLimit) {
  const size_t max = LimitOf(InputKind::kPem).max_bytes;
  auto text = ReadBoundedFile(Write("ok.pem", max), InputKind::kPem);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->size(), max);
  auto empty = ReadBoundedFile(Write("empty.pem", 0), InputKind::kPem);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
}

TEST_F(BoundedReadTest, RefusesAFileOneByteOverTheLimit) {
  const size_t max = LimitOf(InputKind::kPem).max_bytes;
  auto text = ReadBoundedFile(Write("big.pem", max + 1), InputKind::kPem);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(text.status().message().find("at most"), std::string::npos) << text.status();
}

TEST_F(BoundedReadTest, RefusesDevicesDirectoriesAndFifos) {
  const std::string fifo = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& path : {std::string("/dev/zero"), dir_.string(), fifo}) {
    auto text = ReadBoundedFile(path, InputKind::kPolicy);
    ASSERT_FALSE(text.ok()) << path;
    EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument) << path;
  }
}

TEST_F(BoundedReadTest, MissingFileIsNotFound) {
  auto text = ReadBoundedFile((dir_ / "missing.yaml").string(), InputKind::kPolicy);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace stakeward::controller
