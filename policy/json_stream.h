// The pooled padded input and simdjson parser behind json::Doc, shared with readers that walk the
// On-Demand stream themselves (policy/snapshot_fast.cc), and the token checks both need.
#ifndef STAKEWARD_POLICY_JSON_STREAM_H_
#define STAKEWARD_POLICY_JSON_STREAM_H_

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/json_doc.h"

namespace stakeward::policy::json {

struct Doc::Storage {
  std::string input;                  // the text, then SIMDJSON_PADDING bytes
  simdjson::ondemand::parser parser;  // holds the unescaped strings
  std::vector<Node> nodes;            // Doc only
};

// One Storage taken from the pool (or made) for the lifetime of this object, then given back.
class PooledStorage {
 public:
  PooledStorage();
  ~PooledStorage();
  PooledStorage(const PooledStorage&) = delete;
  PooledStorage& operator=(const PooledStorage&) = delete;

  Doc::Storage& get() { return *storage_; }
  // Copies `text` into the padded input; the stream then reads storage().input.
  void SetInput(std::string_view text);
  std::unique_ptr<Doc::Storage> Take() { return std::move(storage_); }

  // Gives `s` back for reuse (only a few, and only those sized for ordinary inputs).
  static void Return(std::unique_ptr<Doc::Storage> s);

 private:
  std::unique_ptr<Doc::Storage> storage_;
};

// RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool IsJsonNumber(std::string_view t);
// JSON whitespace removed from the end (simdjson's raw tokens run up to the next token).
std::string_view TrimRight(std::string_view t);

}  // namespace stakeward::policy::json

#endif  // STAKEWARD_POLICY_JSON_STREAM_H_
