# ocop — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
.PHONY: run test test-fast test-postgres install fmt lint check ci bench vendor messages

run:            ## install, migrate, load reference + demo data, serve on http://127.0.0.1:8000
	bin/run

test:           ## install and run the whole test suite (SQLite)
	bin/test

test-fast:      ## unit and integration tests only, in parallel
	bin/test -m "not e2e" -n auto

test-postgres:  ## the whole suite on the local PostgreSQL (throw-away database)
	bin/test-postgres

install:
	. bin/_uv.sh && uv sync --frozen

fmt:
	. bin/_uv.sh && uv run ruff check --fix . && uv run ruff format .

lint:
	. bin/_uv.sh && uv run ruff check . && uv run ruff format --check .

check:
	. bin/_uv.sh && uv run ocop check && uv run ocop makemigrations --check --dry-run

ci:             ## what CI runs
	bash .ci/run

bench:          ## speed and memory goals (bench/)
	. bin/_uv.sh && uv run pytest bench --benchmark-enable -p no:cacheprovider

messages:       ## extract and compile the Vietnamese catalogue
	. bin/_uv.sh && cd src && uv run ocop makemessages -l vi --no-obsolete --add-location file && uv run ocop compilemessages -l vi

vendor:         ## refresh vendored front-end assets (needs npm; output is committed)
	npm install --no-audit --no-fund && node scripts/vendor.mjs
