// Canonical CBOR writer and strict, bounded CBOR decoder (RFC 8949; canonical rules of RFC 7049
// §3.9 as CIP-21 requires them).
#include "chain/cbor.h"

#include <algorithm>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/utf8.h"

namespace stakeward::chain::cbor {

// ---------------------------------------------------------------------------------------------
// Writer

void Writer::Head(MajorType type, uint64_t arg) {
  const uint8_t mt = static_cast<uint8_t>(type) << 5;
  if (arg < 24) {
    buf_.push_back(mt | static_cast<uint8_t>(arg));
    return;
  }
  // One append per head instead of one push_back per byte.
  uint8_t head[9];
  size_t len;
  if (arg <= 0xff) {
    head[0] = mt | 24;
    len = 1;
  } else if (arg <= 0xffff) {
    head[0] = mt | 25;
    len = 2;
  } else if (arg <= 0xffffffffULL) {
    head[0] = mt | 26;
    len = 4;
  } else {
    head[0] = mt | 27;
    len = 8;
  }
  for (size_t i = 0; i < len; ++i) head[1 + i] = static_cast<uint8_t>(arg >> (8 * (len - 1 - i)));
  buf_.insert(buf_.end(), head, head + 1 + len);
}

Writer& Writer::Uint(uint64_t v) {
  Head(MajorType::kUnsigned, v);
  return *this;
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

Writer& Writer::ArrayHeader(uint64_t count) {
  Head(MajorType::kArray, count);
  return *this;
}

Writer& Writer::MapHeader(uint64_t count) {
  Head(MajorType::kMap, count);
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

namespace {

class Decoder {
 public:
  Decoder(ByteView data, const Limits& limits) : data_(data), limits_(limits) {}

  absl::Status DecodeItem(Item& out, size_t depth) {
    if (depth > limits_.max_depth) {
      return Error(pos_, absl::StrCat("nesting deeper than ", limits_.max_depth));
    }
    if (++items_ > limits_.max_items) {
      return Error(pos_, absl::StrCat("more than ", limits_.max_items, " items"));
    }
    const size_t start = pos_;
    out.offset = start;
    uint8_t ib;
    uint64_t arg;
    bool indefinite;
    if (auto s = ReadHead(ib, arg, indefinite); !s.ok()) return s;
    const auto type = static_cast<MajorType>(ib >> 5);
    out.type = type;
    out.arg = arg;
    switch (type) {
      case MajorType::kUnsigned:
      case MajorType::kNegative:
        break;
      case MajorType::kBytes:
      case MajorType::kText:
        if (auto s = ReadString(out, start, indefinite); !s.ok()) return s;
        break;
      case MajorType::kArray:
      case MajorType::kMap:
        if (auto s = ReadContainer(out, start, indefinite, depth); !s.ok()) return s;
        break;
      case MajorType::kTag: {
        out.children.resize(1);
        if (auto s = DecodeItem(out.children[0], depth + 1); !s.ok()) return s;
        break;
      }
      case MajorType::kSimple:
        if (arg < 20 || arg > 23) {
          return Error(start, absl::StrCat("unsupported simple value ", arg));
        }
        break;
    }
    out.length = pos_ - start;
    return absl::OkStatus();
  }

  size_t pos() const { return pos_; }

  static absl::Status Error(size_t offset, absl::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("CBOR error at byte ", offset, ": ", what));
  }

 private:
  size_t remaining() const { return data_.size() - pos_; }

  // Reads an initial byte and its argument. Rejects floats, reserved additional information and
  // (unless allowed) indefinite lengths; checks shortest form when canonical.
  absl::Status ReadHead(uint8_t& ib, uint64_t& arg, bool& indefinite) {
    const size_t start = pos_;
    if (remaining() < 1) return Error(start, "unexpected end of input");
    ib = data_[pos_++];
    const uint8_t mt = ib >> 5;
    const uint8_t ai = ib & 0x1f;
    indefinite = false;
    if (mt == 7) {
      if (ai >= 25 && ai <= 27) return Error(start, "floating-point values are not allowed");
      if (ai == 24) return Error(start, "two-byte simple values are not allowed");
      if (ai == 31) return Error(start, "unexpected break");
      if (ai > 27) return Error(start, "reserved additional information");
      arg = ai;
      return absl::OkStatus();
    }
    if (ai < 24) {
      arg = ai;
      return absl::OkStatus();
    }
    if (ai == 31) {
      if (mt == 0 || mt == 1 || mt == 6) return Error(start, "invalid indefinite length");
      if (!limits_.allow_indefinite) return Error(start, "indefinite length not allowed");
      indefinite = true;
      arg = 0;
      return absl::OkStatus();
    }
    if (ai > 27) return Error(start, "reserved additional information");
    const size_t n = size_t{1} << (ai - 24);
    if (remaining() < n) return Error(start, "truncated head");
    arg = 0;
    for (size_t i = 0; i < n; ++i) arg = (arg << 8) | data_[pos_++];
    if (limits_.require_canonical) {
      const bool shortest = (n == 1 && arg >= 24) || (n == 2 && arg > 0xff) ||
                            (n == 4 && arg > 0xffff) || (n == 8 && arg > 0xffffffffULL);
      if (!shortest) return Error(start, "non-canonical integer or length encoding");
    }
    return absl::OkStatus();
  }

  absl::Status AppendChunk(Item& out, size_t at, uint64_t len) {
    // The length is checked against the remaining input before anything is allocated.
    if (len > remaining()) {
      return Error(at,
                   absl::StrCat("length ", len, " exceeds the remaining ", remaining(), " bytes"));
    }
    const uint8_t* p = data_.data() + pos_;
    if (out.type == MajorType::kBytes) {
      out.bytes.insert(out.bytes.end(), p, p + len);
    } else {
      if (!IsValidUtf8(std::string_view(reinterpret_cast<const char*>(p), len))) {
        return Error(at, "invalid UTF-8 in text string");
      }
      out.text.append(reinterpret_cast<const char*>(p), len);
    }
    pos_ += len;
    return absl::OkStatus();
  }

  absl::Status ReadString(Item& out, size_t start, bool indefinite) {
    if (!indefinite) return AppendChunk(out, start, out.arg);
    // Indefinite string: definite chunks of the same major type, then a break.
    uint64_t total = 0;
    for (;;) {
      if (remaining() < 1) return Error(pos_, "unterminated indefinite string");
      if (data_[pos_] == 0xff) {
        ++pos_;
        break;
      }
      const size_t at = pos_;
      uint8_t ib;
      uint64_t len;
      bool nested;
      if (auto s = ReadHead(ib, len, nested); !s.ok()) return s;
      if ((ib >> 5) != static_cast<uint8_t>(out.type) || nested) {
        return Error(at, "invalid chunk in indefinite string");
      }
      if (++items_ > limits_.max_items) return Error(at, "too many items");
      if (auto s = AppendChunk(out, at, len); !s.ok()) return s;
      total += len;
    }
    out.arg = total;
    return absl::OkStatus();
  }

  absl::Status ReadContainer(Item& out, size_t start, bool indefinite, size_t depth) {
    const bool is_map = out.type == MajorType::kMap;
    const uint64_t per = is_map ? 2 : 1;
    if (!indefinite) {
      // Every item takes at least one byte: a count beyond the remaining input is a lie.
      if (out.arg > remaining() / per) {
        return Error(start, absl::StrCat("count ", out.arg, " exceeds the remaining input"));
      }
      if (out.arg * per > limits_.max_items - std::min(items_, limits_.max_items)) {
        return Error(start, absl::StrCat("more than ", limits_.max_items, " items"));
      }
      out.children.resize(out.arg * per);
      for (auto& child : out.children) {
        if (auto s = DecodeItem(child, depth + 1); !s.ok()) return s;
      }
    } else {
      for (;;) {
        if (remaining() < 1) return Error(pos_, "unterminated indefinite container");
        if (data_[pos_] == 0xff) {
          ++pos_;
          break;
        }
        for (uint64_t k = 0; k < per; ++k) {
          out.children.emplace_back();
          if (auto s = DecodeItem(out.children.back(), depth + 1); !s.ok()) return s;
        }
      }
      out.arg = out.children.size() / per;
    }
    if (is_map) return CheckMapKeys(out);
    return absl::OkStatus();
  }

  absl::Status CheckMapKeys(const Item& map) {
    const size_t n = map.map_size();
    if (limits_.require_canonical) {
      // Strictly increasing canonical order also rules out duplicates.
      for (size_t i = 1; i < n; ++i) {
        const ByteView prev = Span(data_, map.map_key(i - 1));
        const ByteView cur = Span(data_, map.map_key(i));
        if (!CanonicalKeyLess(prev, cur)) {
          return Error(map.map_key(i).offset,
                       std::equal(prev.begin(), prev.end(), cur.begin(), cur.end())
                           ? "duplicate map key"
                           : "map keys not in canonical order");
        }
      }
      return absl::OkStatus();
    }
    // Lenient order: compare keys by value (their canonical re-encoding).
    std::set<chain::Bytes> seen;
    for (size_t i = 0; i < n; ++i) {
      if (!seen.insert(EncodeCanonical(map.map_key(i))).second) {
        return Error(map.map_key(i).offset, "duplicate map key");
      }
    }
    return absl::OkStatus();
  }

  ByteView data_;
  Limits limits_;
  size_t pos_ = 0;
  size_t items_ = 0;
};

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
      w.Text(item.text);
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

absl::StatusOr<Item> DecodePrefix(ByteView data, size_t* consumed, const Limits& limits) {
  Decoder d(data, limits);
  Item item;
  if (auto s = d.DecodeItem(item, 0); !s.ok()) return s;
  if (consumed != nullptr) *consumed = d.pos();
  return item;
}

absl::StatusOr<Item> Decode(ByteView data, const Limits& limits) {
  size_t consumed = 0;
  auto item = DecodePrefix(data, &consumed, limits);
  if (!item.ok()) return item.status();
  if (consumed != data.size()) {
    return Decoder::Error(consumed, absl::StrCat(data.size() - consumed, " trailing bytes"));
  }
  return item;
}

}  // namespace stakeward::chain::cbor
