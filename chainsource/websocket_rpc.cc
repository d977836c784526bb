#include "chainsource/websocket_rpc.h"

#include <chrono>
#include <functional>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/websocket.hpp"
#include "chainsource/macros.h"

namespace stakeward::chainsource {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

absl::StatusOr<WsUrl> ParseWsUrl(absl::string_view url) {
  if (absl::StartsWith(url, "wss://")) {
    return absl::InvalidArgumentError(
        "wss:// is not supported: reach Ogmios over ws:// (e.g. through an SSH or TLS tunnel)");
  }
  if (!absl::StartsWith(url, "ws://"))
    return absl::InvalidArgumentError(absl::StrCat("expected ws://HOST:PORT, got ", url));
  absl::string_view rest = url.substr(5);
  WsUrl u;
  size_t slash = rest.find('/');
  u.target = slash == absl::string_view::npos ? "/" : std::string(rest.substr(slash));
  absl::string_view hostport = rest.substr(0, slash);
  size_t colon = hostport.rfind(':');
  size_t bracket = hostport.find(']');
  if (colon != absl::string_view::npos && (bracket == absl::string_view::npos || bracket < colon)) {
    u.host = std::string(hostport.substr(0, colon));
    u.port = std::string(hostport.substr(colon + 1));
    uint32_t p;
    if (!absl::SimpleAtoi(u.port, &p) || p == 0 || p > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("bad port in ", url));
    }
  } else {
    u.host = std::string(hostport);
    u.port = "80";
  }
  if (u.host.size() > 2 && u.host.front() == '[' && u.host.back() == ']')
    u.host = u.host.substr(1, u.host.size() - 2);
  if (u.host.empty()) return absl::InvalidArgumentError(absl::StrCat("no host in ", url));
  return u;
}

struct WebSocketRpc::Conn {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;

  // Runs the started operation until it completes or `deadline` passes; on timeout the socket is
  // closed and the aborted operation drained, so no handler outlives this call.
  template <typename Start>
  absl::Status Run(Start start, absl::Time deadline, absl::string_view step,
                   const std::function<void()>& cancel = nullptr) {
    std::optional<beast::error_code> result;
    ioc.restart();
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    absl::Duration left = deadline - absl::Now();
    if (left > absl::ZeroDuration())
      ioc.run_for(absl::ToChronoMilliseconds(left) + std::chrono::milliseconds(1));
    if (!result.has_value()) {
      beast::error_code ignored;
      if (cancel) cancel();
      beast::get_lowest_layer(ws).socket().close(ignored);
      ioc.restart();
      ioc.run();
      return absl::DeadlineExceededError(
          absl::StrCat("Ogmios did not answer in time (", step, ")"));
    }
    if (*result == websocket::error::buffer_overflow ||
        *result == websocket::error::message_too_big) {
      return absl::ResourceExhaustedError(
          absl::StrCat(step, ": the answer exceeds the size limit"));
    }
    if (*result) return absl::UnavailableError(absl::StrCat(step, ": ", result->message()));
    return absl::OkStatus();
  }
};

WebSocketRpc::WebSocketRpc(WsUrl url, size_t max_message_bytes)
    : url_(std::move(url)), max_message_bytes_(max_message_bytes) {}

WebSocketRpc::~WebSocketRpc() = default;

absl::Status WebSocketRpc::EnsureConnected(absl::Time deadline) {
  if (conn_ != nullptr) return absl::OkStatus();
  auto c = std::make_unique<Conn>();
  tcp::resolver resolver(c->ioc);
  tcp::resolver::results_type endpoints;
  CS_RETURN_IF_ERROR(c->Run(
      [&](auto handler) {
        resolver.async_resolve(
            url_.host, url_.port,
            [&endpoints, handler](beast::error_code ec, tcp::resolver::results_type r) {
              endpoints = std::move(r);
              handler(ec);
            });
      },
      deadline, "resolve", [&resolver] { resolver.cancel(); }));
  CS_RETURN_IF_ERROR(c->Run(
      [&](auto handler) { beast::get_lowest_layer(c->ws).async_connect(endpoints, handler); },
      deadline, "connect"));
  c->ws.read_message_max(max_message_bytes_);
  c->ws.text(true);
  std::string host = absl::StrCat(url_.host, ":", url_.port);
  CS_RETURN_IF_ERROR(
      c->Run([&](auto handler) { c->ws.async_handshake(host, url_.target, handler); }, deadline,
             "WebSocket handshake"));
  conn_ = std::move(c);
  return absl::OkStatus();
}

absl::StatusOr<std::string> WebSocketRpc::Call(absl::string_view request, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  absl::Status st = EnsureConnected(deadline);
  if (st.ok()) {
    st = conn_->Run(
        [&](auto handler) {
          conn_->ws.async_write(asio::buffer(request.data(), request.size()), handler);
        },
        deadline, "send");
  }
  if (st.ok()) {
    conn_->buffer.clear();
    st = conn_->Run([&](auto handler) { conn_->ws.async_read(conn_->buffer, handler); }, deadline,
                    "receive");
  }
  if (!st.ok()) {
    conn_.reset();  // the stream is in an unknown state: reconnect next time
    return st;
  }
  if (!conn_->ws.got_text()) {
    conn_.reset();
    return absl::InvalidArgumentError("Ogmios sent a binary message where JSON text was expected");
  }
  return beast::buffers_to_string(conn_->buffer.data());
}

}  // namespace stakeward::chainsource
