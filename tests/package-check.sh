#!/bin/sh
# package-check.sh: the Debian packages (debian/) as a user gets them. On a
# scratch copy of the source tree it builds the .debs with
# `dpkg-buildpackage -us -uc -b`, runs lintian on them (an E: fails), installs
# them with apt-get, and then, with a clean environment (no GI_TYPELIB_PATH,
# LD_LIBRARY_PATH, PYTHONPATH...), uses what they installed: Python and GJS
# load Kvmmig-1.0 and list test:///default's guest (Python through the
# overrides), a C program and a Vala program build against kvmmig-1, kvmmig
# --version, the LVM module loaded by kvmmig store format (and not by the
# rest), man kvmmig, its bash completion, the HTML reference. Then it
# purges the packages and checks that nothing of theirs is left. It purges
# them on the way out whatever happens.
#
# The build skips the package's own tests (DEB_BUILD_OPTIONS=nocheck): the
# unit and gir suites run them on the same sources.
#
# Needs root (apt-get install, purge), dpkg-dev and debhelper (else it
# skips, saying why), the packages of debian/control's Build-Depends, and
# lintian. It refuses to run if a libkvmmig package is installed already,
# not to replace a user's own.
#   package-check.sh SOURCEDIR
set -u

src=$(cd "$1" && pwd)

# The packages debian/control builds (with the debug symbols dh_strip adds).
packages="libkvmmig-1-0 libkvmmig-dev gir1.2-kvmmig-1.0 kvmmig libkvmmig-doc"
dbgsym="libkvmmig-1-0-dbgsym kvmmig-dbgsym"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
libdir=/usr/lib/$multiarch

skip() { echo "1..0 # SKIP $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root: it installs and purges the packages"
command -v dpkg-buildpackage >/dev/null 2>&1 || skip "dpkg-buildpackage missing (Debian package dpkg-dev)"
command -v dh >/dev/null 2>&1 || skip "debhelper missing (Debian package debhelper)"

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail=0
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; fail=1; }
skip_one() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
comment() { sed 's/^/# /'; }
oneline() { tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }
bail() { echo "Bail out! $*"; exit 1; }

# What is installed of ours (any state but not-installed): "pkg status" lines.
ours_installed() {
    for p in $packages $dbgsym; do
        s=$(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null) || continue
        case "$s" in un*|pn*|"") ;; *) echo "$p $s" ;; esac
    done
}

already=$(ours_installed)
[ -z "$already" ] || bail "libkvmmig packages are installed already ($(echo "$already" | oneline)): this test installs and purges them; purge them first"

work=$(mktemp -d /tmp/kvmmig-package-check.XXXXXX)
installed=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [ -n "$installed" ]; then
        left=$(ours_installed | cut -d' ' -f1)
        # shellcheck disable=SC2086
        [ -z "$left" ] || env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
            apt-get purge -y -q -o DPkg::Lock::Timeout=300 $left >/dev/null 2>&1
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A clean environment for everything below: no GI_TYPELIB_PATH,
# LD_LIBRARY_PATH, PYTHONPATH, PKG_CONFIG_PATH, nor a locale.
home=$work/home
mkdir -p "$home"
clean() {
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$home" "$@"
}

# -- build ------------------------------------------------------------------
# The copy: tracked and untracked-but-not-ignored files (so that new files not
# yet committed are packaged, but never _build*), or the whole tree without
# .git and build directories when it is not a git checkout.
copy=$work/libkvmmig
mkdir "$copy"
if [ -e "$src/.git" ] && command -v git >/dev/null 2>&1 &&
   git -c safe.directory='*' -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$src" && git -c safe.directory='*' ls-files -z -c -o --exclude-standard |
        tr '\0' '\n' | grep -v -E '^(_build|build|obj-)' |
        while IFS= read -r f; do [ -e "$f" ] || [ -L "$f" ] && printf '%s\n' "$f"; done |
        tar -cf - --no-recursion -T -) | tar -C "$copy" -xf - || bail "copying the source tree failed"
    how="git ls-files"
else
    tar -C "$src" --exclude=./.git --exclude='./_build*' --exclude='./build*' --exclude='./obj-*' \
        -cf - . | tar -C "$copy" -xf - || bail "copying the source tree failed"
    how="the whole tree"
fi
{ [ -f "$copy/debian/control" ] && [ -f "$copy/meson.build" ]; } ||
    bail "the copy of $src has no debian/control or meson.build"
version=$(cd "$copy" && dpkg-parsechangelog -S Version)
upstream=$(sed -n "s/^ *version: '\([^']*\)'.*/\1/p" "$copy/meson.build" | head -n1)

start=$(date +%s)
if (cd "$copy" && clean DEB_BUILD_OPTIONS="nocheck parallel=2" \
        dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b of a copy ($how) built version $version in $(( $(date +%s) - start )) s"
else
    not_ok "dpkg-buildpackage -us -uc -b failed; the end of its log:"
    tail -n 40 "$work/build.log" | comment
    grep -q 'Unmet build dependencies' "$work/build.log" &&
        echo "# install debian/control's Build-Depends (see HACKING.md, \"Packages\")"
    exit 1
fi

if [ "$version" = "$upstream" ]; then
    ok "the package's version (debian/changelog) is the project's ($upstream)"
else
    not_ok "debian/changelog says $version, meson.build $upstream: add a changelog entry"
fi

missing=
for p in $packages; do
    deb=$(ls "$work/${p}_${version}_"*.deb 2>/dev/null | head -n1)
    if [ -n "$deb" ]; then
        echo "# $(basename "$deb"): $(stat -c %s "$deb") bytes, installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"
    else
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    ok "the five packages were built"
else
    not_ok "packages not built:$missing"
    exit 1
fi

# -- lintian ----------------------------------------------------------------
changes=$(ls "$work"/libkvmmig_"${version}"_*.changes 2>/dev/null | head -n1)
if ! command -v lintian >/dev/null 2>&1; then
    not_ok "lintian: not installed (Debian package lintian)"
else
    # lintian exits 0 without an E:, 2 with one, 1 when it could not check.
    clean lintian -I "$changes" > "$work/lintian.log" 2>&1
    rc=$?
    grep -E '^[EWI]: ' "$work/lintian.log" | comment
    errors=$(grep -c '^E: ' "$work/lintian.log")
    if [ "$rc" = 0 ] && [ "$errors" = 0 ]; then
        ok "lintian -I $(basename "$changes"): no error ($(grep -c '^W: ' "$work/lintian.log") warning(s), $(grep -c '^I: ' "$work/lintian.log") info(s))"
    elif [ "$errors" != 0 ]; then
        not_ok "lintian -I $(basename "$changes"): $errors error(s)"
    else
        not_ok "lintian did not run (exit $rc):"
        comment < "$work/lintian.log"
    fi
fi

# -- install ----------------------------------------------------------------
installed=1
installed_names() { dpkg-query -W -f '${db:Status-Abbrev}|${Package}\n' | sed -n 's/^.i.|//p' | sort -u; }
before=$(installed_names)
if (cd "$work" && clean DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o DPkg::Lock::Timeout=300 ./*.deb) > "$work/install.log" 2>&1; then
    ok "apt-get install ./*.deb"
else
    not_ok "apt-get install ./*.deb failed:"
    tail -n 30 "$work/install.log" | comment
    exit 1
fi
after=$(installed_names)
printf '%s\n' "$before" > "$work/before"
# shellcheck disable=SC2086
printf '%s\n' $packages $dbgsym | sort > "$work/ours"
extra=$(printf '%s\n' "$after" | comm -13 "$work/before" - | comm -23 - "$work/ours")
[ -z "$extra" ] || echo "# apt-get also installed, as dependencies (left installed): $(echo "$extra" | oneline)"

not_installed=
for p in $packages $dbgsym; do
    [ "$(dpkg-query -W -f '${db:Status-Abbrev}' "$p" 2>/dev/null)" = "ii " ] || not_installed="$not_installed $p"
done
if [ -z "$not_installed" ]; then
    ok "installed: $packages $dbgsym"
else
    not_ok "not installed:$not_installed"
fi
# Every file each package installed, for the check after the purge.
for p in $packages $dbgsym; do dpkg -L "$p"; done | grep -v -x '/\.' | sort -u > "$work/files"

# -- Python: the typelib, the library and the overrides, from /usr ---------
cat > "$work/check.py" <<'EOF'
import sys
import gi
gi.require_version('Kvmmig', '1.0')
from gi.repository import Kvmmig

# The overrides make a host a context manager and an iterable of its guests,
# and give both readable reprs.
with Kvmmig.Host.new('test:///default') as host:
    print('host', repr(host))
    for guest in host:
        print('guest', repr(guest))
print('overrides', sys.modules['gi.overrides.Kvmmig'].__file__)
for path in sorted({line.split()[-1] for line in open('/proc/self/maps')
                    if 'kvmmig' in line.lower()}):
    print('mapped', path)
EOF
out=$(cd "$home" && clean /usr/bin/python3 "$work/check.py" 2>&1)
case "$out" in
    *"host <Kvmmig.Host test:///default (open)>"*"guest <Kvmmig.Guest 'test' on test:///default: running>"*)
        ok "/usr/bin/python3 loads Kvmmig 1.0, opens test:///default and lists its guest through the overrides" ;;
    *) not_ok "/usr/bin/python3 with Kvmmig 1.0:"; echo "$out" | comment ;;
esac
want="overrides /usr/lib/python3/dist-packages/gi/overrides/Kvmmig.py
mapped $libdir/girepository-1.0/Kvmmig-1.0.typelib
mapped $libdir/libkvmmig-1.so.0.1.0"
if [ "$(echo "$out" | grep -E '^(overrides|mapped) ')" = "$want" ]; then
    ok "Python used the packages' overrides, typelib and library, and nothing else"
else
    not_ok "Python did not use (only) the packages' files; it used:"
    echo "$out" | grep -E '^(overrides|mapped) ' | comment
fi

# -- GJS --------------------------------------------------------------------
out=$(cd "$home" && clean gjs -c "
imports.gi.versions.Kvmmig = '1.0';
const {GLib, Kvmmig} = imports.gi;
const host = Kvmmig.Host.new('test:///default');
host.open(null);
for (const guest of host.list_guests(null))
    print('guest ' + guest.name + ' ' + (guest.state === Kvmmig.GuestState.RUNNING ? 'running' : guest.state));
const [, maps] = GLib.file_get_contents('/proc/self/maps');
const mapped = new Set(new TextDecoder().decode(maps).split('\n')
    .filter(l => /kvmmig/i.test(l)).map(l => l.split(/\s+/).pop()));
for (const path of [...mapped].sort()) print('mapped ' + path);
" 2>&1)
want="guest test running
mapped $libdir/girepository-1.0/Kvmmig-1.0.typelib
mapped $libdir/libkvmmig-1.so.0.1.0"
if [ "$out" = "$want" ]; then
    ok "gjs loads Kvmmig 1.0 from the packages and lists test:///default's guest"
else
    not_ok "gjs with Kvmmig 1.0:"; echo "$out" | comment
fi

# -- C and Vala, as a developer builds against libkvmmig-dev ----------------
modversion=$(clean pkg-config --modversion kvmmig-1 2>&1)
flags=$(clean pkg-config --cflags --libs kvmmig-1 2>&1)
if [ "$modversion" = "$upstream" ] && [ -f /usr/include/libkvmmig-1/libkvmmig/kvmmig.h ]; then
    ok "pkg-config kvmmig-1: version $modversion, $flags"
else
    not_ok "pkg-config kvmmig-1: '$modversion' '$flags'"
fi
# shellcheck disable=SC2086
if out=$(cd "$home" && clean cc -o "$work/list-guests" "$src/examples/list-guests.c" $flags 2>&1); then
    out=$(cd "$home" && clean "$work/list-guests" test:///default 2>&1)
    lib=$(clean ldd "$work/list-guests" | sed -n 's/.*libkvmmig-1.so.0 => \([^ ]*\).*/\1/p')
    case "$out" in
        *" test "*running*persistent*)
            # /lib is /usr/lib on a merged-/usr system.
            if [ -n "$lib" ] && [ "$(readlink -f "$lib")" = "$(readlink -f "$libdir/libkvmmig-1.so.0")" ]; then
                ok "examples/list-guests.c builds with \`pkg-config --cflags --libs kvmmig-1\` and lists the guest"
            else
                not_ok "the C program links libkvmmig-1.so.0 from '$lib', not $libdir"
            fi ;;
        *) not_ok "the C program printed:"; echo "$out" | comment ;;
    esac
else
    not_ok "cc examples/list-guests.c \$(pkg-config --cflags --libs kvmmig-1) failed:"; echo "$out" | comment
fi

if command -v valac >/dev/null 2>&1; then
    cat > "$work/guests.vala" <<'EOF'
int main () {
    try {
        var host = new Kvmmig.Host ("test:///default");
        host.open (null);
        foreach (var guest in host.list_guests (null))
            print ("guest %s\n", guest.name);
    } catch (Error e) {
        printerr ("%s\n", e.message);
        return 1;
    }
    return 0;
}
EOF
    if out=$(cd "$work" && clean valac --pkg kvmmig-1 -o "$work/guests" "$work/guests.vala" 2>&1) &&
       out=$(cd "$home" && clean "$work/guests" 2>&1) && [ "$out" = "guest test" ]; then
        ok "a Vala program builds with valac --pkg kvmmig-1 (the vapi in libkvmmig-dev) and lists the guest"
    else
        not_ok "valac --pkg kvmmig-1:"; echo "$out" | comment
    fi
else
    skip_one "valac not installed: the vapi is not checked"
fi

# -- the kvmmig command: --version, man page, bash completion --------------
out=$(cd "$home" && clean kvmmig --version 2>&1)
if [ "$(clean sh -c 'command -v kvmmig')" = /usr/bin/kvmmig ] &&
   [ "$out" = "kvmmig $upstream
libkvmmig $upstream" ]; then
    ok "kvmmig --version: $(echo "$out" | oneline)"
else
    not_ok "kvmmig --version printed: $out"
fi

# The LVM module: in libkvmmig-1-0, the only file linked with libblockdev,
# loaded by the installed kvmmig from where the library looks for it when
# it works on LVM (here: a store on /dev/null, refused by the module, or by
# libblockdev when --no-install-recommends left its plugins out).
module=$libdir/libkvmmig-1/modules/libkvmmig-lvm.so
out=$(cd "$home" && clean kvmmig store format s --block-device /dev/null --volume-group vg 2>&1)
if dpkg -S "$module" 2>/dev/null | grep -q '^libkvmmig-1-0:' &&
   ! readelf -d "$libdir/libkvmmig-1.so.0" | grep -q 'NEEDED.*blockdev' &&
   readelf -d "$module" | grep -q 'NEEDED.*libblockdev'; then
    case "$out" in
        *"cannot load its LVM module"*) not_ok "kvmmig store format did not load $module:"; echo "$out" | comment ;;
        *"is not a block device here"*|*"cannot load its lvm plugin"*|*"cannot load its loop plugin"*|*"LVM tools are missing"*)
            ok "libkvmmig-1-0 ships the LVM module $module, which alone links libblockdev; kvmmig store format loads it" ;;
        *) not_ok "kvmmig store format on /dev/null printed:"; echo "$out" | comment ;;
    esac
else
    not_ok "$module: not in libkvmmig-1-0, or libblockdev linked by libkvmmig-1.so.0 and not by the module"
fi

# Docker images of Debian often tell dpkg not to install /usr/share/man
# (path-exclude in /etc/dpkg/dpkg.cfg.d/); man kvmmig cannot work there. The
# package's page is then read from the .deb instead, and the line says so.
excluded=$(grep -l -s -E '^path-exclude=?[[:space:]]*/usr/share/man' /etc/dpkg/dpkg.cfg.d/* | head -n1)
if [ -z "$excluded" ]; then
    page=$(clean man -w kvmmig 2>&1)
    out=$(cd "$home" && clean man -P cat kvmmig 2>&1)
    how="man kvmmig renders $page"
else
    mkdir "$work/kvmmig-deb"
    dpkg-deb -x "$work/kvmmig_${version}_"*.deb "$work/kvmmig-deb"
    page=/usr/share/man/man1/kvmmig.1.gz
    out=$(cd "$home" && clean man -P cat -l "$work/kvmmig-deb$page" 2>&1)
    how="man -l on the kvmmig.1.gz of kvmmig's .deb renders (dpkg excludes /usr/share/man on this machine: $excluded)"
fi
out=$(echo "$out" | tr -s ' ')       # man justifies lines with spaces
case "$page:$out" in
    /usr/share/man/man1/kvmmig.1.gz:*NAME*"kvmmig - live-migrate KVM guests"*SYNOPSIS*"kvmmig [-c URI] migrate GUEST"*)
        ok "$how" ;;
    *) not_ok "man kvmmig ($page):"; echo "$out" | head -n 20 | comment ;;
esac

# bash-completion loads the script on demand from its completions directory,
# as an interactive shell does at the first TAB after `kvmmig`. The guests'
# names come from the installed kvmmig (`kvmmig __complete`); bash splits the
# URI at ':' (COMP_WORDBREAKS).
complete_words() {
    # shellcheck disable=SC2016  # the script is bash's, with its own $
    cd "$home" && clean bash --norc --noprofile -c '
        . /usr/share/bash-completion/bash_completion || exit 1
        __load_completion kvmmig || { echo "no completion loaded for kvmmig"; exit 1; }
        spec=$(complete -p kvmmig) || exit 1
        func=${spec#*-F }; func=${func%% *}
        COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
        "$func" kvmmig "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf "%s\n" "${COMPREPLY[@]}"' bash "$@" 2>&1
}
out=$(complete_words kvmmig ev)
guests=$(complete_words kvmmig -c test : ///default migrate '')
if [ "$out" = evacuate ] && [ "$guests" = test ]; then
    ok "bash completion from /usr/share/bash-completion/completions/kvmmig: kvmmig ev<TAB> gives evacuate, kvmmig -c test:///default migrate <TAB> gives test"
else
    not_ok "bash completion: 'kvmmig ev' gave '$out', 'kvmmig -c test:///default migrate ' gave '$guests'"
fi

# -- the OCF resource agent --------------------------------------------------
agent=/usr/lib/ocf/resource.d/kvmmig/guest
if [ -x "$agent" ] && dpkg -S "$agent" 2>/dev/null | grep -q '^kvmmig:' &&
   "$agent" meta-data | grep -q '<parameter name="config" unique="1" required="1">'; then
    ok "ocf:kvmmig:guest from kvmmig's .deb: $agent answers meta-data"
else
    not_ok "ocf:kvmmig:guest: $agent missing from kvmmig's .deb, not executable, or no meta-data"
fi

# -- the API reference -----------------------------------------------------
index=/usr/share/doc/kvmmig-1/index.html
if grep -q 'Kvmmig' "$index" 2>/dev/null &&
   [ -f /usr/share/doc/kvmmig-1/class.Host.html ] &&
   [ -f /usr/share/devhelp/books/kvmmig-1/kvmmig-1.devhelp2 ] &&
   [ -f /usr/share/doc/libkvmmig-doc/kvmmig-1/index.html ]; then
    ok "libkvmmig-doc: $index ($(ls /usr/share/doc/kvmmig-1/*.html | wc -l) pages), also as a Devhelp book"
else
    not_ok "libkvmmig-doc: no $index, class.Host.html or Devhelp book"
fi

# -- purge ------------------------------------------------------------------
# shellcheck disable=SC2086
if clean DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=300 \
        $packages $dbgsym > "$work/purge.log" 2>&1; then
    installed=
    ok "apt-get purge of the packages"
else
    not_ok "apt-get purge failed:"; tail -n 20 "$work/purge.log" | comment
fi

left=$(ours_installed)
if [ -z "$left" ]; then
    ok "dpkg knows none of the packages any more"
else
    not_ok "still known to dpkg: $(echo "$left" | oneline)"
fi

# Every file the packages had is gone; a directory may stay only if another
# package has it too. Nor is a byte-compiled override left behind.
leftover=
count=0
while IFS= read -r f; do
    count=$((count + 1))
    [ -e "$f" ] || [ -L "$f" ] || continue
    if [ -d "$f" ] && [ ! -L "$f" ] && dpkg-query -S "$f" >/dev/null 2>&1; then
        continue
    fi
    leftover="$leftover $f"
done < "$work/files"
pyc=$(ls /usr/lib/python3/dist-packages/gi/overrides/__pycache__/Kvmmig.* 2>/dev/null)
if [ -z "$leftover$pyc" ] && [ "$count" -gt 50 ]; then
    ok "nothing left of the $count paths the packages installed (nor a Kvmmig .pyc)"
else
    not_ok "left after the purge (of $count paths):$leftover $pyc"
fi

echo "1..$n"
exit $fail
