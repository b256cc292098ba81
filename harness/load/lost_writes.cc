#include "harness/load/lost_writes.h"

#include <algorithm>
#include <set>

#include "sim/datastore/mysql_connection.h"

namespace mepsim::load {
namespace {

constexpr std::size_t kBatch = 500;
constexpr std::size_t kListedMax = 20;

}  // namespace

bool AcceptedWrites::add(AcceptedWrite write) {
  std::lock_guard lock(mutex_);
  if (writes_.size() >= kRecordedMax) return false;
  writes_.push_back(std::move(write));
  return true;
}

std::vector<AcceptedWrite> AcceptedWrites::snapshot() const {
  std::lock_guard lock(mutex_);
  return writes_;
}

std::size_t AcceptedWrites::size() const {
  std::lock_guard lock(mutex_);
  return writes_.size();
}

Result<LostWritesCheck> find_lost_writes(const std::vector<AcceptedWrite>& writes,
                                         const MysqlUrl& url, Duration connect_timeout) {
  auto db = MysqlConnection::open(url, connect_timeout);
  if (!db) return db.error().context("checking lost writes");
  LostWritesCheck check;
  for (std::size_t start = 0; start < writes.size(); start += kBatch) {
    const std::size_t end = std::min(writes.size(), start + kBatch);
    std::string sql = "SELECT uuid FROM signalement WHERE uuid IN (";
    std::vector<SqlParam> params;
    for (std::size_t i = start; i < end; ++i) {
      sql += i == start ? "?" : ",?";
      params.emplace_back(writes[i].uuid);
    }
    sql += ")";
    auto rows = db->query(sql, params);
    if (!rows) return rows.error().context("checking lost writes");
    std::set<std::string> found;
    for (const auto& row : rows.value()) {
      if (!row.empty()) found.insert(row[0]);
    }
    for (std::size_t i = start; i < end; ++i) {
      ++check.checked;
      if (found.contains(writes[i].uuid)) continue;
      ++check.lost;
      if (check.lost_references.size() < kListedMax) {
        check.lost_references.push_back(writes[i].reference);
      }
    }
  }
  return check;
}

}  // namespace mepsim::load
