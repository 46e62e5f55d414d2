# SPDX-License-Identifier: MIT
# Turn migrations/NNN_name.sql into a C table: mh_migrations[] of
# {number, name, sql}, sorted by number.  Run by the build, not by hand.
file(GLOB files ${DIR}/*.sql)
list(SORT files)
set(body "")
set(count 0)
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" num ${name})
  if(num STREQUAL "")
    message(FATAL_ERROR "migration ${f} does not start with its number")
  endif()
  math(EXPR n "${num}")
  # numbers increase; a branch may skip the numbers other branches hold
  if(NOT n GREATER count)
    message(FATAL_ERROR "migration ${f} is number ${n}, which is not above ${count}")
  endif()
  file(READ ${f} sql HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," sql "${sql}")
  string(APPEND body "static const char m${n}[] = {${sql}0};\n")
  set(count ${n})
endforeach()
set(table "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  string(REGEX MATCH "^[0-9]+" num ${name})
  math(EXPR n "${num}")
  string(APPEND table "    {${n}, \"${name}\", m${n}},\n")
endforeach()
file(WRITE ${OUT}.tmp "/* generated from migrations/ by cmake/embed_migrations.cmake */
#include \"store/migrate.h\"
${body}
const struct migration mh_migrations[] = {
${table}    {0, 0, 0}
};
const int mh_migration_count = ${count};
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
