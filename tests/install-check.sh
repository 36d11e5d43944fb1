#!/bin/sh
# install-check.sh: `meson install` into a staging directory, then build
# the C example against the installed kvmmig-1.pc and headers, and run it,
# as a user of the installed library would; and check that kvmmig's bash
# completion is installed where bash-completion's pkg-config file says,
# the OCF resource agent ocf:kvmmig:guest where Pacemaker finds it, and
# the LVM module (libkvmmig-lvm.so) where the library looks for it.
#   install-check.sh BUILDDIR SOURCEDIR
set -eu

build=$1
src=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

meson install -C "$build" --destdir "$stage" --no-rebuild --quiet >/dev/null

pcdir=$(dirname "$(find "$stage" -name kvmmig-1.pc | head -n1)")
[ -n "$pcdir" ] || { echo "not ok 1 - kvmmig-1.pc installed"; exit 1; }

echo "1..7"
echo "ok 1 - kvmmig-1.pc installed in ${pcdir#"$stage"}"

# The .pc file says prefix=PREFIX; a copy of it points at the staging tree.
mkdir "$stage/pc"
sed "s|^prefix=|prefix=$stage|" "$pcdir/kvmmig-1.pc" > "$stage/pc/kvmmig-1.pc"
export PKG_CONFIG_PATH="$stage/pc"
flags=$(pkg-config --cflags --libs kvmmig-1)
echo "ok 2 - pkg-config --cflags --libs kvmmig-1: $flags"

# shellcheck disable=SC2086
cc -o "$stage/list-guests" "$src/examples/list-guests.c" $flags
echo "ok 3 - examples/list-guests.c compiles against the installed library"

libdir=$(dirname "$(find "$stage" -name 'libkvmmig-1.so.0' | head -n1)")
out=$(LD_LIBRARY_PATH="$libdir" "$stage/list-guests" test:///default)
case "$out" in
    *" test "*running*persistent*) echo "ok 4 - it lists test:///default's guest" ;;
    *) echo "not ok 4 - unexpected output: $out"; exit 1 ;;
esac

# bash-completion's completionsdir under our DATADIR, or
# DATADIR/bash-completion/completions without its pkg-config file
# (cli/meson.build).
prefix=$(sed -n 's|^prefix=||p' "$pcdir/kvmmig-1.pc")
want=$(pkg-config --define-variable=datadir="$prefix/share" --variable=completionsdir bash-completion 2>/dev/null || true)
completion=$(find "$stage" -path '*/bash-completion/completions/kvmmig' | head -n1)
if [ -n "$completion" ] && { [ -z "$want" ] || [ "${completion#"$stage"}" = "$want/kvmmig" ]; }; then
    echo "ok 5 - bash completion installed as ${completion#"$stage"}"
else
    echo "not ok 5 - bash completion not installed in ${want:-DATADIR/bash-completion/completions}: '${completion#"$stage"}'"
    exit 1
fi

# ocf:kvmmig:guest: PREFIX/lib/ocf/resource.d/kvmmig/guest (ocf/meson.build),
# executable, and answering meta-data with its own name.
agent="$stage$prefix/lib/ocf/resource.d/kvmmig/guest"
if [ -x "$agent" ] && "$agent" meta-data | grep -q '<resource-agent name="guest"'; then
    echo "ok 6 - OCF agent installed as ${agent#"$stage"}, meta-data answers"
else
    echo "not ok 6 - OCF agent not installed (or not executable) as ${agent#"$stage"}"
    exit 1
fi

# The LVM module: LIBDIR/libkvmmig-1/modules/libkvmmig-lvm.so, the folder
# the library has compiled in (libkvmmig/meson.build); it links libblockdev,
# the library does not. None when built without libblockdev.
want="${libdir#"$stage"}/libkvmmig-1/modules/libkvmmig-lvm.so"
module=$(find "$stage" -name 'libkvmmig-lvm.so*' | head -n1)
if [ ! -f "$build/libkvmmig/libkvmmig-lvm.so" ]; then
    if [ -z "$module" ]; then
        echo "ok 7 - no LVM module (built without libblockdev)"
    else
        echo "not ok 7 - an LVM module installed by a build without libblockdev: ${module#"$stage"}"
        exit 1
    fi
elif [ "$module" != "$stage$want" ]; then
    echo "not ok 7 - LVM module installed as '${module#"$stage"}', not $want"
    exit 1
elif ! grep -q -a -F "$(dirname "$want")" "$libdir/libkvmmig-1.so.0"; then
    echo "not ok 7 - libkvmmig-1.so.0 does not look for its LVM module in $(dirname "$want")"
    exit 1
elif readelf -d "$libdir/libkvmmig-1.so.0" | grep -q 'NEEDED.*blockdev' ||
     ! readelf -d "$module" | grep -q 'NEEDED.*libblockdev'; then
    echo "not ok 7 - libblockdev is linked by libkvmmig-1.so.0, or not by the LVM module"
    exit 1
else
    echo "ok 7 - LVM module installed as $want, where the library looks; it links libblockdev, the library does not"
fi
