#include "harness/topology/review_app_datastores.h"

#include <algorithm>

#include "harness/topology/app_database.h"
#include "sim/datastore/mysql_connection.h"
#include "sim/datastore/redis_connection.h"
#include "sim/platform/release_manifest.h"

namespace mepsim {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(5);
constexpr int kRedisDatabases = 16;

std::string database_name(const std::string& app) {
  std::string name = app;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace

ReviewAppDatastores::ReviewAppDatastores(MysqlUrl mysql, RedisUrl redis,
                                         std::set<int> redis_dbs_taken,
                                         platform::ContainerRuntime& runtime,
                                         platform::SourceProvider& source,
                                         std::string fixture_password)
    : mysql_(std::move(mysql)),
      redis_(std::move(redis)),
      runtime_(runtime),
      source_(source),
      fixture_password_(std::move(fixture_password)),
      redis_dbs_taken_(std::move(redis_dbs_taken)) {}

platform::Platform::AppLifecycleHooks ReviewAppDatastores::hooks(platform::Platform& platform) {
  return {[this, &platform](const platform::App& app) { return provide(platform, app); },
          [this](const platform::App& app) { remove(app); }};
}

Result<std::map<std::string, std::string>> ReviewAppDatastores::provide(
    platform::Platform& platform, const platform::App& review_app) {
  RedisUrl cache = redis_;
  {
    std::lock_guard lock(mutex_);
    int free_db = -1;
    for (int db = 0; db < kRedisDatabases && free_db < 0; ++db) {
      if (!redis_dbs_taken_.contains(db)) free_db = db;
    }
    if (free_db < 0) {
      return make_error(ErrorCode::capacity, "no Redis database left for " + review_app.name);
    }
    redis_dbs_taken_.insert(free_db);
    redis_db_by_app_[review_app.name] = free_db;
    cache.db = free_db;
  }
  MysqlUrl db = mysql_;
  db.database = database_name(review_app.name);
  auto admin = MysqlConnection::open(mysql_, kConnectTimeout);
  if (!admin) return admin.error().context("creating the database of " + review_app.name);
  if (auto created = admin->execute("CREATE DATABASE IF NOT EXISTS `" + db.database +
                                    "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
      !created) {
    return created.error().context("creating the database of " + review_app.name);
  }
  // The parent's variables and serving release: what the review app starts from.
  platform::AppProfile profile;
  profile.name = review_app.name;
  auto variables = platform.variables(review_app.parent_app_name);
  if (!variables) return variables.error();
  for (const auto& v : variables.value()) profile.variables[v.name] = v.value;
  profile.variables["DATABASE_URL"] = db.str();
  profile.variables["REDIS_URL"] = cache.str();
  auto serving = platform.serving_release(review_app.parent_app_name);
  if (!serving) return serving.error();
  auto text = source_.manifest_at(review_app.parent_app_name, serving->git_ref);
  if (!text) return text.error().context("the release of " + review_app.parent_app_name);
  auto release = platform::parse_release_manifest(text.value(), serving->git_ref + ":app.yaml");
  if (!release) return release.error();
  if (auto prepared = prepare_app_database(runtime_, profile, release.value(), fixture_password_);
      !prepared) {
    return prepared.error();
  }
  return std::map<std::string, std::string>{{"DATABASE_URL", db.str()}, {"REDIS_URL", cache.str()}};
}

void ReviewAppDatastores::remove(const platform::App& review_app) {
  // Best effort: a database left behind is removed with the servers at stop.
  if (auto admin = MysqlConnection::open(mysql_, kConnectTimeout)) {
    (void)admin->execute("DROP DATABASE IF EXISTS `" + database_name(review_app.name) + "`");
  }
  int db = -1;
  {
    std::lock_guard lock(mutex_);
    const auto found = redis_db_by_app_.find(review_app.name);
    if (found == redis_db_by_app_.end()) return;
    db = found->second;
    redis_db_by_app_.erase(found);
    redis_dbs_taken_.erase(db);
  }
  RedisUrl cache = redis_;
  cache.db = db;
  if (auto connection = RedisConnection::open(cache, kConnectTimeout)) {
    (void)connection->command({"FLUSHDB"});
  }
}

}  // namespace mepsim
