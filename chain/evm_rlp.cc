// RLP (Ethereum yellow paper appendix B; ethereum.org "Recursive-length prefix") with a strict,
// canonical-only decoder.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/evm.h"

namespace stakeward::chain::evm::rlp {
namespace {

constexpr uint8_t kShortString = 0x80;  // 0x80 + len, len <= 55
constexpr uint8_t kLongString = 0xb7;   // 0xb7 + len-of-len
constexpr uint8_t kShortList = 0xc0;    // 0xc0 + len, len <= 55
constexpr uint8_t kLongList = 0xf7;     // 0xf7 + len-of-len
constexpr size_t kMaxShortLength = 55;
// Nesting bound for untrusted input (transactions nest 3 levels at most: tx, access list, keys).
constexpr int kMaxDepth = 32;

void AppendHeader(uint8_t short_base, uint8_t long_base, size_t length, Bytes& out) {
  if (length <= kMaxShortLength) {
    out.push_back(static_cast<uint8_t>(short_base + length));
    return;
  }
  uint8_t be[8];
  int n = 0;
  for (size_t v = length; v != 0; v >>= 8) be[n++] = static_cast<uint8_t>(v);
  out.push_back(static_cast<uint8_t>(long_base + n));
  while (n > 0) out.push_back(be[--n]);
}

absl::Status Error(size_t offset, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("RLP error at byte ", offset, ": ", std::string(what)));
}

class Decoder {
 public:
  explicit Decoder(ByteView data) : data_(data) {}

  // Decodes one item from [pos_, end) and advances pos_.
  absl::StatusOr<Item> DecodeItem(size_t end, int depth) {
    if (depth > kMaxDepth) return Error(pos_, "nesting too deep");
    if (pos_ >= end) return Error(pos_, "truncated");
    const size_t start = pos_;
    const uint8_t b = data_[pos_++];
    Item item;
    if (b < kShortString) {
      item.bytes.push_back(b);
      return item;
    }
    const bool is_list = b >= kShortList;
    const uint8_t short_base = is_list ? kShortList : kShortString;
    const uint8_t long_base = is_list ? kLongList : kLongString;
    size_t length = 0;
    if (b <= long_base) {
      length = b - short_base;
    } else {
      const size_t len_of_len = b - long_base;
      if (len_of_len > end - pos_) return Error(start, "truncated length");
      if (data_[pos_] == 0) return Error(start, "length with a leading zero");
      if (len_of_len > sizeof(size_t)) return Error(start, "length too large");
      for (size_t i = 0; i < len_of_len; ++i) length = (length << 8) | data_[pos_++];
      if (length <= kMaxShortLength) return Error(start, "long form for a short length");
    }
    if (length > end - pos_) return Error(start, "length exceeds the input");
    const size_t item_end = pos_ + length;
    if (!is_list) {
      if (length == 1 && data_[pos_] < kShortString) {
        return Error(start, "single byte below 0x80 must not be wrapped");
      }
      item.bytes.assign(data_.begin() + pos_, data_.begin() + item_end);
      pos_ = item_end;
      return item;
    }
    item.is_list = true;
    while (pos_ < item_end) {
      absl::StatusOr<Item> child = DecodeItem(item_end, depth + 1);
      if (!child.ok()) return child.status();
      item.items.push_back(std::move(*child));
    }
    return item;
  }

  size_t pos() const { return pos_; }

 private:
  ByteView data_;
  size_t pos_ = 0;
};

}  // namespace

Bytes EncodeBytes(ByteView b) {
  if (b.size() == 1 && b[0] < kShortString) return Bytes{b[0]};
  Bytes out;
  out.reserve(b.size() + 9);
  AppendHeader(kShortString, kLongString, b.size(), out);
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes EncodeUint(const U256& v) {
  const Bytes minimal = v.MinimalBigEndian();
  return EncodeBytes(View(minimal));
}

Bytes EncodeList(const std::vector<Bytes>& encoded_items) {
  size_t total = 0;
  for (const Bytes& i : encoded_items) total += i.size();
  Bytes out;
  out.reserve(total + 9);
  AppendHeader(kShortList, kLongList, total, out);
  for (const Bytes& i : encoded_items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

absl::StatusOr<Item> Decode(ByteView data) {
  Decoder d(data);
  absl::StatusOr<Item> item = d.DecodeItem(data.size(), 0);
  if (!item.ok()) return item.status();
  if (d.pos() != data.size()) return Error(d.pos(), "trailing bytes");
  return item;
}

}  // namespace stakeward::chain::evm::rlp
