// Throwaway test PKI (OpenSSL API) and a Beast TLS client for the transport tests.
#include "transport/tls_helpers.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <utility>

namespace roster::transport::testing {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

struct KeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertDeleter {
  void operator()(X509* cert) const { X509_free(cert); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using CertPtr = std::unique_ptr<X509, CertDeleter>;

void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

KeyPtr NewKey() {
  KeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "EVP_EC_gen");
  return key;
}

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(extension != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

// A certificate for `key` named `common_name`, signed by `issuer_key` (self-signed when `issuer`
// is null), valid from a day ago for a year.
CertPtr NewCert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
                bool is_ca) {
  CertPtr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  static std::mt19937_64 serials(std::random_device{}());
  ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert.get()), serials() >> 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Roster test"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (is_ca) {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    AddExtension(cert.get(), signer, NID_subject_key_identifier, "hash");
  } else {
    AddExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), signer, NID_key_usage, "critical,digitalSignature");
    AddExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
    AddExtension(cert.get(), signer, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
    AddExtension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  }
  Check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

void WriteKey(const std::filesystem::path& file, EVP_PKEY* key) {
  FILE* out = std::fopen(file.c_str(), "w");
  Check(out != nullptr, "fopen");
  const bool ok = PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(out);
  Check(ok, "PEM_write_PrivateKey");
}

void WriteCert(const std::filesystem::path& file, X509* cert) {
  FILE* out = std::fopen(file.c_str(), "w");
  Check(out != nullptr, "fopen");
  const bool ok = PEM_write_X509(out, cert) == 1;
  std::fclose(out);
  Check(ok, "PEM_write_X509");
}

}  // namespace

TestPki::TestPki() {
  std::string pattern = (std::filesystem::temp_directory_path() / "roster-tls-XXXXXX").string();
  Check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  dir_ = pattern;
  const KeyPtr ca_key = NewKey();
  const CertPtr ca = NewCert(ca_key.get(), "Roster test CA", nullptr, ca_key.get(), true);
  const KeyPtr server_key = NewKey();
  const CertPtr server = NewCert(server_key.get(), "127.0.0.1", ca.get(), ca_key.get(), false);
  WriteCert(dir_ / "ca.pem", ca.get());
  WriteCert(dir_ / "server.pem", server.get());
  WriteKey(dir_ / "server.key", server_key.get());
  const KeyPtr other_key = NewKey();
  WriteKey(dir_ / "other.key", other_key.get());
}

TestPki::~TestPki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

TlsClient::TlsClient(std::uint16_t port, const std::string& ca_file)
    : ssl_context_(ssl::context::tls_client), stream_(io_context_, ssl_context_) {
  ssl_context_.load_verify_file(ca_file);
  stream_.set_verify_mode(ssl::verify_peer);
  stream_.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(stream_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  stream_.handshake(ssl::stream_base::client);
}

HttpResponse TlsClient::RoundTrip(HttpRequest request) {
  request.set(http::field::host, "127.0.0.1");
  request.prepare_payload();
  http::write(stream_, request);
  return ReadResponse();
}

HttpResponse TlsClient::ReadResponse() {
  HttpResponse response;
  http::read(stream_, buffer_, response);
  return response;
}

}  // namespace roster::transport::testing
