// A bounded set of PostgreSQL connections, opened on demand and replaced when broken.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "storage/postgres/connection.hpp"

namespace roster::storage::postgres {

class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  // A connection on loan; returned to the pool when the lease ends, or closed (freeing its slot
  // for a new one) when it broke or was left inside a transaction.
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

  // At most `size` connections are open at once; `factory` opens one (and throws kUnavailable
  // when the server cannot be reached).
  ConnectionPool(int size, Factory factory);

  // An idle healthy connection, else a new one when a slot is free, else waits for one. Idle
  // connections that went bad while unused (server restart) are closed and replaced here, so the
  // node recovers by itself once the server is back. Throws kUnavailable when a new connection
  // cannot be opened. Thread-safe.
  Lease Acquire();

  // Adds an already open connection (the one that ran the migrations).
  void Adopt(std::unique_ptr<Connection> connection);

 private:
  void Release(std::unique_ptr<Connection> connection);

  const int size_;
  Factory factory_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle + leased
};

}  // namespace roster::storage::postgres
