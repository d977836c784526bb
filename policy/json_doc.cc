#include "policy/json_doc.h"

#include <simdjson.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "chain/status_macros.h"
#include "policy/json_exact.h"
#include "policy/json_stream.h"

namespace stakeward::policy::json {

namespace ondemand = simdjson::ondemand;

namespace {

// Storage is reused across documents (warm pages, no reallocation: simdjson's own advice for
// repeated parses), but only a few and only those sized for ordinary inputs, so one rare large
// document does not stay resident.
constexpr size_t kPooled = 4;
constexpr size_t kPooledBytes = 16u << 20;

absl::Mutex pool_mu;
std::vector<std::unique_ptr<Doc::Storage>>& Pool() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool_mu) {
  static auto* pool = new std::vector<std::unique_ptr<Doc::Storage>>();
  return *pool;
}

constexpr int kMaxDepth = 64;
static_assert(kMaxJsonBytes <= UINT32_MAX, "Node keeps text sizes in 32 bits");
static_assert(sizeof(Node) == 24);

std::string_view RawToken(ondemand::value& v) { return v.raw_json_token(); }
std::string_view RawToken(ondemand::document& d) {
  std::string_view t;
  return d.raw_json_token().get(t) ? std::string_view() : t;
}

// Length and first byte first: most keys differ there, and memcmp is a call.
bool SameKey(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && a == b));
}

}  // namespace

// Walks the On-Demand stream once, appending nodes in document order.
class DocBuilder {
 public:
  DocBuilder(std::vector<Node>& nodes, absl::string_view what, size_t max_nodes)
      : nodes_(nodes), what_(what), max_nodes_(max_nodes) {}

  template <typename V>
  absl::Status Value(V& v, int depth) {
    if (nodes_.size() >= max_nodes_) {  // every key is followed by a value: checked here
      return absl::InvalidArgumentError(
          absl::StrCat(what_, ": more than ", max_nodes_, " JSON values and keys"));
    }
    ondemand::json_type type;
    if (v.type().get(type)) return Bad();
    switch (type) {
      case ondemand::json_type::object: {
        if (depth >= kMaxDepth) return TooDeep();
        ondemand::object o;
        if (v.get_object().get(o)) return Bad();
        return Object(o, depth + 1);
      }
      case ondemand::json_type::array: {
        if (depth >= kMaxDepth) return TooDeep();
        ondemand::array a;
        if (v.get_array().get(a)) return Bad();
        return Array(a, depth + 1);
      }
      case ondemand::json_type::string: {
        std::string_view s;
        if (v.get_string().get(s)) return Bad();
        Push(Node::Kind::kString, s);
        return absl::OkStatus();
      }
      case ondemand::json_type::number: {
        std::string_view t = TrimRight(RawToken(v));
        if (!IsJsonNumber(t)) return Bad();
        Push(Node::Kind::kNumber, t);
        return absl::OkStatus();
      }
      case ondemand::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b)) return Bad();
        Push(Node::Kind::kBool, {}, b);
        return absl::OkStatus();
      }
      case ondemand::json_type::null: {
        bool null = false;
        if (v.is_null().get(null) || !null) return Bad();
        Push(Node::Kind::kNull, {});
        return absl::OkStatus();
      }
    }
    return Bad();
  }

  absl::Status Bad() const {
    return absl::InvalidArgumentError(absl::StrCat(what_, ": not valid JSON"));
  }

 private:
  absl::Status TooDeep() const {
    return absl::InvalidArgumentError(absl::StrCat(what_, ": JSON nested too deeply"));
  }

  size_t Push(Node::Kind kind, std::string_view text, bool flag = false) {
    Node n;
    n.kind_ = kind;
    n.flag_ = flag;
    n.text_ = text.data();
    n.text_size_ = static_cast<uint32_t>(text.size());
    nodes_.push_back(n);
    return nodes_.size() - 1;
  }

  void Close(size_t at, uint32_t count) {
    nodes_[at].count_ = count;
    nodes_[at].span_ = static_cast<uint32_t>(nodes_.size() - at);
  }

  absl::Status Object(ondemand::object& o, int depth) {
    const size_t at = Push(Node::Kind::kObject, {});
    uint32_t count = 0;
    for (auto member : o) {
      if (member.error()) return Bad();
      ondemand::field& f = member.value_unsafe();  // in place: copying a field stalls the CPU
      std::string_view key;
      if (f.unescaped_key().get(key)) return Bad();
      Push(Node::Kind::kKey, key);
      SW_RETURN_IF_ERROR(Value(f.value(), depth));
      ++count;
    }
    Close(at, count);
    return Duplicates(at);
  }

  absl::Status Array(ondemand::array& a, int depth) {
    const size_t at = Push(Node::Kind::kArray, {});
    uint32_t count = 0;
    for (auto element : a) {
      if (element.error()) return Bad();
      SW_RETURN_IF_ERROR(Value(element.value_unsafe(), depth));
      ++count;
    }
    Close(at, count);
    return absl::OkStatus();
  }

  // Duplicate keys are refused: readers that keep the first and readers that keep the last would
  // disagree about the same document.
  absl::Status Duplicates(size_t at) {
    keys_.clear();
    for (size_t k = at + 1; k < at + nodes_[at].span_; k += 1 + nodes_[k + 1].span_) {
      keys_.push_back(nodes_[k].text());
    }
    const absl::string_view* dup = nullptr;
    if (keys_.size() <= 16) {  // small objects (nearly all): pairs, no sort
      for (size_t a = 0; a < keys_.size() && dup == nullptr; ++a) {
        for (size_t b = a + 1; b < keys_.size(); ++b) {
          if (SameKey(keys_[a], keys_[b])) {
            dup = &keys_[a];
            break;
          }
        }
      }
    } else {
      std::sort(keys_.begin(), keys_.end());
      auto it = std::adjacent_find(keys_.begin(), keys_.end());
      if (it != keys_.end()) dup = &*it;
    }
    if (dup == nullptr) return absl::OkStatus();
    return absl::InvalidArgumentError(
        absl::StrCat(what_, ": the key \"", Shortened(*dup), "\" appears twice in one object"));
  }

  std::vector<Node>& nodes_;
  absl::string_view what_;
  size_t max_nodes_;
  std::vector<absl::string_view> keys_;
};

bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

std::string_view TrimRight(std::string_view t) {
  while (!t.empty() &&
         (t.back() == ' ' || t.back() == '\t' || t.back() == '\n' || t.back() == '\r')) {
    t.remove_suffix(1);
  }
  return t;
}

PooledStorage::PooledStorage() {
  {
    absl::MutexLock lock(&pool_mu);
    if (!Pool().empty()) {
      storage_ = std::move(Pool().back());
      Pool().pop_back();
    }
  }
  if (storage_ == nullptr) storage_ = std::make_unique<Doc::Storage>();
}

PooledStorage::~PooledStorage() { Return(std::move(storage_)); }

void PooledStorage::SetInput(std::string_view text) {
  storage_->input.assign(text.data(), text.size());
  storage_->input.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
}

void PooledStorage::Return(std::unique_ptr<Doc::Storage> s) {
  if (s == nullptr || s->input.capacity() > kPooledBytes) return;
  absl::MutexLock lock(&pool_mu);
  if (Pool().size() < kPooled) Pool().push_back(std::move(s));
}

Doc::Doc() : storage_(PooledStorage().Take()) { storage_->nodes.clear(); }

Doc::Doc(Doc&&) noexcept = default;

Doc& Doc::operator=(Doc&& o) noexcept {
  Release();
  storage_ = std::move(o.storage_);
  return *this;
}

Doc::~Doc() { Release(); }

void Doc::Release() { PooledStorage::Return(std::move(storage_)); }

const Node& Doc::root() const { return storage_->nodes.front(); }

absl::StatusOr<Doc> Doc::Parse(absl::string_view text, absl::string_view what, size_t max_nodes) {
  if (text.size() > kMaxJsonBytes) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": JSON input too large"));
  }
  Doc doc;
  Storage& s = *doc.storage_;
  s.input.assign(text.data(), text.size());
  s.input.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  // A snapshot has about one node per 8 input bytes; a guess (capped), not a limit.
  s.nodes.reserve(std::min<size_t>(text.size() / 6 + 16, size_t{4} << 20));
  DocBuilder builder(s.nodes, what, max_nodes);
  ondemand::document d;
  if (s.parser.iterate(s.input.data(), text.size(), s.input.size()).get(d)) return builder.Bad();
  SW_RETURN_IF_ERROR(builder.Value(d, 0));
  // A root true/false/null must be exactly that word: simdjson 3.0.1 takes "false+" or "falsee"
  // at the root for false (found by snapshot_json_fuzz's check against nlohmann).
  if (doc.root().is_boolean() || doc.root().is_null()) {
    const std::string_view word = doc.root().is_null()   ? "null"
                                  : doc.root().boolean() ? "true"
                                                         : "false";
    if (TrimRight(RawToken(d)) != word) return builder.Bad();
  }
  // Anything after the root value is an error (On-Demand stops reading at the root's end; a
  // number is read in place, so a number root must be all there is).
  if (doc.root().is_number()) {
    const absl::string_view token = doc.root().text();
    const size_t end = static_cast<size_t>(token.data() - s.input.data()) + token.size();
    if (end != TrimRight(std::string_view(text.data(), text.size())).size()) return builder.Bad();
    return doc;
  }
  const char* rest = nullptr;
  if (!d.current_location().get(rest)) return builder.Bad();
  return doc;
}

void Node::PrefetchText() const {
  uintptr_t last_line = 0;
  for (const Node* n = this; n < this + span_; ++n) {
    const uintptr_t line = reinterpret_cast<uintptr_t>(n->text_) / 64;
    if (n->text_size_ == 0 || line == last_line) continue;  // texts are mostly consecutive
    __builtin_prefetch(n->text_);
    last_line = line;
  }
}

const Node* Node::Member(absl::string_view key) const {
  if (!is_object()) return nullptr;
  for (const Node* k = this + 1; k < this + span_; k += 1 + k[1].span_) {
    if (SameKey(k->text(), key)) return k + 1;
  }
  return nullptr;
}

void Node::Collect(const absl::string_view* names, size_t n, const Node** out,
                   MemberOrder* order) const {
  if (!is_object()) return;
  size_t pos = 0;
  for (const Node* k = this + 1; k < this + span_; k += 1 + k[1].span_, ++pos) {
    // Keys are unique in a Doc, so a name found at its remembered place is the only match.
    uint8_t* guess =
        order != nullptr && pos < order->name_at_.size() ? &order->name_at_[pos] : nullptr;
    if (guess != nullptr && *guess < n && SameKey(k->text(), names[*guess])) {
      out[*guess] = k + 1;
      continue;
    }
    for (size_t i = 0; i < n; ++i) {
      if (SameKey(k->text(), names[i])) {
        out[i] = k + 1;
        if (guess != nullptr) *guess = static_cast<uint8_t>(i);
        break;
      }
    }
  }
}

absl::StatusOr<uint64_t> U64(const Node& j, absl::string_view what) {
  if (!j.is_string() && !j.is_number()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": expected a number"));
  }
  return U64OfText(j.text(), what);
}

// U64 of a member, naming "<what>.<key>" only when it fails (every reader's message starts with
// the name it was given, so an empty name can be filled in afterwards).
absl::StatusOr<uint64_t> MemberU64(const Node& v, absl::string_view key, absl::string_view what) {
  auto r = U64(v, "");
  if (r.ok()) return r;
  return absl::Status(r.status().code(), absl::StrCat(what, ".", key, r.status().message()));
}

absl::StatusOr<uint64_t> U64Or(const Node& obj, absl::string_view key, uint64_t fallback,
                               absl::string_view what) {
  return U64Or(obj.Member(key), key, fallback, what);
}

absl::StatusOr<uint64_t> U64At(const Node& obj, absl::string_view key, absl::string_view what) {
  return U64At(obj.Member(key), key, what);
}

absl::StatusOr<uint64_t> U64Or(const Node* v, absl::string_view key, uint64_t fallback,
                               absl::string_view what) {
  if (v == nullptr || v->is_null()) return fallback;
  return MemberU64(*v, key, what);
}

absl::StatusOr<uint64_t> U64At(const Node* v, absl::string_view key, absl::string_view what) {
  if (v == nullptr || v->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ".", key, " is missing"));
  }
  return MemberU64(*v, key, what);
}

absl::StatusOr<Ratio> RatioOf(const Node& j, absl::string_view what) {
  if (!j.is_string() && !j.is_number()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": expected a number"));
  }
  return RatioOfText(j.text(), what);
}

absl::StatusOr<absl::string_view> View(const Node& j, absl::string_view what) {
  if (!j.is_string()) return absl::InvalidArgumentError(absl::StrCat(what, ": expected a string"));
  return j.text();
}

absl::StatusOr<std::string> Str(const Node& j, absl::string_view what) {
  absl::string_view v;
  SW_ASSIGN_OR_RETURN(v, View(j, what));
  return std::string(v);
}

absl::StatusOr<std::string> StrAt(const Node& obj, absl::string_view key, absl::string_view what) {
  const Node* v = obj.Member(key);
  if (v == nullptr || v->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ".", key, " is missing"));
  }
  return Str(*v, absl::StrCat(what, ".", key));
}

const Node* Find(const Node& obj, std::initializer_list<absl::string_view> keys) {
  for (auto k : keys) {
    if (const Node* v = obj.Member(k); v != nullptr) return v;
  }
  return nullptr;
}

}  // namespace stakeward::policy::json
