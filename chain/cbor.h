// CBOR (RFC 8949) as Cardano hardware wallets need it: a canonical encoder (CIP-21: definite
// lengths, shortest heads, canonical map key order) and a strict, bounded decoder that remembers
// where every item sits in the input so callers can hash original bytes.
#ifndef STAKEWARD_CHAIN_CBOR_H_
#define STAKEWARD_CHAIN_CBOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "chain/bytes.h"

namespace stakeward::chain::cbor {

enum class MajorType : uint8_t {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimple = 7,  // false (20), true (21), null (22), undefined (23); floats are rejected
};

// Tag 258 marks a set (Conway), tag 30 a rational (unit interval), tag 259 Alonzo aux data.
inline constexpr uint64_t kTagSet = 258;
inline constexpr uint64_t kTagRational = 30;
inline constexpr uint64_t kTagAuxData = 259;

// Appends canonical CBOR to an internal buffer. Every call writes one head (and payload); the
// caller is responsible for writing as many items as the array/map headers announce.
class Writer {
 public:
  // Inline: the snapshot hash writes a head per number, most of them below 24.
  Writer& Uint(uint64_t v) {
    Head(MajorType::kUnsigned, v);
    return *this;
  }
  // Writes v as major type 0 when v >= 0, major type 1 otherwise.
  Writer& Int(int64_t v);
  // Writes the negative integer -1 - n (major type 1 with argument n); covers down to -2^64.
  Writer& NegativeArg(uint64_t n);
  Writer& Bytes(ByteView b);
  Writer& Text(std::string_view s);
  Writer& ArrayHeader(uint64_t count) {
    Head(MajorType::kArray, count);
    return *this;
  }
  Writer& MapHeader(uint64_t count) {
    Head(MajorType::kMap, count);
    return *this;
  }
  Writer& Tag(uint64_t tag);
  Writer& Bool(bool b);
  Writer& Null();
  // Appends an item that is already encoded.
  Writer& Raw(ByteView encoded);

  const chain::Bytes& data() const { return buf_; }
  chain::Bytes Take() { return std::move(buf_); }
  size_t size() const { return buf_.size(); }
  void Reserve(size_t n) { buf_.reserve(n); }
  // Drops what was written (capacity kept), for callers that stream the encoding in pieces.
  void Clear() { buf_.clear(); }

 private:
  void Head(MajorType type, uint64_t arg) {
    if (arg < 24) {
      buf_.push_back(static_cast<uint8_t>((static_cast<uint8_t>(type) << 5) | arg));
      return;
    }
    LongHead(type, arg);
  }
  void LongHead(MajorType type, uint64_t arg);
  chain::Bytes buf_;
};

// Canonical order of two encoded map keys (RFC 7049 §3.9 / CIP-21): shorter encoding first, then
// byte-wise lexicographic.
bool CanonicalKeyLess(ByteView a, ByteView b);

// Collects encoded (key, value) pairs and emits a map with keys in canonical order.
// Adding the same key twice is a programming error (aborts).
class MapBuilder {
 public:
  void Add(chain::Bytes key_cbor, chain::Bytes value_cbor);
  void AddUintKey(uint64_t key, chain::Bytes value_cbor);
  size_t size() const { return entries_.size(); }
  // Writes the map header and the sorted entries.
  void WriteTo(Writer& w) const;
  chain::Bytes Encode() const;

 private:
  std::vector<std::pair<chain::Bytes, chain::Bytes>> entries_;
};

// A decoded data item. `offset`/`length` locate the whole encoded item in the decoder's input.
// Payloads and children are views: into the decoder's input (which must outlive the item) and
// into the Document that owns the items (see Decode).
struct Item {
  MajorType type = MajorType::kUnsigned;
  // kUnsigned: the value. kNegative: n where the value is -1-n. kBytes/kText: byte length.
  // kArray/kMap: element/pair count. kTag: the tag number. kSimple: the simple value (20..23).
  uint64_t arg = 0;
  ByteView bytes;                   // kBytes payload; for kText the (validated UTF-8) text
  absl::Span<const Item> children;  // kArray: elements; kMap: k0, v0, k1, v1, ...; kTag: one child
  size_t offset = 0;
  size_t length = 0;

  // kText payload (64-byte items: the text shares the payload view with `bytes`).
  std::string_view text() const {
    return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

  bool IsUint() const { return type == MajorType::kUnsigned; }
  bool IsArray() const { return type == MajorType::kArray; }
  bool IsMap() const { return type == MajorType::kMap; }
  bool IsBytes() const { return type == MajorType::kBytes; }
  bool IsText() const { return type == MajorType::kText; }
  bool IsTag(uint64_t tag) const { return type == MajorType::kTag && arg == tag; }
  bool IsNull() const { return type == MajorType::kSimple && arg == 22; }
  bool IsBool() const { return type == MajorType::kSimple && (arg == 20 || arg == 21); }
  size_t map_size() const { return children.size() / 2; }
  const Item& map_key(size_t i) const { return children[2 * i]; }
  const Item& map_value(size_t i) const { return children[2 * i + 1]; }
};

// The items of one decoded input. Each container's children sit side by side in blocks the
// document owns (usually one allocation for the whole input, plus one per indefinite-length
// string, whose chunks are joined). Movable, not copyable (items point into it). The input must
// outlive it: payloads are views into the input.
class Document {
 public:
  Document() = default;
  Document(Document&&) = default;
  Document& operator=(Document&&) = default;
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const Item& root() const { return *root_; }

 private:
  friend class Decoder;
  const Item* root_ = nullptr;
  std::unique_ptr<unsigned char[]> first_block_;          // raw storage for the items ...
  std::vector<std::unique_ptr<unsigned char[]>> blocks_;  // ... and for those beyond it
  std::vector<std::unique_ptr<std::string>> joined_;      // indefinite strings' payloads
};

struct Limits {
  size_t max_depth = 64;          // nesting of arrays, maps and tags
  size_t max_items = 1u << 20;    // total decoded items
  bool require_canonical = true;  // shortest heads, sorted map keys
  bool allow_indefinite = false;  // CIP-21 forbids indefinite lengths
};

// Decodes exactly one item that must span the whole input (trailing bytes are an error).
// Errors are INVALID_ARGUMENT with the byte offset of the problem. Duplicate map keys, floats,
// reserved additional-info values, invalid UTF-8 and lengths beyond the input are always errors.
// The returned document's items view `data`: keep it alive while they are used.
absl::StatusOr<Document> Decode(ByteView data, const Limits& limits = {});

// Decodes one item from the start of `data`; sets *consumed to its encoded length.
absl::StatusOr<Document> DecodePrefix(ByteView data, size_t* consumed, const Limits& limits = {});

// Re-encodes a decoded item canonically (shortest heads, definite lengths, sorted map keys).
chain::Bytes EncodeCanonical(const Item& item);

// Returns the original bytes of an item decoded from `source`.
inline ByteView Span(ByteView source, const Item& item) {
  return source.subspan(item.offset, item.length);
}

}  // namespace stakeward::chain::cbor

#endif  // STAKEWARD_CHAIN_CBOR_H_
