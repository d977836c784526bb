// Canonical CBOR writer and strict, bounded CBOR decoder (RFC 8949; canonical rules of RFC 7049
// §3.9 as CIP-21 requires them).
#include "chain/cbor.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <type_traits>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/utf8.h"

namespace stakeward::chain::cbor {

// ---------------------------------------------------------------------------------------------
// Writer

namespace {
uint64_t BigEndian64(uint64_t v) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return __builtin_bswap64(v);
#else
  return v;
#endif
}
}  // namespace

void Writer::LongHead(MajorType type, uint64_t arg) {
  const uint8_t mt = static_cast<uint8_t>(type) << 5;
  uint8_t ai = 27;
  size_t len = 8;
  if (arg <= 0xff) {
    ai = 24;
    len = 1;
  } else if (arg <= 0xffff) {
    ai = 25;
    len = 2;
  } else if (arg <= 0xffffffffULL) {
    ai = 26;
    len = 4;
  }
  // The argument big-endian in its last `len` bytes, stored with one copy (no per-byte loop).
  const uint64_t be = BigEndian64(arg << (8 * (8 - len)));
  const size_t at = buf_.size();
  buf_.resize(at + 1 + len);
  buf_[at] = mt | ai;
  std::memcpy(buf_.data() + at + 1, &be, len);
}

Writer& Writer::Int(int64_t v) {
  if (v >= 0) {
    Head(MajorType::kUnsigned, static_cast<uint64_t>(v));
  } else {
    // -1 - v computed without overflow for INT64_MIN.
    Head(MajorType::kNegative, static_cast<uint64_t>(-(v + 1)));
  }
  return *this;
}

Writer& Writer::NegativeArg(uint64_t n) {
  Head(MajorType::kNegative, n);
  return *this;
}

Writer& Writer::Bytes(ByteView b) {
  Head(MajorType::kBytes, b.size());
  buf_.insert(buf_.end(), b.begin(), b.end());
  return *this;
}

Writer& Writer::Text(std::string_view s) {
  Head(MajorType::kText, s.size());
  buf_.insert(buf_.end(), s.begin(), s.end());
  return *this;
}

Writer& Writer::Tag(uint64_t tag) {
  Head(MajorType::kTag, tag);
  return *this;
}

Writer& Writer::Bool(bool b) {
  buf_.push_back(b ? 0xf5 : 0xf4);
  return *this;
}

Writer& Writer::Null() {
  buf_.push_back(0xf6);
  return *this;
}

Writer& Writer::Raw(ByteView encoded) {
  buf_.insert(buf_.end(), encoded.begin(), encoded.end());
  return *this;
}

bool CanonicalKeyLess(ByteView a, ByteView b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

void MapBuilder::Add(chain::Bytes key_cbor, chain::Bytes value_cbor) {
  for (const auto& e : entries_) SW_CHECK(e.first != key_cbor);
  entries_.emplace_back(std::move(key_cbor), std::move(value_cbor));
}

void MapBuilder::AddUintKey(uint64_t key, chain::Bytes value_cbor) {
  Writer k;
  k.Uint(key);
  Add(k.Take(), std::move(value_cbor));
}

void MapBuilder::WriteTo(Writer& w) const {
  std::vector<const std::pair<chain::Bytes, chain::Bytes>*> sorted;
  sorted.reserve(entries_.size());
  for (const auto& e : entries_) sorted.push_back(&e);
  std::sort(sorted.begin(), sorted.end(), [](const auto* x, const auto* y) {
    return CanonicalKeyLess(View(x->first), View(y->first));
  });
  w.MapHeader(sorted.size());
  for (const auto* e : sorted) {
    w.Raw(View(e->first));
    w.Raw(View(e->second));
  }
}

chain::Bytes MapBuilder::Encode() const {
  Writer w;
  WriteTo(w);
  return w.Take();
}

// ---------------------------------------------------------------------------------------------
// Decoder
//
// One pass. Items are placed in blocks of raw storage owned by the document: a container's
// children take the next run of slots, so they sit side by side and never move; payloads are
// views into the input. A decode of a transaction costs one allocation.

static_assert(std::is_trivially_destructible_v<Item>, "blocks are freed without destructors");

class Decoder {
 public:
  Decoder(ByteView data, const Limits& limits) : data_(data), limits_(limits) {}

  absl::StatusOr<Document> Run(size_t* consumed) {
    // Items are fewer than input bytes; a quarter covers a transaction (32-byte hashes), and
    // more blocks follow when it does not.
    block_size_ = std::clamp<size_t>(data_.size() / 4 + 4, 16, 4096);
    Item* root = Alloc(1);
    if (!Fill(*root, 0)) return error_;
    doc_.root_ = root;
    *consumed = pos_;
    return std::move(doc_);
  }

  static absl::Status Error(size_t offset, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("CBOR error at byte ", offset, ": ", what));
  }

 private:
  // The walk returns false on the first problem, kept here (the hot path carries no Status).
  ABSL_ATTRIBUTE_NOINLINE bool Fail(size_t at, absl::string_view what) {
    error_ = Error(at, what);
    return false;
  }
  ABSL_ATTRIBUTE_NOINLINE bool FailLimits(size_t at, bool depth) {
    return Fail(at, depth ? absl::StrCat("nesting deeper than ", limits_.max_depth)
                          : absl::StrCat("more than ", limits_.max_items, " items"));
  }
  size_t remaining() const { return data_.size() - pos_; }
  bool AtBreak() const { return data_[pos_] == 0xff; }

  // Storage for `n` items side by side; Fill constructs each. `n` was checked against the input
  // and the item budget, so a block is never larger than the input warrants.
  Item* Alloc(size_t n) {
    if (static_cast<size_t>(end_ - free_) < n) {
      const size_t size = std::max(n, block_size_);
      block_size_ = std::min<size_t>(block_size_ * 2, 1 << 16);
      auto& block = doc_.first_block_ == nullptr ? doc_.first_block_ : doc_.blocks_.emplace_back();
      block.reset(new unsigned char[size * sizeof(Item)]);
      free_ = reinterpret_cast<Item*>(block.get());
      end_ = free_ + size;
    }
    Item* out = free_;
    free_ += n;
    return out;
  }

  bool Fill(Item& slot, size_t depth) {
    if (depth > limits_.max_depth) return FailLimits(pos_, true);
    if (++items_ > limits_.max_items) return FailLimits(pos_, false);
    const size_t start = pos_;
    uint8_t ib = 0;  // set by ReadHead (initialised: GCC cannot see it through every inlining)
    uint64_t arg = 0;
    bool indefinite = false;
    if (!ReadHead(ib, arg, indefinite)) return false;
    if (indefinite) ++noncanonical_;
    Item& out = *new (&slot) Item{
        .type = static_cast<MajorType>(ib >> 5), .arg = arg, .bytes = {}, .children = {}};
    out.offset = start;
    bool ok = true;
    switch (out.type) {
      case MajorType::kUnsigned:
      case MajorType::kNegative:
        break;
      case MajorType::kBytes:
      case MajorType::kText:
        ok = indefinite ? JoinChunks(out) : Payload(out, start, arg);
        break;
      case MajorType::kArray:
      case MajorType::kMap:
        ok = indefinite ? FillIndefinite(out, depth) : FillContainer(out, start, depth);
        break;
      case MajorType::kTag: {
        Item* child = Alloc(1);
        out.children = absl::Span<const Item>(child, 1);
        ok = Fill(*child, depth + 1);
        break;
      }
      case MajorType::kSimple:
        if (arg < 20 || arg > 23) {
          return Fail(start, absl::StrCat("unsupported simple value ", arg));
        }
        break;
    }
    out.length = pos_ - start;
    return ok;
  }

  bool Payload(Item& out, size_t at, uint64_t len) {
    // The length is checked against the remaining input before anything is read or allocated.
    if (len > remaining()) {
      return Fail(at,
                  absl::StrCat("length ", len, " exceeds the remaining ", remaining(), " bytes"));
    }
    const ByteView p = data_.subspan(pos_, len);
    pos_ += len;
    out.bytes = p;
    if (out.type == MajorType::kText && !IsValidUtf8(out.text())) {
      return Fail(at, "invalid UTF-8 in text string");
    }
    return true;
  }

  // An indefinite string: definite chunks of the same major type, then a break. Each chunk is
  // valid UTF-8 on its own (RFC 8949 §3.2.3).
  bool JoinChunks(Item& out) {
    auto& joined = doc_.joined_.emplace_back(std::make_unique<std::string>());
    for (;;) {
      if (remaining() < 1) return Fail(pos_, "unterminated indefinite string");
      if (AtBreak()) {
        ++pos_;
        break;
      }
      const size_t at = pos_;
      uint8_t ib;
      uint64_t len;
      bool nested;
      if (!ReadHead(ib, len, nested)) return false;
      if ((ib >> 5) != static_cast<uint8_t>(out.type) || nested) {
        return Fail(at, "invalid chunk in indefinite string");
      }
      if (++items_ > limits_.max_items) return Fail(at, "too many items");
      Item chunk{.type = out.type, .arg = 0, .bytes = {}, .children = {}};
      if (!Payload(chunk, at, len)) return false;
      joined->append(chunk.text());
    }
    out.arg = joined->size();
    out.bytes = View(*joined);
    return true;
  }

  // The commonest children in a transaction, small unsigned integers and byte strings of 24 to
  // 255 bytes (hashes, keys, signatures, addresses), are read here without the general walk. The
  // checks and the item are Fill's; anything else, or anything Fill would refuse, goes to Fill.
  bool FillChild(Item& slot, size_t depth) {
    if (remaining() >= 2 && depth <= limits_.max_depth && items_ < limits_.max_items) {
      const uint8_t ib = data_[pos_];
      if (ib < 0x18) {
        ++items_;
        new (&slot) Item{.type = MajorType::kUnsigned, .arg = ib, .bytes = {}, .children = {}};
        slot.offset = pos_;
        slot.length = 1;
        ++pos_;
        return true;
      }
      const size_t len = data_[pos_ + 1];
      if (ib == 0x58 && len >= 24 && len <= remaining() - 2) {
        ++items_;
        new (&slot) Item{.type = MajorType::kBytes,
                         .arg = len,
                         .bytes = data_.subspan(pos_ + 2, len),
                         .children = {}};
        slot.offset = pos_;
        slot.length = len + 2;
        pos_ += len + 2;
        return true;
      }
    }
    return Fill(slot, depth);
  }

  bool FillContainer(Item& out, size_t start, size_t depth) {
    const bool is_map = out.type == MajorType::kMap;
    // Every item takes at least one byte: a count beyond the remaining input is a lie. (A shift,
    // not a division: this runs once per container.)
    if (out.arg > (is_map ? remaining() >> 1 : remaining())) {
      return Fail(start, absl::StrCat("count ", out.arg, " exceeds the remaining input"));
    }
    const size_t n = is_map ? out.arg * 2 : out.arg;
    if (n > limits_.max_items - std::min(items_, limits_.max_items)) {
      return Fail(start, absl::StrCat("more than ", limits_.max_items, " items"));
    }
    Item* kids = Alloc(n);
    out.children = absl::Span<const Item>(kids, n);
    if (!is_map) {
      for (size_t i = 0; i < n; ++i) {
        if (!FillChild(kids[i], depth + 1)) return false;
      }
      return true;
    }
    bool keys_canonical = true;
    for (size_t i = 0; i < n; i += 2) {
      const size_t before = noncanonical_;
      if (!FillChild(kids[i], depth + 1)) return false;
      keys_canonical = keys_canonical && noncanonical_ == before;
      if (!FillChild(kids[i + 1], depth + 1)) return false;
    }
    return CheckMapKeys(out, keys_canonical);
  }

  // Children are decoded into a scratch list (their own children are already in place), then
  // copied to one run of slots.
  bool FillIndefinite(Item& out, size_t depth) {
    const bool is_map = out.type == MajorType::kMap;
    std::vector<Item> kids;
    std::vector<bool> key_canonical;
    kids.reserve(8);
    for (;;) {
      if (remaining() < 1) return Fail(pos_, "unterminated indefinite container");
      if (AtBreak()) {
        ++pos_;
        break;
      }
      for (int k = 0; k < (is_map ? 2 : 1); ++k) {
        const size_t before = noncanonical_;
        if (!Fill(kids.emplace_back(), depth + 1)) return false;
        if (is_map && k == 0) key_canonical.push_back(noncanonical_ == before);
      }
    }
    Item* slots = Alloc(kids.size());
    std::copy(kids.begin(), kids.end(), slots);
    out.children = absl::Span<const Item>(slots, kids.size());
    out.arg = kids.size() / (is_map ? 2 : 1);
    if (!is_map) return true;
    return CheckMapKeys(
        out, std::find(key_canonical.begin(), key_canonical.end(), false) == key_canonical.end());
  }

  bool CheckMapKeys(const Item& map, bool keys_canonical) {
    const size_t n = map.map_size();
    // Strictly increasing canonical order rules out duplicates, as long as every key is itself
    // encoded canonically (a lenient decode may see 0x05 and 0x1805, both 5).
    for (size_t i = 1; i < n; ++i) {
      const ByteView prev = Span(data_, map.map_key(i - 1));
      const ByteView cur = Span(data_, map.map_key(i));
      // One-byte keys (small integers: every Cardano map) compare as bytes, without memcmp.
      if (prev.size() == 1 && cur.size() == 1 ? prev[0] < cur[0] : CanonicalKeyLess(prev, cur)) {
        continue;
      }
      const bool same = std::equal(prev.begin(), prev.end(), cur.begin(), cur.end());
      if (same) return Fail(map.map_key(i).offset, "duplicate map key");
      if (limits_.require_canonical) {
        return Fail(map.map_key(i).offset, "map keys not in canonical order");
      }
      ++noncanonical_;
      return CheckMapKeysByValue(map);
    }
    if (keys_canonical || limits_.require_canonical) return true;
    return CheckMapKeysByValue(map);
  }

  // Lenient order: compare keys by value (their canonical re-encoding).
  bool CheckMapKeysByValue(const Item& map) {
    std::set<chain::Bytes> seen;
    for (size_t i = 0; i < map.map_size(); ++i) {
      if (!seen.insert(EncodeCanonical(map.map_key(i))).second) {
        return Fail(map.map_key(i).offset, "duplicate map key");
      }
    }
    return true;
  }

  // Reads an initial byte and its argument. Rejects floats, reserved additional information and
  // (unless allowed) indefinite lengths; checks shortest form when canonical.
  bool ReadHead(uint8_t& ib, uint64_t& arg, bool& indefinite) {
    if (remaining() < 1) return Fail(pos_, "unexpected end of input");
    ib = data_[pos_++];
    indefinite = false;
    if ((ib & 0x1f) < 24 && ib < 0xe0) {
      arg = ib & 0x1f;
      return true;
    }
    return ReadLongHead(ib, arg, indefinite);
  }

  bool ReadLongHead(uint8_t ib, uint64_t& arg, bool& indefinite) {
    const size_t start = pos_ - 1;
    const uint8_t mt = ib >> 5;
    const uint8_t ai = ib & 0x1f;
    if (mt == 7) {
      if (ai >= 25 && ai <= 27) return Fail(start, "floating-point values are not allowed");
      if (ai == 24) return Fail(start, "two-byte simple values are not allowed");
      if (ai == 31) return Fail(start, "unexpected break");
      if (ai > 27) return Fail(start, "reserved additional information");
      arg = ai;
      return true;
    }
    if (ai == 31) {
      if (mt == 0 || mt == 1 || mt == 6) return Fail(start, "invalid indefinite length");
      if (!limits_.allow_indefinite) return Fail(start, "indefinite length not allowed");
      indefinite = true;
      arg = 0;
      return true;
    }
    if (ai > 27) return Fail(start, "reserved additional information");
    const size_t n = size_t{1} << (ai - 24);
    if (remaining() < n) return Fail(start, "truncated head");
    arg = 0;
    for (size_t i = 0; i < n; ++i) arg = (arg << 8) | data_[pos_++];
    const bool shortest = (n == 1 && arg >= 24) || (n == 2 && arg > 0xff) ||
                          (n == 4 && arg > 0xffff) || (n == 8 && arg > 0xffffffffULL);
    if (!shortest) {
      if (limits_.require_canonical) return Fail(start, "non-canonical integer or length encoding");
      ++noncanonical_;
    }
    return true;
  }

  ByteView data_;
  Limits limits_;
  absl::Status error_;
  Document doc_;
  size_t block_size_ = 0;
  Item* free_ = nullptr;  // the current block's free slots
  Item* end_ = nullptr;
  size_t pos_ = 0;
  size_t items_ = 0;         // the budget: items and string chunks
  size_t noncanonical_ = 0;  // non-shortest heads, indefinite lengths, unsorted maps seen so far
};

namespace {

void WriteItem(Writer& w, const Item& item) {
  switch (item.type) {
    case MajorType::kUnsigned:
      w.Uint(item.arg);
      break;
    case MajorType::kNegative:
      w.NegativeArg(item.arg);
      break;
    case MajorType::kBytes:
      w.Bytes(View(item.bytes));
      break;
    case MajorType::kText:
      w.Text(item.text());
      break;
    case MajorType::kArray:
      w.ArrayHeader(item.children.size());
      for (const auto& c : item.children) WriteItem(w, c);
      break;
    case MajorType::kMap: {
      MapBuilder mb;
      for (size_t i = 0; i < item.map_size(); ++i) {
        mb.Add(EncodeCanonical(item.map_key(i)), EncodeCanonical(item.map_value(i)));
      }
      mb.WriteTo(w);
      break;
    }
    case MajorType::kTag:
      w.Tag(item.arg);
      WriteItem(w, item.children.at(0));
      break;
    case MajorType::kSimple: {
      const uint8_t b = static_cast<uint8_t>(0xe0 | item.arg);
      w.Raw(ByteView(&b, 1));
      break;
    }
  }
}

}  // namespace

chain::Bytes EncodeCanonical(const Item& item) {
  Writer w;
  WriteItem(w, item);
  return w.Take();
}

absl::StatusOr<Document> DecodePrefix(ByteView data, size_t* consumed, const Limits& limits) {
  size_t used = 0;
  auto doc = Decoder(data, limits).Run(&used);
  if (doc.ok() && consumed != nullptr) *consumed = used;
  return doc;
}

absl::StatusOr<Document> Decode(ByteView data, const Limits& limits) {
  size_t consumed = 0;
  auto doc = DecodePrefix(data, &consumed, limits);
  if (!doc.ok()) return doc.status();
  if (consumed != data.size()) {
    return Decoder::Error(consumed, absl::StrCat(data.size() - consumed, " trailing bytes"));
  }
  return doc;
}

}  // namespace stakeward::chain::cbor
