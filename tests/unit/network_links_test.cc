// Unit tests of how the topology points an app's variables at its links' proxies
// (harness/topology/network_links.h): the host and port of each kind of URL the apps get are
// found and replaced, everything else kept.

#include "harness/topology/network_links.h"

#include <gtest/gtest.h>

#include <string>

namespace mepsim {
namespace {

TEST(NetworkLinks, UrlAddressOfEachVariableKind) {
  // DATABASE_URL, REDIS_URL, SENTRY_DSN, MAILER_DSN, GEOCODING_API_URL: the address after any
  // userinfo and before the path; none without an explicit port.
  auto mysql = url_address("mysql://mepsim:p%40ss@127.0.0.1:3306/histologe");
  ASSERT_TRUE(mysql);
  EXPECT_EQ(mysql->host, "127.0.0.1");
  EXPECT_EQ(mysql->port, 3306);
  EXPECT_EQ(url_address("redis://default:pw@127.0.0.1:6379/2")->port, 6379);
  EXPECT_EQ(url_address("http://key@127.0.0.1:41001/1")->port, 41001);
  EXPECT_EQ(url_address("brevo+api://xkeysib-1@127.0.0.1:41002")->port, 41002);
  EXPECT_EQ(url_address("http://db.internal:8080?q=1")->host, "db.internal");
  EXPECT_FALSE(url_address("null://null"));
  EXPECT_FALSE(url_address("http://127.0.0.1/search"));
  EXPECT_FALSE(url_address("http://127.0.0.1:notaport/"));
}

TEST(NetworkLinks, WithUrlAddressKeepsEverythingElse) {
  // Only host:port changes: scheme, credentials, path and query stay as they were.
  const UrlAddress proxy{"127.0.0.1", 45000};
  EXPECT_EQ(with_url_address("mysql://u:p@10.0.0.5:3306/histologe", proxy),
            "mysql://u:p@127.0.0.1:45000/histologe");
  EXPECT_EQ(with_url_address("brevo+api://key@127.0.0.1:41002", proxy),
            "brevo+api://key@127.0.0.1:45000");
  EXPECT_EQ(with_url_address("http://127.0.0.1:41003?x=1", proxy), "http://127.0.0.1:45000?x=1");
}

}  // namespace
}  // namespace mepsim
