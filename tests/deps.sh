#!/bin/sh
# Install what building and testing need, when it is missing (Debian).
# With the argument fuzz, also what make fuzz needs: clang and its
# libFuzzer runtime (tests/fuzz/README.md).
set -u
pkgs=
need() { pkgs="$pkgs $1"; }
have_hdr() { [ -f "/usr/include/$1" ] || [ -f "/usr/include/x86_64-linux-gnu/$1" ]; }
command -v cc >/dev/null 2>&1 || need gcc
command -v make >/dev/null 2>&1 || need make
command -v pkg-config >/dev/null 2>&1 || need pkg-config
have_hdr zlib.h || need zlib1g-dev
have_hdr archive.h || need libarchive-dev
have_hdr csv.h || need libcsv-dev
have_hdr sqlite3.h || need libsqlite3-dev
have_hdr libdeflate.h || need libdeflate-dev
command -v sqlite3 >/dev/null 2>&1 || need sqlite3
command -v python3 >/dev/null 2>&1 || need python3
command -v gzip >/dev/null 2>&1 || need gzip
command -v xz >/dev/null 2>&1 || need xz-utils
command -v zstd >/dev/null 2>&1 || need zstd
command -v bzip2 >/dev/null 2>&1 || need bzip2
command -v mandoc >/dev/null 2>&1 || need mandoc
command -v shellcheck >/dev/null 2>&1 || need shellcheck
command -v flock >/dev/null 2>&1 || need util-linux
command -v bash >/dev/null 2>&1 || need bash
command -v strace >/dev/null 2>&1 || need strace
command -v chromium >/dev/null 2>&1 || need chromium
command -v cppcheck >/dev/null 2>&1 || need cppcheck
command -v clang-tidy >/dev/null 2>&1 || need clang-tidy
command -v setpriv >/dev/null 2>&1 || need util-linux
command -v promtool >/dev/null 2>&1 || need prometheus
command -v systemd-analyze >/dev/null 2>&1 || need systemd
command -v parallel >/dev/null 2>&1 || need parallel
command -v rsync >/dev/null 2>&1 || need rsync
command -v ssh >/dev/null 2>&1 || need openssh-client
[ -x /usr/sbin/sshd ] || need openssh-server
command -v rclone >/dev/null 2>&1 || need rclone
if [ "${1:-}" = fuzz ]; then
	if ! command -v clang >/dev/null 2>&1; then
		need clang
		need libclang-rt-dev
	else
		rt=$(clang -print-resource-dir 2>/dev/null)/lib/linux
		v=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
		ls "$rt"/libclang_rt.fuzzer-*.a >/dev/null 2>&1 ||
			need "libclang-rt-${v:-14}-dev"
	fi
fi
[ -z "$pkgs" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "deps: installing$pkgs" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq $pkgs >&2 && exit 0
	echo "deps: apt-get failed" >&2
	exit 1
fi
echo "deps: missing packages; as root run:" >&2
echo "  apt-get install$pkgs" >&2
exit 1
