#pragma once
// What the credential tests of the fakes share: a table of requests that carry missing,
// wrong or misplaced credentials, each with the status and error body the real service
// answers, sent over real HTTP; and a check that a fake's journal never holds a secret.

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fakes/common/request_journal.h"

namespace mepsim::testing {

struct Refusal {
  std::string name;  // what the case tries, for failure messages
  std::string method;
  std::string path;
  httplib::Headers headers{};
  std::string body{};
  int status = 0;
  // Every field here must be in the JSON answer with this value (a null value: present,
  // whatever its value); null as a whole: the answer need not be JSON.
  nlohmann::json body_fields{};
  std::string body_text{};  // when not empty, the answer's exact body (a text answer)
  std::string challenge{};  // when not empty, the WWW-Authenticate header's exact value
};

inline httplib::Result send_request(const std::string& base_url, const Refusal& r) {
  httplib::Client client(base_url);
  client.set_connection_timeout(5);
  client.set_read_timeout(30);
  const std::string type = "application/json";
  if (r.method == "POST") return client.Post(r.path, r.headers, r.body, type);
  if (r.method == "PUT") return client.Put(r.path, r.headers, r.body, type);
  if (r.method == "DELETE") return client.Delete(r.path, r.headers, r.body, type);
  return client.Get(r.path, r.headers);
}

// Sends every case and checks its answer.
inline void expect_refusals(const std::string& base_url, const std::vector<Refusal>& cases) {
  for (const auto& r : cases) {
    SCOPED_TRACE(r.name);
    const auto res = send_request(base_url, r);
    ASSERT_TRUE(res) << "no answer";
    EXPECT_EQ(res->status, r.status) << res->body;
    if (!r.body_fields.is_null()) {
      const auto body = nlohmann::json::parse(res->body, nullptr, false);
      ASSERT_TRUE(body.is_object()) << res->body;
      for (const auto& [key, value] : r.body_fields.items()) {
        ASSERT_TRUE(body.contains(key)) << key << " in " << res->body;
        if (!value.is_null()) {
          EXPECT_EQ(body[key], value) << key << " in " << res->body;
        }
      }
    }
    if (!r.body_text.empty()) {
      EXPECT_EQ(res->body, r.body_text);
    }
    if (!r.challenge.empty()) {
      EXPECT_EQ(res->get_header_value("WWW-Authenticate"), r.challenge);
    }
  }
}

// The journal as the admin API serves it, searched for each secret.
inline void expect_journal_lacks(const fakes::RequestJournal& journal,
                                 const std::vector<std::string>& secrets) {
  std::string text;
  for (const auto& entry : journal.entries()) text += fakes::to_json(entry).dump() + "\n";
  ASSERT_FALSE(text.empty());
  for (const auto& secret : secrets) {
    EXPECT_EQ(text.find(secret), std::string::npos) << "journal holds a secret:\n" << text;
  }
}

}  // namespace mepsim::testing
