# shellcheck shell=bash
# Shared by scripts/setup, test, develop, lint and run: find or build a Python 3.14
# toolchain with the pinned packages, and run commands in it.
#
# Home Assistant 2026.10+ needs Python >= 3.14.2. In order of preference:
#   1. a Python >= 3.14.2 on PATH: a plain venv is made with it;
#   2. as root on Debian/Ubuntu (apt-get): a Debian sid root with python3.14 is built with
#      mmdebstrap, and commands run in it (chroot in a private mount namespace, with the
#      checkout bind-mounted at the same path, so paths are the same inside and out);
#   3. anything else: stop with a message that lists ways to get Python 3.14.
#
# Where the toolchain lives (outside the checkout, so fresh clones and CI reuse it):
#   ${PARTNER_TIME_CACHE:-~/.cache/partner-time}/
#     venv-<key>/           the venv on a host Python, or
#     sid-root-v1/          the Debian sid root, holding /opt/venv-<key> and Debian's
#                           chromium (for the browser test, tests/e2e/test_browser.py)
# <key> hashes requirements_test.txt, requirements_dev.txt and the install steps below,
# so changing a pin builds a new venv next to the old one; venvs unused for
# $PRUNE_DAYS days are deleted. Every step is idempotent and guarded by a lock, so
# parallel runs wait for one build instead of racing.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${PARTNER_TIME_CACHE:-${HOME:-/root}/.cache/partner-time}
REQS_TEST="$TOP/requirements_test.txt"
REQS_DEV="$TOP/requirements_dev.txt"
MIN_PY="3.14.2"
# Bump to rebuild the sid root (e.g. after changing ROOT_PACKAGES).
ROOT_NAME=sid-root-v1
ROOT="$CACHE/$ROOT_NAME"
ROOT_PACKAGES=python3.14,python3.14-venv,python3.14-dev,ca-certificates,gcc,g++,make,git
ROOT_PACKAGES+=,pkg-config,libffi-dev,libssl-dev,zlib1g-dev,libturbojpeg0,libpcap0.8,ffmpeg
PRUNE_DAYS=14
# Environment variables handed into the sid root (besides a fixed minimal set).
PASS_ENV='^(PARTNER_TIME_|PYTEST_|HYPOTHESIS_|COVERAGE_|PIP_INDEX_URL$|PIP_EXTRA_INDEX_URL$|PIP_DEFAULT_TIMEOUT$|UV_INDEX_URL$|UV_EXTRA_INDEX_URL$|UV_HTTP_TIMEOUT$|https?_proxy$|HTTPS?_PROXY$|no_proxy$|NO_PROXY$|COLUMNS$|NO_COLOR$|FORCE_COLOR$|TZ$)'

say() {
  if [ -t 2 ]; then
    printf '\033[1m[partner-time]\033[0m %s\n' "$*" >&2
  else
    printf '[partner-time] %s\n' "$*" >&2
  fi
}
die() {
  say "error: $*"
  exit 1
}

# A Python on PATH that is new enough (and has venv), or nothing.
host_python() {
  local candidate
  for candidate in python3.14 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 14, 2))" \
        >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

# The host's Debian mirror (from the apt sources), else deb.debian.org.
apt_mirror() {
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | sed -nE \
      -e 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([a-z+]+:\/\/[^[:space:]]+).*/\2/p' \
      -e 's/^URIs:[[:space:]]*([a-z+]+:\/\/[^[:space:]]+).*/\1/p' |
    grep -E '/debian/?$' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

no_toolchain() {
  cat >&2 <<MSG
[partner-time] Home Assistant 2026.10+ needs Python >= $MIN_PY (with venv), and none was
found on PATH (tried python3.14, python3, python). Ways to get one:
  - uv:         uv python install 3.14 && export PATH="\$(dirname "\$(uv python find 3.14)"):\$PATH"
  - pyenv:      pyenv install 3.14 && pyenv local 3.14
  - Debian testing/sid, or Ubuntu with the deadsnakes PPA:
                apt-get install python3.14 python3.14-venv python3.14-dev
  - Fedora:     dnf install python3.14
  - Homebrew:   brew install python@3.14
  - As root on Debian/Ubuntu (apt-get), this script builds a Debian sid root with
    Python 3.14 by itself (about 1 GB under $CACHE).
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
  say "building a Debian sid root with Python 3.14 in $ROOT"
  say "  (from $mirror; takes a minute or two, once)"
  rm -rf "$ROOT.tmp"
  mkdir -p "$CACHE"
  mmdebstrap --variant=apt --quiet \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --include="$ROOT_PACKAGES" \
    sid "$ROOT.tmp" "$mirror"
  [ -x "$ROOT.tmp/usr/bin/python3.14" ] || die "the sid root has no /usr/bin/python3.14"
  touch "$ROOT.tmp/.complete"
  rm -rf "$ROOT"
  mv "$ROOT.tmp" "$ROOT"
}

# Debian's chromium inside the sid root, for the browser test (tests/e2e/test_browser.py),
# installed once (marker: $ROOT/.chromium-installed). A host venv gets no browser: the
# test skips there unless chromium is on PATH.
ensure_root_chromium() {
  [ -f "$ROOT/.chromium-installed" ] && [ -x "$ROOT/usr/bin/chromium" ] && return 0
  local start=$SECONDS
  say "installing Debian's chromium into the sid root for the browser test (apt-get, once)"
  in_root /bin/sh -c '
    set -e
    apt-get -o Acquire::Check-Valid-Until=false update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false \
      install -y -qq --no-install-recommends chromium fonts-liberation2 fonts-noto-core >/dev/null
    apt-get clean
  '
  [ -x "$ROOT/usr/bin/chromium" ] || die "installing chromium left no /usr/bin/chromium in the sid root"
  in_root chromium --version 2>/dev/null >"$ROOT/.chromium-installed"
  say "  $(cat "$ROOT/.chromium-installed") installed in $(( SECONDS - start )) s"
}

# The command line that runs "$@" inside the sid root, in ROOT_CMD. The mounts live in a
# private mount namespace and vanish when the command ends; the process tree is a plain
# chain of execs, so signals reach the command itself.
root_cmd() {
  local ca=/etc/ssl/certs/ca-certificates.crt
  if [ -f "$ca" ] && ! cmp -s "$ca" "$ROOT$ca"; then cp "$ca" "$ROOT$ca.tmp.$$" && mv "$ROOT$ca.tmp.$$" "$ROOT$ca"; fi
  if ! cmp -s /etc/resolv.conf "$ROOT/etc/resolv.conf"; then
    cp /etc/resolv.conf "$ROOT/etc/resolv.conf.tmp.$$" 2>/dev/null &&
      mv "$ROOT/etc/resolv.conf.tmp.$$" "$ROOT/etc/resolv.conf" || true
  fi
  mkdir -p "$ROOT$TOP"
  local dir=$PWD
  case $dir in "$TOP" | "$TOP"/*) ;; *) dir=$TOP ;; esac
  local envs=(HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}"
    PATH="${VENV:+$VENV/bin:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    SSL_CERT_FILE="$ca" PIP_CERT="$ca" REQUESTS_CA_BUNDLE="$ca" PIP_DISABLE_PIP_VERSION_CHECK=1
    PYTHONDONTWRITEBYTECODE="${PYTHONDONTWRITEBYTECODE:-}" PARTNER_TIME_IN_ROOT=1)
  local var
  for var in $(compgen -e | grep -E "$PASS_ENV" || true); do
    envs+=("$var=${!var}")
  done
  ROOT_CMD=(unshare --mount --propagation private -- /bin/sh -c '
    set -e
    root=$1; top=$2; shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount --bind "$top" "$root$top"
    exec chroot "$root" /usr/bin/env -i "$@"
  ' sh "$ROOT" "$TOP" "${envs[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "$dir" "$@")
}

in_root() {
  [ "$(id -u)" = 0 ] || die "the sid root in $ROOT can only be entered as root"
  root_cmd "$@"
  "${ROOT_CMD[@]}"
}

# The install steps; their text is part of the venv key. $1: the venv's python.
venv_install() {
  local py=$1 constraints
  "$py" -m pip install --quiet --upgrade pip
  say "installing the pinned test packages (requirements_test.txt)"
  "$py" -m pip install --quiet -r "$REQS_TEST"
  if [ -f "$REQS_DEV" ]; then
    # The development HA's runtime requirements, with HA's own constraints, so that
    # `hass` needs to install nothing at its first start.
    constraints=$("$py" -c 'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))')
    say "installing the development HA's runtime requirements (requirements_dev.txt)"
    "$py" -m pip install --quiet -r "$REQS_DEV" -c "$constraints"
  fi
  "$py" -m pip check >/dev/null || say "warning: pip check reports conflicts (run: scripts/run pip check)"
}

venv_key() {
  # Only the requirements count, not comments or their order.
  local files=("$REQS_TEST")
  [ -f "$REQS_DEV" ] && files+=("$REQS_DEV")
  { sed 's/#.*//' "${files[@]}" | awk 'NF {print $1}' | sort
    declare -f venv_install
    echo "$1"; } | sha256sum | cut -c1-12
}

# Delete venvs that no run has used for PRUNE_DAYS days ($1: the directory holding them,
# $2: the one in use, $3: the pattern of their names, venv-* unless given).
prune_venvs() {
  local dir
  for dir in "$1"/${3:-venv-*}; do
    [ -d "$dir" ] && [ "$dir" != "$2" ] || continue
    if [ -z "$(find "$dir/.last-used" "$dir/.complete" -maxdepth 0 -mtime -"$PRUNE_DAYS" 2>/dev/null)" ]; then
      say "deleting $dir (unused for $PRUNE_DAYS days)"
      rm -rf "$dir"
    fi
  done
}

# Make sure the toolchain exists; sets RUN (a command prefix, empty for a host venv), VENV
# and PY_VERSION. With PARTNER_TIME_QUIET=1 it says nothing unless it has work to do.
ensure_toolchain() {
  local py
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  if ! flock -n 9; then
    say "waiting for another run that builds or checks the toolchain ($CACHE/.lock)"
    flock 9
  fi
  if py=$(host_python); then
    VENV="$CACHE/venv-$(venv_key "host:$("$py" -c 'import sys; print(sys.version)')")"
    RUN=()
    if [ ! -f "$VENV/.complete" ]; then
      say "creating $VENV with $py ($("$py" --version))"
      rm -rf "$VENV"
      "$py" -m venv "$VENV"
      venv_install "$VENV/bin/python"
      "$VENV/bin/python" --version >"$VENV/.complete"
    fi
    touch "$VENV/.last-used"
    prune_venvs "$CACHE" "$VENV"
  else
    build_root
    VENV=
    ensure_root_chromium
    VENV="/opt/venv-$(venv_key "root:$ROOT_NAME")"
    RUN=(in_root)
    if [ ! -f "$ROOT$VENV/.complete" ]; then
      say "creating $VENV inside the sid root (takes a few minutes, once)"
      rm -rf "${ROOT:?}$VENV"
      local venv=$VENV
      VENV=
      in_root python3.14 -m venv "$venv"
      VENV=$venv
      in_root bash -c "set -euo pipefail; $(declare -f say venv_install); REQS_TEST='$REQS_TEST' REQS_DEV='$REQS_DEV' venv_install '$VENV/bin/python'"
      in_root "$VENV/bin/python" --version >"$ROOT$VENV/.complete"
    fi
    touch "$ROOT$VENV/.last-used"
    prune_venvs "$ROOT/opt" "$ROOT$VENV"
  fi
  flock -u 9
  exec 9>&-
  PY_VERSION=$(cat "${RUN:+$ROOT}$VENV/.complete")
  if [ "${PARTNER_TIME_QUIET:-}" != 1 ]; then
    say "toolchain ready: $PY_VERSION in $VENV${RUN:+ (Debian sid root $ROOT)}"
  fi
}

# The version matrix of the end-to-end tests (tests/e2e/): besides the test venv's HA
# (pinned by pytest-homeassistant-custom-component), the oldest HA that hacs.json allows
# and the newest release, each in a venv of its own next to the test venv, named
# ha-<version>-<key> (not venv-*: those are the test venvs) and pruned like them.
# tests/e2e/conftest.py starts the demo `hass` once with each of them; it finds them in
# PARTNER_TIME_HA_VENVS ("<version>=<python> ..."), which ha_venvs_env sets.
HA_MATRIX=(2026.10.0 2026.11.0)

# The install steps of a matrix venv; their text is part of its key. $1: the venv's
# python, $2: the HA version. HA's own pins (its manifests' requirements for the demo
# config, see tests/e2e/ha_requirements.py, and package_constraints.txt) fix the rest.
ha_venv_install() {
  local py=$1 version=$2 constraints
  "$py" -m pip install --quiet --upgrade pip
  "$py" -m pip install --quiet "homeassistant==$version"
  constraints=$("$py" -c 'import homeassistant, os; print(os.path.join(os.path.dirname(homeassistant.__file__), "package_constraints.txt"))')
  (cd "$TOP" && "$py" -m tests.e2e.ha_requirements) | sed 's/#.*//' >"$(dirname "$py")/../requirements-first-start.txt"
  "$py" -m pip install --quiet -r "$(dirname "$py")/../requirements-first-start.txt" -c "$constraints"
  # Partner Time's own requirements (manifest.json), as HA installs them for a user.
  "$py" -m pip install --quiet $(integration_requirements)
}

# The requirements of Partner Time's manifest.json, one per word.
integration_requirements() {
  sed -n '/"requirements"/,/]/p' "$TOP/custom_components/partner_time/manifest.json" \
    | grep -oE '"[^"]+==[^"]+"' | tr -d '"'
}

ha_venv_dir() {
  local key
  # The demo config's top-level domains decide which requirements it needs.
  key=$({ echo "$1"; declare -f ha_venv_install; integration_requirements
    cat "$TOP/tests/e2e/ha_requirements.py"
    grep -oE '^[a-z_]+:' "$TOP/config/configuration.yaml" | sort; } | sha256sum | cut -c1-12)
  echo "ha-$1-$key"
}

# Set PARTNER_TIME_HA_VENVS to the matrix venvs that are built (builds nothing).
ha_venvs_env() {
  local version dir pythons=()
  for version in "${HA_MATRIX[@]}"; do
    dir=$(ha_venv_dir "$version")
    if [ ${#RUN[@]} -eq 0 ] && [ -f "$CACHE/$dir/.complete" ]; then
      pythons+=("$version=$CACHE/$dir/bin/python")
    elif [ ${#RUN[@]} -gt 0 ] && [ -f "$ROOT/opt/$dir/.complete" ]; then
      pythons+=("$version=/opt/$dir/bin/python")
    fi
  done
  export PARTNER_TIME_HA_VENVS="${pythons[*]}"
}

# Build the matrix venvs that are missing (once; a few minutes each), after
# ensure_toolchain, then set PARTNER_TIME_HA_VENVS.
ensure_ha_venvs() {
  local version dir venv host start
  # A lock of their own: a build takes minutes, and scripts/run must not wait for it.
  exec 8>"$CACHE/.lock-ha"
  if ! flock -n 8; then
    say "waiting for another run that builds the matrix venvs ($CACHE/.lock-ha)"
    flock 8
  fi
  for version in "${HA_MATRIX[@]}"; do
    dir=$(ha_venv_dir "$version")
    start=$SECONDS
    if [ ${#RUN[@]} -eq 0 ]; then
      venv=$CACHE/$dir
      host=$venv
    else
      venv=/opt/$dir
      host=$ROOT$venv
    fi
    if [ ! -f "$host/.complete" ]; then
      say "creating $venv for the end-to-end tests on Home Assistant $version (a few minutes, once)"
      rm -rf "$host"
      if [ ${#RUN[@]} -eq 0 ]; then
        "$(host_python)" -m venv "$venv"
        ha_venv_install "$venv/bin/python" "$version"
      else
        in_root python3.14 -m venv "$venv"
        in_root bash -c "set -euo pipefail; $(declare -f ha_venv_install integration_requirements); TOP='$TOP' ha_venv_install '$venv/bin/python' '$version'"
      fi
      echo "homeassistant $version, built in $(( SECONDS - start )) s" >"$host/.complete"
      say "  $(cat "$host/.complete")"
    fi
    touch "$host/.last-used"
  done
  # The matrix venvs in use were just touched; older ones go after PRUNE_DAYS days.
  prune_venvs "$(dirname "$host")" "" "ha-*"
  flock -u 8
  exec 8>&-
  ha_venvs_env
}

# Run a command in the toolchain (the venv first on PATH), from the current directory.
run() {
  if [ ${#RUN[@]} -eq 0 ]; then
    PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" "$@"
  else
    "${RUN[@]}" "$@"
  fi
}

# Like run, but replace this shell with the command (for the last command of a script).
run_exec() {
  if [ ${#RUN[@]} -eq 0 ]; then
    PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" exec "$@"
  else
    root_cmd "$@"
    exec "${ROOT_CMD[@]}"
  fi
}
