// Connection pool: idle connections on a stack, slots counted, broken connections replaced.
#include "storage/postgres/connection_pool.hpp"

#include <algorithm>
#include <utility>

namespace roster::storage::postgres {

ConnectionPool::ConnectionPool(int size, Factory factory)
    : size_(std::max(1, size)), factory_(std::move(factory)) {}

void ConnectionPool::Adopt(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    ++open_;
  }
  Release(std::move(connection));
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  for (;;) {
    std::unique_ptr<Connection> connection;
    {
      std::unique_lock lock(mutex_);
      available_.wait(lock, [this] { return !idle_.empty() || open_ < size_; });
      if (!idle_.empty()) {
        connection = std::move(idle_.back());
        idle_.pop_back();
      } else {
        ++open_;  // reserve the slot, connect outside the lock
      }
    }
    if (connection) {
      if (connection->Healthy()) return Lease(*this, std::move(connection));
      connection.reset();  // went bad while idle: close it and open a fresh one in its slot
      std::lock_guard lock(mutex_);
      --open_;
      continue;
    }
    try {
      return Lease(*this, factory_());
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        --open_;
      }
      available_.notify_one();
      throw;
    }
  }
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  if (!connection) return;
  const bool keep = connection->Healthy();
  if (!keep) connection.reset();
  {
    std::lock_guard lock(mutex_);
    if (keep) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
  }
  available_.notify_one();
}

}  // namespace roster::storage::postgres
