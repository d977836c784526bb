// A minimal WebSocket client (Boost.Beast) for JSON-RPC: one text message out, one text message
// back, every step bounded by a deadline. A timeout or transport error closes the connection;
// the next Call() reconnects. Only ws:// URLs (run TLS through a local tunnel).
#ifndef STAKEWARD_CHAINSOURCE_WEBSOCKET_RPC_H_
#define STAKEWARD_CHAINSOURCE_WEBSOCKET_RPC_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace stakeward::chainsource {

struct WsUrl {
  std::string host;
  std::string port;
  std::string target;  // "/" when absent
};
// Parses ws://host[:port][/path]; the port defaults to 80.
absl::StatusOr<WsUrl> ParseWsUrl(absl::string_view url);

class WebSocketRpc {
 public:
  WebSocketRpc(WsUrl url, size_t max_message_bytes);
  ~WebSocketRpc();
  WebSocketRpc(const WebSocketRpc&) = delete;
  WebSocketRpc& operator=(const WebSocketRpc&) = delete;

  // Sends `request` and returns the next text message. UNAVAILABLE on connection problems,
  // DEADLINE_EXCEEDED when `timeout` passes first, RESOURCE_EXHAUSTED for an oversized message.
  absl::StatusOr<std::string> Call(absl::string_view request, absl::Duration timeout);

 private:
  struct Conn;
  absl::Status EnsureConnected(absl::Time deadline);

  WsUrl url_;
  size_t max_message_bytes_;
  std::unique_ptr<Conn> conn_;
};

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_WEBSOCKET_RPC_H_
