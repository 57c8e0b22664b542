// Export and import of a whole store as JSON Lines, from the shell.
#include "app/export_commands.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/command_support.hpp"
#include "core/error.hpp"
#include "storage/export_format.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/store.hpp"

namespace roster::app {
namespace {

namespace exchange = storage::exchange;

// Rows per table, in table order, for the summary.
std::string Summary(const std::map<std::string, std::size_t, std::less<>>& counts) {
  std::string text;
  for (const exchange::Table& table : exchange::Tables()) {
    const auto it = counts.find(table.name);
    if (!text.empty()) text += ", ";
    text += std::string(table.name) + " " + std::to_string(it == counts.end() ? 0 : it->second);
  }
  return text;
}

CommandError BadLine(std::size_t line, const std::string& why) {
  return CommandError("import refused: line " + std::to_string(line) + ": " + why);
}

}  // namespace

int Export(const std::string& db, const std::optional<std::string>& out) {
  if (!storage::postgres::IsPostgresUrl(db) && !std::filesystem::is_regular_file(db)) {
    throw CommandError("no database at '" + db + "'");
  }
  auto store = OpenStore(db, 1);
  const std::string temporary = out ? *out + ".tmp" : std::string();
  std::ofstream file;
  if (out) {
    file.open(temporary, std::ios::binary | std::ios::trunc);
    if (!file) throw CommandError("cannot write '" + temporary + "'");
  }
  std::ostream& stream = out ? static_cast<std::ostream&>(file) : std::cout;
  std::map<std::string, std::size_t, std::less<>> counts;
  store->ExportAll([&](std::string_view table, const nlohmann::ordered_json& row) {
    if (table.empty()) {
      stream << row.dump() << '\n';
      return;
    }
    nlohmann::ordered_json line = nlohmann::ordered_json::object();
    line["table"] = table;
    line["row"] = row;
    stream << line.dump() << '\n';
    ++counts[std::string(table)];
  });
  stream.flush();
  if (!stream) throw CommandError("writing the export failed");
  if (out) {
    file.close();
    if (!file) throw CommandError("writing '" + temporary + "' failed");
    std::filesystem::rename(temporary, *out);
  }
  std::cerr << "exported " << db << (out ? " to " + *out : std::string()) << ": " << Summary(counts)
            << std::endl;
  return kExitOk;
}

int Import(const std::string& db, const std::string& in) {
  std::ifstream file(in, std::ios::binary);
  if (!file) throw CommandError("cannot read '" + in + "'");
  std::optional<int> schema_version;
  std::vector<exchange::Row> rows;
  std::map<std::string, std::size_t, std::less<>> counts;
  std::string text;
  std::size_t number = 0;
  while (std::getline(file, text)) {
    ++number;
    if (text.empty()) continue;
    nlohmann::ordered_json line;
    try {
      line = nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::exception& e) {
      throw BadLine(number, std::string("not JSON (") + e.what() + ")");
    }
    if (!line.is_object()) throw BadLine(number, "not a JSON object");
    if (!schema_version) {
      if (line.value("format", "") != exchange::kFormatName) {
        throw BadLine(number, "not a roster export (the first line must be its header)");
      }
      const auto version = line.find("format_version");
      if (version == line.end() || !version->is_number_integer() ||
          version->get<int>() != exchange::kFormatVersion) {
        throw BadLine(number, "unsupported format_version (this build reads " +
                                  std::to_string(exchange::kFormatVersion) + ")");
      }
      const auto schema = line.find("schema_version");
      if (schema == line.end() || !schema->is_number_integer()) {
        throw BadLine(number, "the header has no integer schema_version");
      }
      schema_version = schema->get<int>();
      continue;
    }
    const auto table = line.find("table");
    const auto row = line.find("row");
    if (line.size() != 2 || table == line.end() || !table->is_string() || row == line.end()) {
      throw BadLine(number, R"(expected {"table": "...", "row": {...}})");
    }
    const exchange::Table* known = exchange::FindTable(table->get_ref<const std::string&>());
    if (known == nullptr) {
      throw BadLine(number, "unknown table '" + table->get<std::string>() + "'");
    }
    try {
      exchange::CheckRow(*known, *row);
    } catch (const core::Error& e) {
      std::string_view why = e.message();
      if (why.starts_with("import refused: ")) why.remove_prefix(16);
      throw BadLine(number, std::string(why));
    }
    ++counts[table->get<std::string>()];
    rows.push_back(exchange::Row{table->get<std::string>(), std::move(*row)});
  }
  if (file.bad()) throw CommandError("reading '" + in + "' failed");
  if (!schema_version) throw CommandError("import refused: '" + in + "' is empty");

  auto store = OpenStore(db, 1);
  try {
    store->ImportAll(*schema_version, rows);
  } catch (const core::Error& e) {
    if (e.kind() == core::ErrorKind::kInvalidRequest) throw CommandError(e.message());
    throw;
  }
  std::cerr << "imported " << in << " into " << db << ": " << Summary(counts) << std::endl;
  return kExitOk;
}

}  // namespace roster::app
