# SPDX-License-Identifier: MIT
# Turn every file under DIR into a C table: SYMBOL[] of {name, data, len}
# (name relative to DIR, data NUL-terminated), ending with {0, 0, 0}.  The
# admin UI's templates and static files are compiled in this way, so the
# binary needs nothing beside it.  Run by the build, not by hand.
file(GLOB_RECURSE files RELATIVE ${DIR} ${DIR}/*)
list(SORT files)
set(body "")
set(table "")
set(i 0)
foreach(f ${files})
  file(READ ${DIR}/${f} hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR len "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "static const char f${i}[] = {${hex}0};\n")
  string(APPEND table "    {\"${f}\", f${i}, ${len}},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE ${OUT}.tmp "/* generated from ${DIR} by cmake/embed_files.cmake */
#include <stddef.h>
struct embedded_file {
    const char *name, *data;
    size_t len;
};
${body}
const struct embedded_file ${SYMBOL}[] = {
${table}    {0, 0, 0}
};
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
