// Connection pool: a mutex-guarded stack of idle connections and a condition variable.
#include "storage/sqlite/connection_pool.hpp"

#include <utility>

namespace roster::storage::sqlite {

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> connections)
    : idle_(std::move(connections)) {}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [this] { return !idle_.empty(); });
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(connection));
}

void ConnectionPool::Release(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace roster::storage::sqlite
