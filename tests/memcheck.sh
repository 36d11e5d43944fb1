#!/bin/sh
# memcheck.sh: runs a test program under valgrind's memcheck, failing on
# invalid reads or writes, uses of uninitialised memory, and definite
# leaks (tests/valgrind.supp lists what is not libkvmmig's).
#   memcheck.sh PROGRAM [ARGS...]
here=$(cd "$(dirname "$0")" && pwd)
export G_SLICE=always-malloc G_DEBUG=gc-friendly
exec valgrind --tool=memcheck --quiet --error-exitcode=99 \
    --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --num-callers=30 --suppressions="$here/valgrind.supp" "$@"
