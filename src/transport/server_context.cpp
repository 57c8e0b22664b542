// Shared server state: the worker pool and the registry of live sessions.
#include "transport/server_context.hpp"

#include <openssl/ssl.h>

#include <boost/system/error_code.hpp>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace roster::transport {

namespace ssl = boost::asio::ssl;

std::optional<ssl::context> LoadTls(const ServerOptions& options) {
  if (options.tls_cert_file.empty() && options.tls_key_file.empty()) return std::nullopt;
  if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
    throw std::invalid_argument("TLS needs both a certificate file and a key file");
  }
  for (const std::string* file : {&options.tls_cert_file, &options.tls_key_file}) {
    if (!std::ifstream(*file)) throw std::runtime_error("cannot read TLS file '" + *file + "'");
  }
  std::optional<ssl::context> context(std::in_place, ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  // An encrypted key must fail, not prompt on the terminal.
  context->set_password_callback(
      [](std::size_t, ssl::context::password_purpose) { return std::string(); });
  boost::system::error_code ec;
  // The key first: loaded after it, a certificate that does not match drops the key, and the
  // check below names the mismatch (loaded the other way round it is a bare "key values
  // mismatch" of the key file).
  context->use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
  if (ec) {
    throw std::runtime_error("cannot load TLS key '" + options.tls_key_file + "': " + ec.message() +
                             " (expected an unencrypted PEM private key)");
  }
  context->use_certificate_chain_file(options.tls_cert_file, ec);
  if (ec) {
    throw std::runtime_error("cannot load TLS certificate '" + options.tls_cert_file +
                             "': " + ec.message() + " (expected a PEM certificate chain)");
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    throw std::runtime_error("TLS key '" + options.tls_key_file +
                             "' does not match the certificate '" + options.tls_cert_file + "'");
  }
  return context;
}

void CheckTls(const ServerOptions& options) { LoadTls(options); }

ServerContext::ServerContext(ServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      tls_(LoadTls(options_)),
      workers_(static_cast<std::size_t>(options_.worker_threads)) {}

void ServerContext::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void ServerContext::Unregister(const Session* session) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::size_t ServerContext::SessionCount() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerContext::LiveSessions() {
  std::vector<std::shared_ptr<Session>> live;
  std::lock_guard lock(mutex_);
  live.reserve(sessions_.size());
  for (const auto& [key, weak] : sessions_) {
    // A session whose destructor is running (and about to unregister) yields null here.
    if (auto session = weak.lock()) live.push_back(std::move(session));
  }
  return live;
}

}  // namespace roster::transport
