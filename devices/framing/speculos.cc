#include "devices/framing/speculos.h"

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::devices::framing {
namespace {
uint32_t Be32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
         static_cast<uint32_t>(p[2]) << 8 | p[3];
}
}  // namespace

chain::Bytes SpeculosFrame(chain::ByteView apdu) {
  chain::Bytes out;
  uint32_t n = static_cast<uint32_t>(apdu.size());
  out.push_back(static_cast<uint8_t>(n >> 24));
  out.push_back(static_cast<uint8_t>(n >> 16));
  out.push_back(static_cast<uint8_t>(n >> 8));
  out.push_back(static_cast<uint8_t>(n));
  out.insert(out.end(), apdu.begin(), apdu.end());
  return out;
}

absl::Status SpeculosReassembler::Add(chain::ByteView bytes) {
  buf_.insert(buf_.end(), bytes.begin(), bytes.end());
  if (buf_.size() >= 4) {
    uint32_t m = Be32(buf_.data());
    if (m > kSpeculosMaxResponse) {
      return absl::DataLossError(absl::StrCat("Speculos: response announces ", m, " bytes"));
    }
    if (buf_.size() > 4 + m + 2) {
      return absl::DataLossError("Speculos: unexpected bytes after the response");
    }
  }
  return absl::OkStatus();
}

bool SpeculosReassembler::done() const {
  return buf_.size() >= 4 && buf_.size() == 4 + static_cast<size_t>(Be32(buf_.data())) + 2;
}

chain::Bytes SpeculosReassembler::Take() {
  SW_CHECK(done());
  return chain::Bytes(buf_.begin() + 4, buf_.end());
}

}  // namespace stakeward::devices::framing
