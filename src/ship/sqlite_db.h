// SqliteDb, SqliteStatement, SqliteQuery: a thin RAII layer over the SQLite C API, just
// what the checkpoint store needs.
//
// Errors become Status values carrying SQLite's own message (and the OS error when there
// is one): SQLITE_FULL (or an I/O error whose cause is ENOSPC/EDQUOT) is kResourceExhausted,
// a corrupt or foreign file kDataLoss, anything else (read-only, I/O error, locked, cannot
// open) kIoError. Callers add which database
// and what they were doing.
//
// Not thread-safe: one owner uses a database and its statements at a time. Statements
// must be destroyed before their database.
#ifndef LIFEBOAT_SHIP_SQLITE_DB_H_
#define LIFEBOAT_SHIP_SQLITE_DB_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace lifeboat {

// A cursor over one execution of a statement; resets the statement when destroyed, so a
// query abandoned after its first row holds no read lock.
class SqliteQuery {
 public:
  SqliteQuery(sqlite3_stmt* stmt, Status bind_status)
      : stmt_(stmt), bind_status_(std::move(bind_status)) {}
  ~SqliteQuery();
  SqliteQuery(const SqliteQuery&) = delete;
  SqliteQuery& operator=(const SqliteQuery&) = delete;

  // Steps once: true when a row is ready, false when the statement is done.
  Result<bool> Next();
  int64_t Int(int column) const;
  std::string Text(int column) const;

 private:
  sqlite3_stmt* stmt_;
  Status bind_status_;
};

class SqliteStatement {
 public:
  explicit SqliteStatement(sqlite3_stmt* stmt = nullptr) : stmt_(stmt) {}
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;

  // Binds `args` (integers or text) to ?1, ?2, ... and returns a cursor over the rows.
  template <typename... Args>
  SqliteQuery Query(const Args&... args) {
    Status status;
    int index = 0;
    (Bind(++index, args, &status), ...);
    return SqliteQuery(stmt_, std::move(status));
  }

  // Runs a statement that returns no rows; how many rows it inserted, changed or deleted.
  template <typename... Args>
  Result<int> Run(const Args&... args) {
    SqliteQuery query = Query(args...);
    LIFEBOAT_ASSIGN_OR_RETURN(bool row, query.Next());
    if (row) return Status::Internal("statement returned a row where none was expected");
    return Changes();
  }

 private:
  void Bind(int index, int64_t value, Status* status);
  void Bind(int index, std::string_view value, Status* status);
  int Changes() const;

  sqlite3_stmt* stmt_;
};

class SqliteDb {
 public:
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(SqliteDb&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteDb& operator=(SqliteDb&& other) noexcept;

  // Opens `path` for reading and writing, creating it if missing.
  static Result<SqliteDb> Open(const std::string& path);

  // Runs SQL text of one or more statements, ignoring any rows.
  Status Exec(const std::string& sql);
  Result<SqliteStatement> Prepare(std::string_view sql);
  void SetBusyTimeout(int milliseconds);

  // True between BEGIN and COMMIT/ROLLBACK (SQLite may roll back by itself on errors).
  bool in_transaction() const;
  // SQLite silently opens a file it may not write read-only.
  bool read_only() const;

 private:
  explicit SqliteDb(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// The Status for SQLite result code `rc` on `db` (which may be null).
Status SqliteError(sqlite3* db, int rc);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_SQLITE_DB_H_
