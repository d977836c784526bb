// In-test servers on 127.0.0.1 (Boost.Beast, synchronous, one connection at a time): a WebSocket
// server whose answer to each message is chosen by a callback (text, silence, a truncated frame,
// or closing), and an HTTP server answering fixed bodies by path.
#ifndef STAKEWARD_TESTS_UNIT_CHAINSOURCE_TEST_SERVERS_H_
#define STAKEWARD_TESTS_UNIT_CHAINSOURCE_TEST_SERVERS_H_

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <utility>

#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/websocket.hpp"

namespace stakeward::chainsource::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class ServerBase {
 public:
  ServerBase() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    port_ = acceptor_.local_endpoint().port();
  }
  virtual ~ServerBase() = default;
  unsigned short port() const { return port_; }

 protected:
  void Start() {
    thread_ = std::thread([this] {
      while (!stop_) {
        tcp::socket s(ioc_);
        beast::error_code ec;
        acceptor_.accept(s, ec);
        if (ec || stop_) break;
        Serve(std::move(s));
      }
    });
  }
  // Derived destructors call Stop() first.
  void Stop() {
    if (!thread_.joinable()) return;
    stop_ = true;
    asio::io_context other;
    tcp::socket wake(other);
    beast::error_code ec;
    wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
    thread_.join();
  }
  virtual void Serve(tcp::socket s) = 0;

  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct WsReply {
  enum Kind { kText, kSilent, kTruncatedFrame, kClose, kBinary } kind = kText;
  std::string text;
};

class WsServer : public ServerBase {
 public:
  using Handler = std::function<WsReply(const std::string& request)>;
  explicit WsServer(Handler h) : handler_(std::move(h)) { Start(); }
  ~WsServer() override { Stop(); }
  std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }

 private:
  void Serve(tcp::socket s) override {
    beast::websocket::stream<tcp::socket> ws(std::move(s));
    beast::error_code ec;
    ws.accept(ec);
    while (!ec) {
      beast::flat_buffer buf;
      ws.read(buf, ec);
      if (ec) return;
      WsReply r = handler_(beast::buffers_to_string(buf.data()));
      switch (r.kind) {
        case WsReply::kText:
          ws.text(true);
          ws.write(asio::buffer(r.text), ec);
          break;
        case WsReply::kBinary:
          ws.binary(true);
          ws.write(asio::buffer(r.text), ec);
          break;
        case WsReply::kSilent:
          break;  // the next read ends when the client gives up and closes
        case WsReply::kTruncatedFrame: {
          // A text frame announcing 256 bytes, 5 of them sent, then the connection closes.
          const unsigned char frame[] = {0x81, 0x7e, 0x01, 0x00, '{', '"', 'j', 's', 'o'};
          asio::write(ws.next_layer(), asio::buffer(frame, sizeof(frame)), ec);
          ws.next_layer().close(ec);
          return;
        }
        case WsReply::kClose:
          ws.next_layer().close(ec);
          return;
      }
    }
  }
  Handler handler_;
};

struct HttpReply {
  int status = 200;
  std::string body;
};

class HttpServer : public ServerBase {
 public:
  // Routes by path without the query string.
  using Handler = std::function<HttpReply(const std::string& path, const std::string& target,
                                          const std::string& body)>;
  explicit HttpServer(Handler h) : handler_(std::move(h)) { Start(); }
  ~HttpServer() override { Stop(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/api/v1"; }

 private:
  void Serve(tcp::socket s) override {
    namespace http = beast::http;
    beast::flat_buffer buf;
    http::request<http::string_body> req;
    beast::error_code ec;
    http::read(s, buf, req, ec);
    if (ec) return;
    std::string target(req.target());
    std::string path = target.substr(0, target.find('?'));
    const std::string prefix = "/api/v1";
    if (path.rfind(prefix, 0) == 0) path = path.substr(prefix.size());
    HttpReply r = handler_(path, target, req.body());
    http::response<http::string_body> resp{static_cast<http::status>(r.status), req.version()};
    resp.set(http::field::content_type, "application/json");
    resp.keep_alive(false);
    resp.body() = r.body;
    resp.prepare_payload();
    http::write(s, resp, ec);
    s.shutdown(tcp::socket::shutdown_both, ec);
  }
  Handler handler_;
};

}  // namespace stakeward::chainsource::testing

#endif  // STAKEWARD_TESTS_UNIT_CHAINSOURCE_TEST_SERVERS_H_
