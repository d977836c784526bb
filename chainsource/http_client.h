// Blocking HTTP(S) requests with libcurl: a whole-request deadline and a bounded answer size.
#ifndef STAKEWARD_CHAINSOURCE_HTTP_CLIENT_H_
#define STAKEWARD_CHAINSOURCE_HTTP_CLIENT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace stakeward::chainsource {

struct HttpResponse {
  long status = 0;
  std::string body;
};

struct HttpRequest {
  std::string method = "GET";  // GET or POST
  std::string url;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::string> headers;  // extra "Name: value" lines
};

// DEADLINE_EXCEEDED on timeout, UNAVAILABLE on connection errors, RESOURCE_EXHAUSTED when the
// answer exceeds `max_bytes`. Any HTTP status is returned as is.
absl::StatusOr<HttpResponse> HttpFetch(const HttpRequest& request, absl::Duration timeout,
                                       size_t max_bytes);

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_HTTP_CLIENT_H_
