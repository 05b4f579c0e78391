# Sourced by bin/* scripts: make `uv` available (installed from PyPI into .tools/ if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never
export UV_COMPILE_BYTECODE=1
export UV_LINK_MODE="${UV_LINK_MODE:-copy}"
# uv cannot download interpreters here: point it at a local 3.13 (or 3.12) if one is not on PATH.
if [ -z "${UV_PYTHON:-}" ] && ! command -v python3.13 >/dev/null 2>&1; then
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3 \
                   /usr/local/bin/python3.13 /usr/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.12; do
    if [ -x "$candidate" ]; then export UV_PYTHON="$candidate"; break; fi
  done
fi
if ! command -v uv >/dev/null 2>&1; then
  if [ ! -x .tools/uv/bin/uv ]; then
    echo "==> installing uv into .tools/uv"
    python3 -m venv .tools/uv
    .tools/uv/bin/pip install --quiet 'uv==0.13.9'
  fi
  export PATH="$PWD/.tools/uv/bin:$PATH"
fi
