#include "ship/sqlite_db.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace lifeboat {

Status SqliteError(sqlite3* db, int rc) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  int primary = rc & 0xff;
  // SQLite's "disk I/O error" and "unable to open database file" hide the cause.
  if (db != nullptr && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN)) {
    if (int err = sqlite3_system_errno(db); err != 0) {
      message += " (";
      message += std::strerror(err);
      message += ")";
      // Not every write path turns ENOSPC into SQLITE_FULL (fsync, the WAL index).
      if (err == ENOSPC || err == EDQUOT) primary = SQLITE_FULL;
    }
  }
  switch (primary) {
    case SQLITE_FULL:
      return Status(StatusCode::kResourceExhausted, std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::DataLoss(std::move(message));
    default:
      return Status::IoError(std::move(message));
  }
}

SqliteQuery::~SqliteQuery() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<bool> SqliteQuery::Next() {
  if (!bind_status_.ok()) return bind_status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(stmt_), rc);
}

int64_t SqliteQuery::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string SqliteQuery::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

void SqliteStatement::Bind(int index, int64_t value, Status* status) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && status->ok()) *status = SqliteError(sqlite3_db_handle(stmt_), rc);
}

void SqliteStatement::Bind(int index, std::string_view value, Status* status) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && status->ok()) *status = SqliteError(sqlite3_db_handle(stmt_), rc);
}

int SqliteStatement::Changes() const { return sqlite3_changes(sqlite3_db_handle(stmt_)); }

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

SqliteDb& SqliteDb::operator=(SqliteDb&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

Result<SqliteDb> SqliteDb::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  // NOMUTEX: callers serialize access themselves. EXRESCODE: extended codes everywhere.
  int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  SqliteDb db(handle);  // closes the handle SQLite allocates even when opening fails
  if (rc != SQLITE_OK) return SqliteError(handle, rc);
  return db;
}

Status SqliteDb::Exec(const std::string& sql) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::Ok() : SqliteError(db_, rc);
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc);
  return SqliteStatement(stmt);
}

void SqliteDb::SetBusyTimeout(int milliseconds) { sqlite3_busy_timeout(db_, milliseconds); }

bool SqliteDb::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

bool SqliteDb::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

}  // namespace lifeboat
