#include "firmware-mocks/ledger/apdu.h"

namespace stakeward::mocks::ledger {

std::optional<Apdu> ParseApdu(chain::ByteView raw) {
  if (raw.size() < 5 || raw.size() != 5u + raw[4]) return std::nullopt;
  Apdu a;
  a.cla = raw[0];
  a.ins = raw[1];
  a.p1 = raw[2];
  a.p2 = raw[3];
  a.data.assign(raw.begin() + 5, raw.end());
  return a;
}

chain::Bytes EncodeApdu(const Apdu& apdu) {
  chain::Bytes out = {apdu.cla, apdu.ins, apdu.p1, apdu.p2, static_cast<uint8_t>(apdu.data.size())};
  out.insert(out.end(), apdu.data.begin(), apdu.data.end());
  return out;
}

chain::Bytes Reply::Encode() const {
  chain::Bytes out = data;
  out.push_back(static_cast<uint8_t>(sw >> 8));
  out.push_back(static_cast<uint8_t>(sw & 0xff));
  return out;
}

bool Reader::Need(size_t n) {
  if (!ok_ || data_.size() - pos_ < n) {
    ok_ = false;
    return false;
  }
  return true;
}

bool Reader::U8(uint8_t* out) {
  if (!Need(1)) return false;
  *out = data_[pos_++];
  return true;
}

bool Reader::U32(uint32_t* out) {
  if (!Need(4)) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | data_[pos_++];
  *out = v;
  return true;
}

bool Reader::U64(uint64_t* out) {
  if (!Need(8)) return false;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | data_[pos_++];
  *out = v;
  return true;
}

bool Reader::Take(size_t n, chain::Bytes* out) {
  if (!Need(n)) return false;
  out->assign(data_.begin() + pos_, data_.begin() + pos_ + n);
  pos_ += n;
  return true;
}

bool Reader::Path(size_t max_len, chain::Path* out) {
  uint8_t n = 0;
  if (!U8(&n)) return false;
  if (n > max_len) {
    ok_ = false;
    return false;
  }
  chain::Path p;
  for (uint8_t i = 0; i < n; ++i) {
    uint32_t v = 0;
    if (!U32(&v)) return false;
    p.indexes.push_back(v);
  }
  *out = std::move(p);
  return true;
}

chain::Bytes Reader::Rest() {
  if (!ok_) return {};
  chain::Bytes out(data_.begin() + pos_, data_.end());
  pos_ = data_.size();
  return out;
}

void PutU32(chain::Bytes& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void PutU64(chain::Bytes& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

chain::Bytes EncodePath(const chain::Path& path) {
  chain::Bytes out = {static_cast<uint8_t>(path.indexes.size())};
  for (uint32_t i : path.indexes) PutU32(out, i);
  return out;
}

}  // namespace stakeward::mocks::ledger
