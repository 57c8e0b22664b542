// Whole-database export and import (`roster export` / `roster import`): every table read in one
// snapshot, or written in one transaction into an empty database (storage/export_format.hpp).
// Identity columns keep their values (OVERRIDING SYSTEM VALUE); their sequences are moved past
// the imported values afterwards.
#include <string>
#include <vector>

#include "core/error.hpp"
#include "storage/export_format.hpp"
#include "storage/postgres/migrations.hpp"
#include "storage/postgres/store_ops.hpp"
#include "storage/postgres/store_support.hpp"
#include "storage/postgres/transaction.hpp"

namespace roster::storage::postgres {

void PgStoreOps::ExportAll(const ExportSink& sink) {
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Transaction::Mode::kRead);
  sink("", exchange::Header(CurrentSchemaVersion(*db)));
  for (const exchange::Table& table : exchange::Tables()) {
    Statement stmt = db->Prepare(exchange::SelectSql(table));
    while (stmt.Step()) {
      nlohmann::ordered_json row = nlohmann::ordered_json::object();
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const exchange::Column& column = table.columns[i];
        const int index = static_cast<int>(i);
        if (stmt.IsNull(index)) {
          row[std::string(column.name)] = nullptr;
        } else if (column.integer) {
          row[std::string(column.name)] = stmt.Int(index);
        } else {
          row[std::string(column.name)] = stmt.Text(index);
        }
      }
      sink(table.name, row);
    }
  }
  txn.Commit();
}

void PgStoreOps::ImportAll(int schema_version, const std::vector<exchange::Row>& rows) {
  for (const exchange::Row& row : rows) {
    const exchange::Table* table = exchange::FindTable(row.table);
    if (table == nullptr) throw exchange::InvalidImport("unknown table '" + row.table + "'");
    exchange::CheckRow(*table, row.values);
  }
  auto db = impl_->pool.Acquire();
  Transaction txn(*db, Transaction::Mode::kWrite);
  const int version = CurrentSchemaVersion(*db);
  if (version != schema_version) {
    throw exchange::InvalidImport("the file has schema version " + std::to_string(schema_version) +
                                  ", this database " + std::to_string(version));
  }
  for (const exchange::Table& table : exchange::Tables()) {
    Statement count = db->Prepare("SELECT count(*) FROM " + std::string(table.name));
    count.Step();
    if (const auto n = count.Int(0); n > 0) {
      throw exchange::InvalidImport("the target database is not empty (table '" +
                                    std::string(table.name) + "' has " + std::to_string(n) +
                                    " rows); import into a new database");
    }
  }
  for (const exchange::Table& table : exchange::Tables()) {
    const std::string sql = exchange::InsertSql(table, /*postgres=*/true);
    std::size_t n = 0;
    for (const exchange::Row& row : rows) {
      if (row.table != table.name) continue;
      ++n;
      Statement stmt = db->Prepare(sql);
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        const auto& value = row.values.at(std::string(table.columns[i].name));
        const int index = static_cast<int>(i) + 1;
        if (value.is_null()) {
          stmt.BindNull(index);
        } else if (table.columns[i].integer) {
          stmt.BindInt(index, value.get<std::int64_t>());
        } else {
          stmt.BindText(index, value.get_ref<const std::string&>());
        }
      }
      try {
        stmt.Run();
      } catch (const core::Error& e) {
        if (e.kind() != core::ErrorKind::kInternal) throw;
        throw exchange::InvalidImport("row " + std::to_string(n) + " of table '" +
                                      std::string(table.name) +
                                      "' violates the schema: " + e.detail());
      }
    }
    if (!table.identity.empty()) {
      const std::string name(table.name);
      const std::string column(table.identity);
      Statement reset =
          db->Prepare("SELECT setval(pg_get_serial_sequence('" + name + "', '" + column +
                      "'), COALESCE(MAX(" + column + "), 0) + 1, false) FROM " + name);
      reset.Step();
    }
  }
  txn.Commit();
}

}  // namespace roster::storage::postgres
