// Ledger short APDUs (CLA INS P1 P2 Lc data; specs/ledger.md §1.3), replies (data || SW) and a
// bounds-checked big-endian reader for APDU payloads.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_APDU_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_APDU_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "chain/bytes.h"
#include "chain/keys.h"

namespace stakeward::mocks::ledger {

// Generic status words (@ledgerhq/errors StatusCodes, specs/ledger.md §3).
inline constexpr uint16_t kSwOk = 0x9000;
inline constexpr uint16_t kSwClaNotSupported = 0x6E00;  // wrong app open / dashboard
inline constexpr uint16_t kSwInsNotSupported = 0x6D00;
inline constexpr uint16_t kSwIncorrectP1P2 = 0x6B00;
inline constexpr uint16_t kSwIncorrectData = 0x6A80;
inline constexpr uint16_t kSwConditionsNotSatisfied = 0x6985;  // Ethereum: rejected by user
inline constexpr uint16_t kSwWrongLength = 0x6983;             // app-ethereum "wrong data length"
inline constexpr uint16_t kSwTxTypeNotSupported = 0x6501;      // app-ethereum

struct Apdu {
  uint8_t cla = 0;
  uint8_t ins = 0;
  uint8_t p1 = 0;
  uint8_t p2 = 0;
  chain::Bytes data;
};

// Parses a raw APDU. Returns nullopt if shorter than 5 bytes or if Lc disagrees with the length
// (the Cardano app answers 0x6E01 then, src/main.c).
std::optional<Apdu> ParseApdu(chain::ByteView raw);
chain::Bytes EncodeApdu(const Apdu& apdu);

struct Reply {
  chain::Bytes data;
  uint16_t sw = kSwOk;
  static Reply Sw(uint16_t sw) { return Reply{{}, sw}; }
  static Reply Ok(chain::Bytes data = {}) { return Reply{std::move(data), kSwOk}; }
  chain::Bytes Encode() const;  // data || SW1 SW2
};

// Sequential reader over an APDU payload. Every getter returns false (and leaves the output
// untouched) when the payload is too short; the reader then stays failed.
class Reader {
 public:
  explicit Reader(chain::ByteView data) : data_(data) {}
  bool U8(uint8_t* out);
  bool U32(uint32_t* out);
  bool U64(uint64_t* out);
  bool Take(size_t n, chain::Bytes* out);
  template <size_t N>
  bool Fixed(std::array<uint8_t, N>* out) {
    if (!Need(N)) return false;
    std::copy(data_.begin() + pos_, data_.begin() + pos_ + N, out->begin());
    pos_ += N;
    return true;
  }
  // u8 count then count x u32be; at most max_len elements.
  bool Path(size_t max_len, chain::Path* out);
  chain::Bytes Rest();
  size_t remaining() const { return ok_ ? data_.size() - pos_ : 0; }
  bool AtEnd() const { return ok_ && pos_ == data_.size(); }
  bool ok() const { return ok_; }

 private:
  bool Need(size_t n);
  chain::ByteView data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void PutU32(chain::Bytes& out, uint32_t v);
void PutU64(chain::Bytes& out, uint64_t v);
chain::Bytes EncodePath(const chain::Path& path);  // u8 n || n x u32be

}  // namespace stakeward::mocks::ledger

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_APDU_H_
