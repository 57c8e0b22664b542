# Turns one file into a C++ source defining `std::string_view FUNCTION() noexcept` that returns the
# file's bytes. Run at build time:
#   cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -DNAMESPACE=roster::api -DFUNCTION=Name -P EmbedFile.cmake
# Every byte becomes a `\xHH` escape, so any content is safe inside the literal.
cmake_minimum_required(VERSION 3.25)

if(NOT INPUT OR NOT OUTPUT OR NOT NAMESPACE OR NOT FUNCTION)
  message(FATAL_ERROR "EmbedFile.cmake needs -DINPUT, -DOUTPUT, -DNAMESPACE and -DFUNCTION")
endif()

file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
# 64 bytes per source line keeps the file readable by tools.
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n    \"" escaped "${escaped}")
file(WRITE "${OUTPUT}.tmp"
     "// Generated from ${INPUT} by cmake/EmbedFile.cmake. Do not edit.\n"
     "#include <string_view>\n\n"
     "namespace ${NAMESPACE} {\n\n"
     "std::string_view ${FUNCTION}() noexcept {\n"
     "  static constexpr char kBytes[] =\n"
     "    \"${escaped}\";\n"
     "  return std::string_view(kBytes, ${size});\n"
     "}\n\n"
     "}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
