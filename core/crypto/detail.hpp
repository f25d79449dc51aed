#pragma once
// Shared by the translation units of core/crypto only (not part of its interface).
#include <string>

#include "core/crypto/crypto.hpp"

typedef struct evp_md_st EVP_MD;

namespace gosdoki::crypto::detail {

std::string openssl_message(const std::string& what);  // `what` and OpenSSL's last error, queue cleared
const EVP_MD* digest_md(KeyKind k);                     // Streebog for GOST keys, SHA-256 otherwise

}  // namespace gosdoki::crypto::detail
