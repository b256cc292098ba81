#pragma once
// Password hashes as the fixtures store them and logins check them: PBKDF2-HMAC-SHA256
// (OpenSSL), "$pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>". Cheap enough iterations
// that a login costs about a millisecond: the replica measures sessions, not hashing.

#include <string>

namespace mepsim::web {

std::string hash_password(const std::string& password, const std::string& salt,
                          int iterations = 1000);
// Constant-time comparison; false for a malformed hash.
bool verify_password(const std::string& password, const std::string& hash);

}  // namespace mepsim::web
