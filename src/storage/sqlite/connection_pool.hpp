// A fixed set of SQLite connections handed out one caller at a time.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/sqlite/connection.hpp"

namespace roster::storage::sqlite {

class ConnectionPool {
 public:
  // A connection on loan; returned to the pool when the lease ends.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.Release(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    Connection& operator*() const { return *connection_; }
    Connection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit ConnectionPool(std::vector<std::unique_ptr<Connection>> connections);

  // Waits until a connection is free. Thread-safe.
  Lease Acquire();

 private:
  void Release(std::unique_ptr<Connection> connection);

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace roster::storage::sqlite
