# shellcheck shell=bash
# Shared by scripts/setup, test, develop, lint and bench: find or build a Python 3.14
# toolchain with the pinned packages, and run commands in it.
#
# Where the toolchain lives (outside the checkout, so fresh clones and CI reuse it):
#   ${PARTNER_TIME_CACHE:-~/.cache/partner-time}/
#     venv-<hash>/          a venv on a host Python >= 3.14.2, or
#     sid-root-v1/          a Debian sid root with python3.14, holding /opt/venv-<hash>
# <hash> is derived from requirements_test.txt, so changing a pin builds a new venv.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${PARTNER_TIME_CACHE:-${HOME:-/root}/.cache/partner-time}
REQS="$TOP/requirements_test.txt"
VENV_KEY=$(cat "$REQS" "$TOP/scripts/lib.sh" | sha256sum | cut -c1-12)
ROOT_NAME=sid-root-v1
ROOT="$CACHE/$ROOT_NAME"
MIN_PY="3.14.2"

say() { printf '\033[1m[partner-time]\033[0m %s\n' "$*" >&2; }

# A Python on PATH that is new enough, or nothing.
host_python() {
  local candidate
  for candidate in python3.14 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c "import sys; sys.exit(sys.version_info < (3, 14, 2))" 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

apt_mirror() {
  local uri
  uri=$(grep -rhE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
    grep -E 'debian(/)?( |$)' | grep -v security | head -n1 | awk '{print ($1=="deb") ? $2 : $2}')
  echo "${uri:-http://deb.debian.org/debian}"
}

no_toolchain() {
  cat >&2 <<MSG
[partner-time] Home Assistant 2026.10+ needs Python >= $MIN_PY, and none was found on PATH.
Ways to get one:
  - pyenv:      pyenv install 3.14 && pyenv local 3.14
  - uv:         uv python install 3.14   (then put it on PATH)
  - Debian sid: apt-get install python3.14 python3.14-venv python3.14-dev
  - Fedora:     dnf install python3.14
  - As root on Debian/Ubuntu, this script builds a Debian sid root with Python 3.14 by itself.
Then run this command again.
MSG
  exit 1
}

build_root() {
  [ -x "$ROOT/usr/bin/python3.14" ] && [ -f "$ROOT/.complete" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    no_toolchain
  fi
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    say "installing mmdebstrap (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap >/dev/null
  fi
  local mirror
  mirror=$(apt_mirror)
  say "building a Debian sid root with Python 3.14 in $ROOT (from $mirror, about a minute)"
  rm -rf "$ROOT" "$ROOT.tmp"
  mkdir -p "$CACHE"
  mmdebstrap --variant=apt --quiet \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --include=python3.14,python3.14-venv,python3.14-dev,ca-certificates,gcc,g++,make,git,pkg-config,libffi-dev,libssl-dev,zlib1g-dev,libturbojpeg0,libpcap0.8,ffmpeg \
    sid "$ROOT.tmp" "$mirror"
  touch "$ROOT.tmp/.complete"
  mv "$ROOT.tmp" "$ROOT"
}

# Run "$@" inside the sid root, with the checkout bind-mounted at the same path. The mounts
# live in a private mount namespace and vanish when the command ends.
in_root() {
  local ca=/etc/ssl/certs/ca-certificates.crt
  [ -f "$ca" ] && cp "$ca" "$ROOT/etc/ssl/certs/ca-certificates.crt"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
  mkdir -p "$ROOT$TOP"
  local envs=(HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}"
    PATH="$VENV/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    SSL_CERT_FILE="$ca" PIP_CERT="$ca" REQUESTS_CA_BUNDLE="$ca" PIP_DISABLE_PIP_VERSION_CHECK=1
    PYTHONDONTWRITEBYTECODE="${PYTHONDONTWRITEBYTECODE:-}" PARTNER_TIME_IN_ROOT=1)
  local var
  for var in $(compgen -e | grep -E '^(PARTNER_TIME_|PYTEST_|HYPOTHESIS_)'); do
    envs+=("$var=${!var}")
  done
  unshare --mount --propagation private -- /bin/sh -c '
    set -e
    root=$1; top=$2; shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --bind "$top" "$root$top"
    exec chroot "$root" /usr/bin/env -i "$@"
  ' sh "$ROOT" "$TOP" "${envs[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$TOP" "$@"
}

# Make sure the toolchain exists; sets RUN (a command prefix) and VENV.
ensure_toolchain() {
  local py
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock 9
  if py=$(host_python); then
    VENV="$CACHE/venv-$VENV_KEY"
    RUN=()
    if [ ! -f "$VENV/.complete" ]; then
      say "creating $VENV with $py ($("$py" --version))"
      rm -rf "$VENV"
      "$py" -m venv "$VENV"
      "$VENV/bin/pip" install --quiet --upgrade pip
      say "installing the pinned packages (requirements_test.txt)"
      "$VENV/bin/pip" install --quiet -r "$REQS"
      touch "$VENV/.complete"
    fi
  else
    build_root
    VENV="/opt/venv-$VENV_KEY"
    RUN=(in_root)
    if [ ! -f "$ROOT$VENV/.complete" ]; then
      say "creating $VENV inside the sid root"
      rm -rf "${ROOT:?}$VENV"
      in_root python3.14 -m venv "$VENV"
      say "installing the pinned packages (requirements_test.txt, about 80 s)"
      in_root "$VENV/bin/pip" install --quiet --upgrade pip
      in_root "$VENV/bin/pip" install --quiet -r "$REQS"
      touch "$ROOT$VENV/.complete"
    fi
  fi
  flock -u 9
  say "toolchain ready: $("${RUN[@]}" "$VENV/bin/python" --version) in $VENV${RUN:+ (Debian sid root)}"
}

# Run a command with the venv first on PATH.
run() {
  if [ ${#RUN[@]} -eq 0 ]; then
    PATH="$VENV/bin:$PATH" "$@"
  else
    "${RUN[@]}" "$@"
  fi
}
