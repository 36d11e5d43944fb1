#!/bin/sh
# examples-check.sh: the list-guests example in C, Python and GJS prints the
# same list for the same host.
#   examples-check.sh BUILDDIR SOURCEDIR
set -eu
build=$1
src=$2
export GI_TYPELIB_PATH="$build/introspection"
export LD_LIBRARY_PATH="$build/libkvmmig"
export PYTHONPATH="$src/bindings/python"

echo "1..3"
c=$("$build/examples/kvmmig-list-guests" test:///default | tail -n +2)
py=$(/usr/bin/python3 "$src/examples/list-guests.py" test:///default | tail -n +2)
js=$(gjs -m "$src/examples/list-guests.js" test:///default | tail -n +2)

case "$c" in *" test "*running*) echo "ok 1 - C lists the guest" ;;
    *) echo "not ok 1 - C printed: $c"; exit 1 ;; esac
[ "$py" = "$c" ] && echo "ok 2 - Python prints what C prints" || { echo "not ok 2 - Python: $py"; exit 1; }
[ "$js" = "$c" ] && echo "ok 3 - GJS prints what C prints" || { echo "not ok 3 - GJS: $js"; exit 1; }
