// Password hashes: PBKDF2-HMAC-SHA256 against published vectors, and verify_password's
// refusals of anything malformed.

#include "sim/web/password_hash.h"

#include <gtest/gtest.h>

using mepsim::web::hash_password;
using mepsim::web::verify_password;

TEST(PasswordHash, MatchesPbkdf2Sha256Vectors) {
  // The hash is PBKDF2-HMAC-SHA256 ("password", "salt"), as RFC 7914's test vectors give it.
  EXPECT_EQ(hash_password("password", "salt", 1),
            "$pbkdf2-sha256$1$c2FsdA==$Eg+2z/z4syxD5yJSVsT4N6hlSMkszDVICAWYfLcL4Xs=");
  EXPECT_EQ(hash_password("password", "salt", 4096),
            "$pbkdf2-sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=");
}

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  // A hash accepts its own password and refuses a near miss, an empty one and a longer one.
  const auto hash = hash_password("correct horse", "fixture:admin-01@signal-logement.fr");
  EXPECT_TRUE(verify_password("correct horse", hash));
  EXPECT_FALSE(verify_password("correct hors", hash));
  EXPECT_FALSE(verify_password("correct horse ", hash));
  EXPECT_FALSE(verify_password("", hash));
}

TEST(PasswordHash, SameSaltSameHashOtherSaltOtherHash) {
  // Deterministic for one salt (fixtures load twice to the same rows), salted otherwise.
  EXPECT_EQ(hash_password("pw", "a"), hash_password("pw", "a"));
  EXPECT_NE(hash_password("pw", "a"), hash_password("pw", "b"));
  EXPECT_NE(hash_password("pw", "a", 1000), hash_password("pw", "a", 1001));
}

TEST(PasswordHash, OddSaltsAndPasswordsRoundTrip) {
  // Salts with '$' or bytes of any value and empty passwords are encoded, not split on.
  for (const std::string& salt : {std::string(), std::string("a$b$c"), std::string("\0\xff", 2)}) {
    for (const std::string& password : {std::string(), std::string("pässwörd$")}) {
      EXPECT_TRUE(verify_password(password, hash_password(password, salt))) << salt.size();
    }
  }
}

TEST(PasswordHash, MalformedHashesAreRefused) {
  // Anything but the exact shape is false, never a crash or a pass.
  const std::string good = hash_password("pw", "salt", 10);
  ASSERT_TRUE(verify_password("pw", good));
  for (const std::string& bad : {
           std::string(),
           std::string("pw"),
           std::string("$pbkdf2-sha256$10$c2FsdA=="),
           std::string("$pbkdf2-sha1$10$c2FsdA==$") + good.substr(good.rfind('$') + 1),
           std::string("$pbkdf2-sha256$0$c2FsdA==$") + good.substr(good.rfind('$') + 1),
           std::string("$pbkdf2-sha256$-1$c2FsdA==$") + good.substr(good.rfind('$') + 1),
           std::string("$pbkdf2-sha256$99999999999$c2FsdA==$") + good.substr(good.rfind('$') + 1),
           std::string("$pbkdf2-sha256$10x$c2FsdA==$") + good.substr(good.rfind('$') + 1),
           std::string("$pbkdf2-sha256$10$c2Fsd!==$") + good.substr(good.rfind('$') + 1),
           std::string("$pbkdf2-sha256$10$c2FsdA==$AAAA"),
           good + "$extra",
           good.substr(0, good.size() - 4),
       }) {
    EXPECT_FALSE(verify_password("pw", bad)) << bad;
  }
}
