#!/usr/bin/env bash
# Installs what SweepRunner needs on a Debian or Ubuntu machine, then builds it.
# Idempotent: each step checks first and says what it does. Root (or sudo) is used only for apt.
#
#   scripts/setup.sh            runtime needs: libstdc++ for TorchSharp, Fashion-MNIST, build
#   scripts/setup.sh --dev      also what the tests need: redis-server, docker compose (config check only)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want_dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) want_dev=1 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else say "need root for: $* (no sudo found)"; exit 1; fi
}

apt_updated=0
apt_install() {
  if [ $apt_updated -eq 0 ]; then
    say "apt-get update"
    as_root apt-get update -q >/dev/null
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# 1. The .NET 10 SDK.
if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  say ".NET 10 SDK not found; trying the distribution's dotnet-sdk-10.0 package"
  apt_install dotnet-sdk-10.0 || { say "install the .NET 10 SDK (https://dot.net) and run me again"; exit 1; }
fi

# 2. TorchSharp 0.107's native library needs libstdc++ from GCC 13+ (symbol GLIBCXX_3.4.32).
libstdcxx() { /sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}'; }
has_new_libstdcxx() { local lib; lib="$(libstdcxx)"; [ -n "$lib" ] && grep -aq 'GLIBCXX_3\.4\.32' "$lib"; }
if has_new_libstdcxx; then
  say "libstdc++ has GLIBCXX_3.4.32: ok"
else
  . /etc/os-release
  if [ "${ID:-}" = debian ] && [ "${VERSION_CODENAME:-}" = bookworm ]; then
    say "Debian 12's libstdc++ is too old for TorchSharp; adding Debian 13 (trixie) at apt priority 100 for libstdc++6 only"
    as_root tee /etc/apt/sources.list.d/sweeprunner-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    # Priority 100: nothing comes from trixie unless asked for with -t trixie.
    as_root tee /etc/apt/preferences.d/sweeprunner-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
    apt_updated=0
    apt_install -t trixie libstdc++6
    has_new_libstdcxx || { say "libstdc++ still lacks GLIBCXX_3.4.32"; exit 1; }
  else
    say "libstdc++ lacks GLIBCXX_3.4.32 and this is not Debian 12: install libstdc++ from GCC 13 or newer"
    exit 1
  fi
fi

# 3. Fashion-MNIST, the default data set.
if [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || [ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte ]; then
  say "Fashion-MNIST present in /usr/share/datasets/fashion-mnist: ok"
else
  apt_install dataset-fashion-mnist
fi

# 4. What the tests need beyond that.
if [ $want_dev -eq 1 ]; then
  command -v redis-server >/dev/null && say "redis-server present: ok" || apt_install redis-server
  if docker compose version >/dev/null 2>&1; then
    say "docker compose present: ok"
  else
    # docker-compose v2 (Debian 13's) ships the 'docker compose' plugin; the tests use only 'config'.
    # Debian 12's is v1, so take trixie's when step 2 added it (os-release may already say trixie then).
    if [ -f /etc/apt/sources.list.d/sweeprunner-trixie.sources ]; then apt_install -t trixie docker-compose
    else apt_install docker-compose; fi
  fi
fi

# 5. Restore and build.
say "dotnet build (Release)"
dotnet build "$here/SweepRunner.sln" -c Release -nologo -v q -clp:ErrorsOnly
say "done"
