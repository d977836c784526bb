// A JSON document read exactly and fast, for the snapshot loader (large, untrusted, hot in
// DryRunPlan). simdjson's On-Demand parser checks UTF-8 and the grammar; every value lands in one
// flat vector of nodes (no tree of maps), numbers keep their decimal text so 0.3 or 2^70 are never
// rounded, strings are unescaped once. Refused as INVALID_ARGUMENT naming `what`: invalid JSON,
// a number outside the JSON grammar, nesting deeper than 64, a key repeated in one object, input
// larger than json::kMaxJsonBytes (policy/json_exact.h keeps the nlohmann reader for small ones).
#ifndef STAKEWARD_POLICY_JSON_DOC_H_
#define STAKEWARD_POLICY_JSON_DOC_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/lovelace.h"
#include "policy/ratio.h"

namespace stakeward::policy::json {

// Remembers which name each member position held in the last object read with it: objects of
// one producer (the same keys in the same order, thousands of pools) are then read with one
// comparison per member instead of a scan of the names. Local to one reading pass.
class MemberOrder {
 public:
  MemberOrder() { name_at_.fill(kUnknown); }

 private:
  friend class Node;
  static constexpr uint8_t kUnknown = 0xff;
  std::array<uint8_t, 32> name_at_;
};

// One value of a Doc. Containers are followed by their children (objects: a key node, then the
// value), so a node knows how many nodes its subtree spans and the next sibling is one jump away.
class Node {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject, kKey };

  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_boolean() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool boolean() const { return flag_; }
  // A string's unescaped bytes, a number's token; empty otherwise.
  absl::string_view text() const { return absl::string_view(text_, text_size_); }
  // Elements of an array, members of an object; 0 otherwise.
  size_t size() const { return count_; }

  // Iterates an array's elements (an object's values are reached through Member).
  class Iterator {
   public:
    explicit Iterator(const Node* n) : n_(n) {}
    const Node& operator*() const { return *n_; }
    Iterator& operator++() {
      n_ += n_->span_;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return n_ != o.n_; }

   private:
    const Node* n_;
  };
  Iterator begin() const { return Iterator(is_array() ? this + 1 : this + span_); }
  Iterator end() const { return Iterator(this + span_); }

  // Ask the CPU to bring this subtree's nodes, and then the text they point at, into cache: a
  // reader walking a large array element by element calls them on the elements ahead (nodes two
  // ahead, text one ahead, whose nodes have arrived meanwhile), so the walk does not wait on
  // memory.
  void PrefetchNodes() const {
    for (const char* p = reinterpret_cast<const char*>(this);
         p < reinterpret_cast<const char*>(this + span_); p += 64) {
      __builtin_prefetch(p);
    }
  }
  void PrefetchText() const;

  // The value of an object's member; nullptr when absent or when this is not an object.
  const Node* Member(absl::string_view key) const;
  // Several members in one pass, whatever their order in the document: out[i] is the value of
  // names[i] or nullptr (keys are unique, Doc::Parse refused repeats).
  template <size_t N>
  std::array<const Node*, N> Members(const std::array<absl::string_view, N>& names) const {
    std::array<const Node*, N> out{};
    Collect(names.data(), N, out.data(), nullptr);
    return out;
  }
  // The same, learning and using the member order of similar objects (same result).
  template <size_t N>
  std::array<const Node*, N> Members(const std::array<absl::string_view, N>& names,
                                     MemberOrder& order) const {
    static_assert(N < MemberOrder::kUnknown);
    std::array<const Node*, N> out{};
    Collect(names.data(), N, out.data(), &order);
    return out;
  }

 private:
  void Collect(const absl::string_view* names, size_t n, const Node** out,
               MemberOrder* order) const;

  friend class DocBuilder;
  // 24 bytes: a snapshot makes about 100 nodes per pool, read once after being written.
  const char* text_ = nullptr;
  uint32_t text_size_ = 0;  // inputs are below kMaxJsonBytes
  uint32_t count_ = 0;
  uint32_t span_ = 1;  // nodes in this subtree, itself included
  Kind kind_ = Kind::kNull;
  bool flag_ = false;
};

class Doc {
 public:
  // Real snapshots hold about 0.1 nodes per byte (103 per pool), so 2^25 nodes (about 1 GiB of
  // them) covers any snapshot within kMaxJsonBytes; a document of tiny values ("[0,0,0,...")
  // makes one node per 2 bytes and would need 4 GiB at that size: refused instead.
  static constexpr size_t kMaxNodes = size_t{1} << 25;
  // `max_nodes`: lower in tests, and by the snapshot fast path for what it read itself.
  static absl::StatusOr<Doc> Parse(absl::string_view text, absl::string_view what,
                                   size_t max_nodes = kMaxNodes);
  Doc(Doc&&) noexcept;
  Doc& operator=(Doc&&) noexcept;
  ~Doc();
  const Node& root() const;

  struct Storage;  // the padded input and the parser that owns the unescaped strings

 private:
  Doc();
  void Release();  // gives the storage back for reuse
  std::unique_ptr<Storage> storage_;
};

// Readers with the same meaning as json_exact.h's: numbers exact (a number token or a string of
// digits), `what` names the place in errors.
absl::StatusOr<uint64_t> U64(const Node& j, absl::string_view what);
absl::StatusOr<uint64_t> U64Or(const Node& obj, absl::string_view key, uint64_t fallback,
                               absl::string_view what);
absl::StatusOr<uint64_t> U64At(const Node& obj, absl::string_view key, absl::string_view what);
// The same for a member already looked up (`v` is Member(key) or nullptr).
absl::StatusOr<uint64_t> U64Or(const Node* v, absl::string_view key, uint64_t fallback,
                               absl::string_view what);
absl::StatusOr<uint64_t> U64At(const Node* v, absl::string_view key, absl::string_view what);
// Amounts: the same integers as chain::Lovelace.
inline absl::StatusOr<chain::Lovelace> LovelaceAt(const Node& obj, absl::string_view key,
                                                  absl::string_view what) {
  absl::StatusOr<uint64_t> v = U64At(obj, key, what);
  if (!v.ok()) return v.status();
  return chain::Lovelace(*v);
}
inline absl::StatusOr<chain::Lovelace> LovelaceOr(const Node& obj, absl::string_view key,
                                                  chain::Lovelace fallback,
                                                  absl::string_view what) {
  absl::StatusOr<uint64_t> v = U64Or(obj, key, fallback.value(), what);
  if (!v.ok()) return v.status();
  return chain::Lovelace(*v);
}
absl::StatusOr<Ratio> RatioOf(const Node& j, absl::string_view what);
// The string's bytes, valid while the Doc lives.
absl::StatusOr<absl::string_view> View(const Node& j, absl::string_view what);
absl::StatusOr<std::string> Str(const Node& j, absl::string_view what);
absl::StatusOr<std::string> StrAt(const Node& obj, absl::string_view key, absl::string_view what);
// First member present among several historical spellings; nullptr when none is.
const Node* Find(const Node& obj, std::initializer_list<absl::string_view> keys);

}  // namespace stakeward::policy::json

#endif  // STAKEWARD_POLICY_JSON_DOC_H_
