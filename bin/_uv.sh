# Sourced by bin/* scripts: make `uv` available (installed from PyPI into .tools/ if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never
export UV_COMPILE_BYTECODE=1
export UV_LINK_MODE="${UV_LINK_MODE:-copy}"
if ! command -v uv >/dev/null 2>&1; then
  if [ ! -x .tools/uv/bin/uv ]; then
    echo "==> installing uv into .tools/uv"
    python3 -m venv .tools/uv
    .tools/uv/bin/pip install --quiet 'uv==0.13.9'
  fi
  export PATH="$PWD/.tools/uv/bin:$PATH"
fi
