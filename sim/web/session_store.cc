#include "sim/web/session_store.h"

#include <nlohmann/json.hpp>

#include "sim/web/secure_token.h"

namespace mepsim::web {
bool SessionStore::is_session_id(const std::string& id) {
  // What open() hands out: 32 lowercase hex digits. Anything else is not looked up.
  if (id.size() != 32) return false;
  for (const char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string SessionStore::encode(const SessionUser& user, Instant now) const {
  nlohmann::json token = {{"id", user.id}, {"email", user.email}, {"roles", user.roles}};
  token["territory_id"] = user.territory_id ? nlohmann::json(*user.territory_id) : nullptr;
  const nlohmann::json value = {
      {"_format", format_},
      {"_security_main", token},
      {"_sf2_meta", {{"c", unix_seconds(now)}, {"u", unix_seconds(now)}, {"l", 0}}}};
  return value.dump();
}

std::optional<SessionUser> SessionStore::decode(const std::string& value) const {
  const auto json = nlohmann::json::parse(value, nullptr, false);
  if (!json.is_object() || json.value("_format", 0) != format_) return std::nullopt;
  const auto token = json.find("_security_main");
  if (token == json.end() || !token->is_object()) return std::nullopt;
  try {
    SessionUser user;
    user.id = token->at("id").get<std::int64_t>();
    user.email = token->at("email").get<std::string>();
    user.roles = token->at("roles").get<std::vector<std::string>>();
    const auto& territory = token->at("territory_id");
    if (!territory.is_null()) user.territory_id = territory.get<std::int64_t>();
    return user;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // written by something else under our prefix: not a session
  }
}

Result<std::optional<SessionUser>> SessionStore::load(RedisConnection& redis, const std::string& id,
                                                      const std::vector<std::string>& also_get,
                                                      Prefetched* prefetched) {
  if (!is_session_id(id)) return std::optional<SessionUser>();
  const std::string k = key(id);
  std::vector<std::vector<std::string>> commands = {{"GET", k},
                                                    {"EXPIRE", k, std::to_string(kSessionTtlS)}};
  for (const auto& extra : also_get) commands.push_back({"GET", extra});
  auto replies = redis.pipeline(commands);
  metrics_.count_redis_commands(commands.size());
  if (!replies) return replies.error();
  for (std::size_t i = 0; prefetched != nullptr && i < also_get.size(); ++i) {
    prefetched->insert_or_assign(also_get[i], std::move(replies.value()[i + 2]));
  }
  metrics_.count_session_read();
  auto& value = replies.value()[0];
  if (!value) {
    if (value.error().code == ErrorCode::not_found) return std::optional<SessionUser>();
    return value.error();
  }
  return decode(value.value());
}

Result<std::string> SessionStore::open(RedisConnection& redis, const SessionUser& user, Instant now,
                                       const std::string& previous_id) {
  const std::string id = random_hex(16);
  std::vector<std::vector<std::string>> commands = {
      {"SETEX", key(id), std::to_string(kSessionTtlS), encode(user, now)}};
  if (is_session_id(previous_id)) commands.push_back({"DEL", key(previous_id)});
  auto replies = redis.pipeline(commands);
  metrics_.count_redis_commands(commands.size());
  if (!replies) return replies.error();
  if (!replies.value()[0]) return replies.value()[0].error();
  metrics_.count_session_write();
  return id;
}

Result<void> SessionStore::destroy(RedisConnection& redis, const std::string& id) {
  if (!is_session_id(id)) return {};
  auto deleted = redis.command({"DEL", key(id)});
  metrics_.count_redis_commands(1);
  if (!deleted) return deleted.error();
  metrics_.count_session_write();
  return {};
}

}  // namespace mepsim::web
